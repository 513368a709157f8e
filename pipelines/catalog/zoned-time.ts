// Wall-clock time in an IANA zone ↔ UTC, with Intl only (no date library).
// NVR file names carry local time; the database and the code carry UTC.

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

export function isTimeZone(tz: string): boolean {
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields of a UTC instant in a zone. */
export function toLocal(utcMs: number, tz: string): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(utcMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts['year']!, month: parts['month']!, day: parts['day']!, hour: parts['hour']!, minute: parts['minute']!, second: parts['second']! };
}

/** Offset of the zone from UTC at an instant, in ms (Asia/Shanghai: +8 h). */
export function zoneOffsetMs(utcMs: number, tz: string): number {
  const l = toLocal(utcMs, tz);
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant of a wall-clock time in a zone; undefined for a date that
 * does not exist (Feb 30, hour 25). Around a DST change, a repeated local time
 * maps to its first occurrence and a skipped one is moved forward by the gap.
 */
export function localToUtc(l: LocalDateTime, tz: string): number | undefined {
  if (!isValidLocal(l)) return undefined;
  const asUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  // The offset can differ on either side of the instant; try both and keep the earliest that fits.
  const candidates = [zoneOffsetMs(asUtc - 86_400_000, tz), zoneOffsetMs(asUtc + 86_400_000, tz), zoneOffsetMs(asUtc, tz)];
  const fits = candidates.map((off) => asUtc - off).filter((t) => zoneOffsetMs(t, tz) === asUtc - t);
  if (fits.length > 0) return Math.min(...fits);
  return asUtc - Math.min(...candidates); // in a DST gap
}

function isValidLocal(l: LocalDateTime): boolean {
  const d = new Date(Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second));
  return (
    d.getUTCFullYear() === l.year &&
    d.getUTCMonth() === l.month - 1 &&
    d.getUTCDate() === l.day &&
    d.getUTCHours() === l.hour &&
    d.getUTCMinutes() === l.minute &&
    d.getUTCSeconds() === l.second
  );
}

/** YYYY-MM-DD of an instant in a zone. */
export function localDate(utcMs: number, tz: string): string {
  const l = toLocal(utcMs, tz);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** UTC instant of local midnight starting a YYYY-MM-DD day in a zone. */
export function startOfLocalDay(date: string, tz: string): number {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return localToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }, tz)!;
}

/** The day after a YYYY-MM-DD date. */
export function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
