// Local wall time <-> UTC instant for an IANA zone, with Intl only (no date
// library). Intl can only go from an instant to wall time, so the reverse is
// solved from the zone's offsets around the wanted wall time.
//
// Two wall times are special where clocks change:
// - in a gap (spring forward, e.g. 02:30 in Europe/Berlin on the last Sunday
//   of March) the wall time never happens; it maps to the instant the gap
//   starts, so a range such as 02:00-03:00 is empty and 01:00-02:30 is one
//   real hour;
// - in a fold (fall back) the wall time happens twice; it maps to the earlier
//   instant.
// Both choices keep the mapping non-decreasing, so consecutive wall ranges of
// one day become consecutive, disjoint instant ranges that tile the day.
import { formatDate, type CalendarDate } from './calendar.ts';

export interface WallTime extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at `instant` (ms since epoch, UTC). */
export function wallTimeAt(timeZone: string, instant: number): WallTime {
  const millisecond = ((instant % 1000) + 1000) % 1000;
  const parts = formatter(timeZone).formatToParts(new Date(instant - millisecond));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second'), millisecond };
}

/** Local minus UTC, in ms (+8 h for Asia/Shanghai). */
export function offsetAt(timeZone: string, instant: number): number {
  return wallAsUtc(wallTimeAt(timeZone, instant)) - instant;
}

/**
 * The instant when the wall clock in `timeZone` shows `wall`. Fields may
 * overflow the way Date.UTC allows (hour 24 is the next day's midnight).
 */
export function instantOf(timeZone: string, wall: Partial<WallTime> & CalendarDate): number {
  const w = wallAsUtc(wall);
  const before = offsetAt(timeZone, w - DAY_MS);
  const after = offsetAt(timeZone, w + DAY_MS);
  if (before === after) return w - before; // no change of offset near w, the usual case
  const valid = [w - before, w - after].filter((t) => t + offsetAt(timeZone, t) === w);
  if (valid.length > 0) return Math.min(...valid);
  return transitionBetween(timeZone, w - after, w - before, before);
}

/**
 * Instants of many wall times of one local day, with two Intl calls in all
 * when the offset does not change that day (every day in Asia/Shanghai, all
 * but two a year in Europe/Berlin), instead of two or more per wall time.
 * Assumes, as instantOf does, at most one offset change within a day of it.
 */
export function dayClock(timeZone: string, date: CalendarDate): (minuteOfDay: number) => number {
  const midnight = wallAsUtc(date);
  const before = offsetAt(timeZone, midnight - DAY_MS);
  const after = offsetAt(timeZone, midnight + 2 * DAY_MS);
  if (before === after) return (minute) => midnight + minute * 60_000 - before;
  return (minute) => instantOf(timeZone, { ...date, minute });
}

/** The local calendar date at `instant`. */
export function localDateAt(timeZone: string, instant: number): string {
  return formatDate(wallTimeAt(timeZone, instant));
}

/** First instant of a local day (midnight, or the end of a gap at midnight). */
export function startOfDay(timeZone: string, date: CalendarDate): number {
  return instantOf(timeZone, { ...date, hour: 0 });
}

/** The local day as a half-open instant range; 23, 24 or 25 hours long. */
export function dayBounds(timeZone: string, date: CalendarDate): { from: number; to: number } {
  return { from: startOfDay(timeZone, date), to: instantOf(timeZone, { ...date, hour: 24 }) };
}

/** 0 = Sunday .. 6 = Saturday, on the local calendar. */
export function weekdayAt(timeZone: string, instant: number): number {
  const w = wallTimeAt(timeZone, instant);
  return new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
}

function wallAsUtc(w: Partial<WallTime> & CalendarDate): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour ?? 0, w.minute ?? 0, w.second ?? 0, w.millisecond ?? 0);
}

/**
 * First instant in (lo, hi] whose offset differs from `offsetBefore`.
 * Zone transitions fall on whole seconds, so a search over seconds is exact.
 */
function transitionBetween(timeZone: string, lo: number, hi: number, offsetBefore: number): number {
  let a = Math.floor(lo / 1000);
  let b = Math.ceil(hi / 1000);
  while (b - a > 1) {
    const mid = Math.floor((a + b) / 2);
    if (offsetAt(timeZone, mid * 1000) === offsetBefore) a = mid;
    else b = mid;
  }
  return b * 1000;
}

/** `2024-05-01T08:30:12.345+08:00`: ISO 8601 in the zone with its offset, unambiguous across DST changes. */
export function formatLocalIso(timeZone: string, instant: number): string {
  const w = wallTimeAt(timeZone, instant);
  const offsetMin = Math.round(offsetAt(timeZone, instant) / 60_000);
  const abs = Math.abs(offsetMin);
  const two = (n: number) => String(n).padStart(2, '0');
  const offset = `${offsetMin < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  return `${formatDate(w)}T${two(w.hour)}:${two(w.minute)}:${two(w.second)}.${String(w.millisecond).padStart(3, '0')}${offset}`;
}

/** False for wall times that no calendar has (30 February, hour 24): names of files, not arithmetic. */
export function isValidWallTime(w: Omit<WallTime, 'millisecond'>): boolean {
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second));
  return (
    d.getUTCFullYear() === w.year &&
    d.getUTCMonth() === w.month - 1 &&
    d.getUTCDate() === w.day &&
    d.getUTCHours() === w.hour &&
    d.getUTCMinutes() === w.minute &&
    d.getUTCSeconds() === w.second
  );
}

/**
 * The instant of a wall time read from outside (a recording's file name):
 * undefined when it is not a real time. Unlike instantOf, a time inside a
 * spring-forward gap is read with the offset in force before the gap, as a
 * recorder whose clock has not yet jumped wrote it (02:30 → 03:30 new time).
 */
export function parseWallTime(timeZone: string, w: Omit<WallTime, 'millisecond'>): number | undefined {
  if (!isValidWallTime(w)) return undefined;
  const t = instantOf(timeZone, w);
  if (wallAsUtc(wallTimeAt(timeZone, t)) === wallAsUtc(w)) return t;
  return wallAsUtc(w) - offsetAt(timeZone, t - 1);
}
