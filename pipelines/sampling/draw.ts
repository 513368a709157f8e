// Draws k non-overlapping windows, one after another, each uniform over the
// (camera, start) pairs still free: the eligible time measure, so a camera
// with twice the footage gets twice the windows on average.
//
// Each window is placed in one of three ways:
// - rejection: a start drawn uniformly from all eligible starts, kept if it
//   overlaps no window already chosen in its lane. Cheap, and exact, because a
//   kept start is uniform over the free starts. Bounded: after MAX_REJECTIONS
//   misses the free set is computed instead.
// - exact: a start drawn uniformly from the free set itself.
// - tight: when the windows still to place equal the most that still fit,
//   a careless start would make the request impossible, so the start is drawn
//   from the free starts that keep every window placeable (packing.ts,
//   tightStarts). Only near-capacity requests get here; they are less uniform
//   by necessity.
// A start that leaves at least one spare window of capacity can lose at most
// two, so with the tight rule the draw never paints itself into a corner: it
// succeeds whenever k fits at all.
import { blockedBy, intersectSpans, mergeSpans, packCount, spanPoints, subtractSpans, tightStarts, type Span } from './packing.ts';
import type { Rng } from './random.ts';
import type { DrawMethods } from './types.ts';

/** A camera's eligible starts in one stratum. `lane`: windows in one lane may not overlap. */
export interface Piece {
  camera: number;
  lane: number;
  spans: Span[];
}

export interface DrawnStart {
  camera: number;
  start: number;
}

/**
 * Misses before switching from rejection to an exact draw. Raising it saves
 * building the free set on crowded draws but wastes time when most starts
 * are taken; at 32 a draw that uses under half its capacity almost never
 * needs the exact step.
 */
const MAX_REJECTIONS = 32;

interface Candidate {
  camera: number;
  lane: number;
  spans: Span[];
}

/** The windows of one lane so far, with what is derived from them, recomputed only after the lane changes. */
interface Lane {
  pieces: Piece[];
  chosen: number[];
  capacity: number;
  /** Capacity is out of date. */
  stale: boolean;
  /** Free starts that keep the lane's capacity, and their count; null until needed. */
  tight: { candidates: Candidate[]; points: number } | null;
}

type Pick = { camera: number; lane: number; start: number };

export function drawStarts(pieces: Piece[], l: number, k: number, rng: Rng, methods: DrawMethods): DrawnStart[] {
  const lanes = buildLanes(pieces, l);
  const out: DrawnStart[] = [];
  // A placed window costs its lane one or two windows of capacity, so the
  // slack falls by at most one a step: it is recounted only when it may be 0.
  let slackAtLeast = -1;
  for (let placed = 0; placed < k; placed++) {
    if (slackAtLeast < 1) slackAtLeast = totalCapacity(lanes, l) - (k - placed);
    if (slackAtLeast < 0) throw new Error(`internal: sampling capacity fell below need (slack ${slackAtLeast})`);
    const pick = slackAtLeast >= 1 ? pickLoose(pieces, lanes, l, rng, methods) : pickTight(lanes, l, rng, methods);
    const lane = lanes[pick.lane]!;
    insertSorted(lane.chosen, pick.start);
    lane.stale = true;
    lane.tight = null;
    slackAtLeast--;
    out.push({ camera: pick.camera, start: pick.start });
  }
  return out;
}

function buildLanes(pieces: Piece[], l: number): Lane[] {
  const lanes: Lane[] = [];
  for (const p of pieces) {
    lanes[p.lane] ??= { pieces: [], chosen: [], capacity: 0, stale: true, tight: null };
    lanes[p.lane]!.pieces.push(p);
  }
  totalCapacity(lanes, l);
  return lanes;
}

function totalCapacity(lanes: Lane[], l: number): number {
  let total = 0;
  for (const lane of lanes) {
    if (lane.stale) lane.capacity = packCount(mergeSpans(freeOf(lane, l).flatMap((c) => c.spans)), l);
    lane.stale = false;
    total += lane.capacity;
  }
  return total;
}

function pickLoose(pieces: Piece[], lanes: Lane[], l: number, rng: Rng, methods: DrawMethods): Pick {
  for (let i = 0; i < MAX_REJECTIONS; i++) {
    const p = pickUniform(pieces, rng);
    if (!conflicts(lanes[p.lane]!.chosen, p.start, l)) {
      methods.rejection++;
      return p;
    }
  }
  methods.exact++;
  return pickUniform(lanes.flatMap((lane) => freeOf(lane, l)), rng);
}

/** Uniform over the starts that keep every lane's capacity: first a lane by its count of them, then a start. */
function pickTight(lanes: Lane[], l: number, rng: Rng, methods: DrawMethods): Pick {
  methods.tight++;
  const tight = lanes.map((lane) => (lane.tight ??= tightOf(lane, l)));
  let r = rng.int(tight.reduce((s, t) => s + t.points, 0));
  const i = tight.findIndex((t) => (r -= t.points) < 0);
  return pickAt(tight[i]!.candidates, r + tight[i]!.points);
}

function tightOf(lane: Lane, l: number): { candidates: Candidate[]; points: number } {
  const free = freeOf(lane, l);
  const good = tightStarts(mergeSpans(free.flatMap((c) => c.spans)), l);
  const candidates = free.map((c) => ({ ...c, spans: intersectSpans(c.spans, good) }));
  return { candidates, points: candidates.reduce((s, c) => s + spanPoints(c.spans), 0) };
}

function freeOf(lane: Lane, l: number): Candidate[] {
  const blocked = blockedBy(lane.chosen, l);
  return lane.pieces.map((p) => ({ camera: p.camera, lane: p.lane, spans: subtractSpans(p.spans, blocked) }));
}

/** A uniform (camera, start) pair over all points of the candidates. */
function pickUniform(candidates: Candidate[], rng: Rng): Pick {
  return pickAt(candidates, rng.int(candidates.reduce((s, c) => s + spanPoints(c.spans), 0)));
}

/** The r-th point of the candidates, counting from 0. */
function pickAt(candidates: Candidate[], r: number): Pick {
  for (const c of candidates) {
    for (const s of c.spans) {
      const n = s.b - s.a + 1;
      if (r < n) return { camera: c.camera, lane: c.lane, start: s.a + r };
      r -= n;
    }
  }
  throw new Error('internal: no free start to draw from');
}

/** Whether a window at `start` would overlap one of the sorted `starts`. */
function conflicts(starts: number[], start: number, l: number): boolean {
  const i = lowerBound(starts, start);
  return (i < starts.length && starts[i]! - start < l) || (i > 0 && start - starts[i - 1]! < l);
}

function insertSorted(starts: number[], start: number): void {
  starts.splice(lowerBound(starts, start), 0, start);
}

function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
