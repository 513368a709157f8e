// Coverage of a camera's footage: gaps between segments, and per local day
// the hours recorded, the segments started and the gaps begun.
//
// NVRs cut files on fixed boundaries and the cut is rarely exact: gaps up to
// `toleranceMs` (default 1 s) between consecutive files are rounding, not
// missing footage. Raising it hides short outages; lowering it reports
// every file boundary as a gap.
import { addDays, formatDate, parseDate } from '../time/calendar.ts';
import { localDateAt, startOfDay } from '../time/zone.ts';

export interface Span {
  /** UTC ms. */
  startsAt: number;
  endsAt: number;
}

export interface Gap {
  from: number;
  to: number;
}

export const DEFAULT_GAP_TOLERANCE_MS = 1000;

/** Overlapping or nearly touching spans joined; input in any order. */
export function mergeSpans(spans: readonly Span[], toleranceMs = DEFAULT_GAP_TOLERANCE_MS): Span[] {
  const sorted = [...spans].sort((a, b) => a.startsAt - b.startsAt);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.startsAt - last.endsAt <= toleranceMs) last.endsAt = Math.max(last.endsAt, s.endsAt);
    else out.push({ startsAt: s.startsAt, endsAt: s.endsAt });
  }
  return out;
}

/** Gaps between the first and last footage (not before or after). */
export function gapsBetween(spans: readonly Span[], toleranceMs = DEFAULT_GAP_TOLERANCE_MS): Gap[] {
  const merged = mergeSpans(spans, toleranceMs);
  return merged.slice(1).map((s, i) => ({ from: merged[i]!.endsAt, to: s.startsAt }));
}

/** Parts of [t0, t1) that no span covers, the edges included. */
export function gapsWithin(spans: readonly Span[], t0: number, t1: number, toleranceMs = DEFAULT_GAP_TOLERANCE_MS): Gap[] {
  const gaps: Gap[] = [];
  let cursor = t0;
  for (const s of mergeSpans(spans, toleranceMs)) {
    if (s.endsAt <= cursor || s.startsAt >= t1) continue;
    if (s.startsAt - cursor > toleranceMs) gaps.push({ from: cursor, to: s.startsAt });
    cursor = Math.max(cursor, s.endsAt);
  }
  if (t1 - cursor > toleranceMs) gaps.push({ from: cursor, to: t1 });
  return gaps;
}

/** Milliseconds of [t0, t1) covered by the spans. */
export function coveredMs(spans: readonly Span[], t0: number, t1: number): number {
  return mergeSpans(spans, 0).reduce((sum, s) => sum + Math.max(0, Math.min(s.endsAt, t1) - Math.max(s.startsAt, t0)), 0);
}

export interface DayCoverage {
  /** Local date, YYYY-MM-DD. */
  date: string;
  footageHours: number;
  segments: number;
  gaps: number;
}

export function coverageByDay(spans: readonly Span[], tz: string, toleranceMs = DEFAULT_GAP_TOLERANCE_MS): DayCoverage[] {
  if (spans.length === 0) return [];
  const merged = mergeSpans(spans, toleranceMs);
  const gaps = gapsBetween(spans, toleranceMs);
  const days: DayCoverage[] = [];
  const last = localDateAt(tz, merged[merged.length - 1]!.endsAt - 1);
  for (let date = localDateAt(tz, merged[0]!.startsAt); date <= last; date = nextDate(date)) {
    const t0 = startOfDay(tz, parseDate(date)!);
    const t1 = startOfDay(tz, parseDate(nextDate(date))!);
    const inDay = (t: number) => t >= t0 && t < t1;
    const row = {
      date,
      footageHours: coveredMs(spans, t0, t1) / 3_600_000,
      segments: spans.filter((s) => inDay(s.startsAt)).length,
      gaps: gaps.filter((g) => inDay(g.from)).length,
    };
    if (row.footageHours > 0 || row.segments > 0) days.push(row);
  }
  return days;
}

function nextDate(date: string): string {
  return formatDate(addDays(parseDate(date)!, 1));
}
