// Site-local hour ranges ('07:00-20:00') as minutes of the day. A range never
// crosses midnight: a window must not straddle midnight, so a night shift is
// written as two ranges, '22:00-24:00' and '00:00-06:00'.

export interface MinuteRange {
  /** Minute of the day, 0..1439. */
  start: number;
  /** Exclusive, 1..1440. */
  end: number;
}

const RANGE_RE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Parses one range or returns why it is not one. */
export function parseHourRange(text: string): MinuteRange | string {
  const m = RANGE_RE.exec(text);
  if (!m) return `expected 'HH:MM-HH:MM' such as '07:00-20:00', got ${JSON.stringify(text)}`;
  const [sh, sm, eh, em] = m.slice(1).map(Number) as [number, number, number, number];
  if (sh > 23 || sm > 59) return `start ${text.slice(0, 5)} is not a time of day`;
  if (eh > 24 || em > 59 || (eh === 24 && em > 0)) return `end ${text.slice(6)} is not a time of day (24:00 allowed)`;
  const range = { start: sh * 60 + sm, end: eh * 60 + em };
  if (range.end <= range.start) return `end must be after start (a range may not cross midnight: split it at 24:00)`;
  return range;
}

export function formatHourRange(r: MinuteRange): string {
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return `${hhmm(r.start)}-${hhmm(r.end)}`;
}

/** Sorted copy; the first overlapping pair, if any, is reported. */
export function sortRanges(ranges: MinuteRange[]): { sorted: MinuteRange[]; overlap: [MinuteRange, MinuteRange] | null } {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) return { sorted, overlap: [sorted[i - 1]!, sorted[i]!] };
  }
  return { sorted, overlap: null };
}

/**
 * Splits `range` where it enters or leaves `marks` (sorted, disjoint), so
 * each piece lies wholly inside or wholly outside them.
 */
export function splitByRanges(range: MinuteRange, marks: MinuteRange[]): { range: MinuteRange; inside: boolean }[] {
  const cuts = new Set<number>([range.start, range.end]);
  for (const m of marks) {
    if (m.start > range.start && m.start < range.end) cuts.add(m.start);
    if (m.end > range.start && m.end < range.end) cuts.add(m.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: { range: MinuteRange; inside: boolean }[] = [];
  for (let i = 1; i < points.length; i++) {
    const piece = { start: points[i - 1]!, end: points[i]! };
    out.push({ range: piece, inside: marks.some((m) => m.start <= piece.start && piece.end <= m.end) });
  }
  return out;
}
