// Calendar dates without a time zone ('YYYY-MM-DD', proleptic Gregorian).
// Arithmetic goes through Date.UTC, which has no daylight saving, so adding a
// day is always exactly one calendar day whatever zone the date is later read in.

export interface CalendarDate {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

/** Parses 'YYYY-MM-DD'; null when malformed or not a real date (2024-02-30). */
export function parseDate(text: string): CalendarDate | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return formatDate(fromEpochDay(toEpochDay(date))) === text ? date : null;
}

/** Parses 'YYYY-MM' into its first and last day; null when malformed. */
export function parseMonth(text: string): { first: CalendarDate; last: CalendarDate } | null {
  const m = MONTH_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return null;
  const first = { year, month, day: 1 };
  const last = addDays({ year: month === 12 ? year + 1 : year, month: month === 12 ? 1 : month + 1, day: 1 }, -1);
  return { first, last };
}

export function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Days since 1970-01-01 (negative before). */
export function toEpochDay(d: CalendarDate): number {
  return Math.floor(Date.UTC(d.year, d.month - 1, d.day) / DAY_MS);
}

export function fromEpochDay(n: number): CalendarDate {
  const t = new Date(n * DAY_MS);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function addDays(d: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(toEpochDay(d) + days);
}

/** 0 = Sunday .. 6 = Saturday, as Date#getDay. */
export function weekdayOf(d: CalendarDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/** Every date from `first` to `last`, both included; empty when last < first. */
export function eachDate(first: CalendarDate, last: CalendarDate): CalendarDate[] {
  const out: CalendarDate[] = [];
  for (let n = toEpochDay(first); n <= toEpochDay(last); n++) out.push(fromEpochDay(n));
  return out;
}
