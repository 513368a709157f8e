// Times as a person at the site reads them: ISO 8601 in the site's zone,
// with its UTC offset, so a stamp is unambiguous across DST changes.

function parts(t: number, timeZone: string): Record<string, string> {
  const fmt = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
}

/** `2024-05-01T08:30:12.345+08:00` for t in timeZone (an IANA name). */
export function formatLocalIso(t: number, timeZone: string): string {
  const p = parts(t, timeZone);
  const ms = ((t % 1000) + 1000) % 1000;
  // The wall clock read as if it were UTC, minus the instant: the zone's offset.
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offsetMin = Math.round((wall - (t - ms)) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.${String(ms).padStart(3, '0')}${offset}`;
}

/** The site-local calendar date, YYYY-MM-DD. */
export function localDate(t: number, timeZone: string): string {
  return formatLocalIso(t, timeZone).slice(0, 10);
}
