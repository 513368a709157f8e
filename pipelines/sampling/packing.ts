// Interval arithmetic on the start grid. A Span is a run of grid points
// [a, b], both included, where a window may start. A window starting at s
// blocks every start within l - 1 points of s (l = window length in points),
// because two windows overlap exactly when their starts differ by less than l.

export interface Span {
  a: number;
  b: number;
}

export function spanPoints(spans: readonly Span[]): number {
  let n = 0;
  for (const s of spans) n += s.b - s.a + 1;
  return n;
}

/** Union of spans as sorted, disjoint, non-touching spans. */
export function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = isSorted(spans) ? spans : [...spans].sort((x, y) => x.a - y.a);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.a <= last.b + 1) last.b = Math.max(last.b, s.b);
    else out.push({ a: s.a, b: s.b });
  }
  return out;
}

function isSorted(spans: readonly Span[]): boolean {
  for (let i = 1; i < spans.length; i++) if (spans[i]!.a < spans[i - 1]!.a) return false;
  return true;
}

/**
 * Most non-overlapping windows that fit in merged spans. Taking the earliest
 * start still free is optimal for windows of one length (interval scheduling).
 */
export function packCount(merged: readonly Span[], l: number): number {
  let count = 0;
  let cursor = -Infinity;
  for (const s of merged) {
    const first = Math.max(s.a, cursor);
    if (first > s.b) continue;
    const k = Math.floor((s.b - first) / l) + 1;
    count += k;
    cursor = first + k * l;
  }
  return count;
}

/** Starts of the earliest-first packing, ascending. */
export function leftGreedy(merged: readonly Span[], l: number): number[] {
  const out: number[] = [];
  let cursor = -Infinity;
  for (const s of merged) {
    for (let p = Math.max(s.a, cursor); p <= s.b; p += l) out.push(p);
    if (out.length > 0) cursor = out[out.length - 1]! + l;
  }
  return out;
}

/** Starts of the latest-first packing, ascending. */
export function rightGreedy(merged: readonly Span[], l: number): number[] {
  const out: number[] = [];
  let cursor = Infinity;
  for (let i = merged.length - 1; i >= 0; i--) {
    const s = merged[i]!;
    for (let p = Math.min(s.b, cursor); p >= s.a; p -= l) out.push(p);
    if (out.length > 0) cursor = out[out.length - 1]! - l;
  }
  return out.reverse();
}

/**
 * Where a window may start in merged spans without lowering how many fit:
 * the i-th window of every largest packing lies between the i-th start of the
 * earliest-first and of the latest-first packing, and any free start there
 * leaves room for the others.
 */
export function tightStarts(merged: readonly Span[], l: number): Span[] {
  const g = leftGreedy(merged, l);
  const h = rightGreedy(merged, l);
  return mergeSpans(g.map((a, i) => ({ a, b: h[i]! })));
}

/** Points of `spans` outside `holes` (both sorted and disjoint). */
export function subtractSpans(spans: readonly Span[], holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  let h = 0;
  for (const s of spans) {
    let a = s.a;
    while (h < holes.length && holes[h]!.b < a) h++;
    for (let k = h; k < holes.length && holes[k]!.a <= s.b; k++) {
      if (holes[k]!.a > a) out.push({ a, b: holes[k]!.a - 1 });
      a = Math.max(a, holes[k]!.b + 1);
    }
    if (a <= s.b) out.push({ a, b: s.b });
  }
  return out;
}

/** Points in both (each sorted and disjoint). */
export function intersectSpans(x: readonly Span[], y: readonly Span[]): Span[] {
  const out: Span[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const a = Math.max(x[i]!.a, y[j]!.a);
    const b = Math.min(x[i]!.b, y[j]!.b);
    if (a <= b) out.push({ a, b });
    if (x[i]!.b < y[j]!.b) i++;
    else j++;
  }
  return out;
}

/** The starts a set of chosen starts blocks, merged. */
export function blockedBy(starts: readonly number[], l: number): Span[] {
  return mergeSpans(starts.map((s) => ({ a: s - l + 1, b: s + l - 1 })));
}
