// Plane-to-plane projective maps (homographies): from image pixels to metres
// on the road, fitted to surveyed point pairs. The road is flat near a
// junction, so four or more image points whose ground positions are known
// (crosswalk corners taped out, points read off a survey map) fix the map;
// with it, speeds are metres per second wherever a road user is in the
// picture, not box heights that shrink with distance.
import type { Point } from '../types.ts';

/** Row-major 3×3, h[8] = 1. */
export type Homography = readonly [number, number, number, number, number, number, number, number, number];

export interface PointPair {
  from: Point;
  to: Point;
}

/**
 * The homography taking each `from` to its `to`, least squares over four or
 * more pairs (direct linear transform on normalised points, h33 = 1).
 * Undefined when the points do not fix one: fewer than four, or three of four
 * on a line.
 */
export function fitHomography(pairs: readonly PointPair[]): Homography | undefined {
  if (pairs.length < 4) return undefined;
  const nf = normaliser(pairs.map((p) => p.from));
  const nt = normaliser(pairs.map((p) => p.to));
  if (!nf || !nt) return undefined;
  // Normal equations AᵀA h = Aᵀb of the two rows each pair gives.
  const ata = Array.from({ length: 8 }, () => new Array<number>(8).fill(0));
  const atb = new Array<number>(8).fill(0);
  for (const { from, to } of pairs) {
    const [x, y] = apply(nf.m, from);
    const [u, v] = apply(nt.m, to);
    for (const [row, rhs] of [
      [[x, y, 1, 0, 0, 0, -x * u, -y * u], u],
      [[0, 0, 0, x, y, 1, -x * v, -y * v], v],
    ] as const) {
      for (let i = 0; i < 8; i++) {
        atb[i]! += row[i]! * rhs;
        for (let j = 0; j < 8; j++) ata[i]![j]! += row[i]! * row[j]!;
      }
    }
  }
  const h = solve(ata, atb);
  if (!h) return undefined;
  const hn: Mat = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!, 1];
  // Undo the normalisations: H = Tto⁻¹ · Hn · Tfrom.
  const H = mul(nt.inv, mul(hn, nf.m));
  const s = H[8];
  if (!Number.isFinite(s) || Math.abs(s) < 1e-12) return undefined;
  return H.map((x) => x / s) as unknown as Homography;
}

/** Maps image points onto the plane; undefined at or beyond the horizon (sky, not road). */
export type PlaneMap = (p: Point) => Point | undefined;

/**
 * The map fitted to the pairs, or undefined when they fix none, or when they
 * straddle the horizon (then they cannot all be on one plane in front of the
 * camera). A point maps only on the pairs' side of the horizon: `w` of the
 * other sign, or zero, is a point the plane never shows.
 */
export function planeMap(pairs: readonly PointPair[]): PlaneMap | undefined {
  const h = fitHomography(pairs);
  if (!h) return undefined;
  const w = (p: Point) => h[6] * p[0] + h[7] * p[1] + h[8];
  const signs = new Set(pairs.map((p) => Math.sign(w(p.from))));
  if (signs.size !== 1 || signs.has(0)) return undefined;
  const side = signs.has(1) ? 1 : -1;
  return (p) => {
    const wp = w(p);
    if (!(wp * side > 1e-12)) return undefined;
    return [(h[0] * p[0] + h[1] * p[1] + h[2]) / wp, (h[3] * p[0] + h[4] * p[1] + h[5]) / wp];
  };
}

type Mat = [number, number, number, number, number, number, number, number, number];

function apply(m: Mat, p: Point): Point {
  const w = m[6] * p[0] + m[7] * p[1] + m[8];
  return [(m[0] * p[0] + m[1] * p[1] + m[2]) / w, (m[3] * p[0] + m[4] * p[1] + m[5]) / w];
}

function mul(a: Mat, b: Mat): Mat {
  const out = new Array<number>(9).fill(0);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) for (let k = 0; k < 3; k++) out[r * 3 + c]! += a[r * 3 + k]! * b[k * 3 + c]!;
  return out as Mat;
}

/** Hartley's normalisation: centroid to the origin, mean distance √2. Undefined when the points coincide. */
function normaliser(pts: readonly Point[]): { m: Mat; inv: Mat } | undefined {
  const cx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const cy = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const d = pts.reduce((s, p) => s + Math.hypot(p[0] - cx, p[1] - cy), 0) / pts.length;
  if (!(d > 0) || !Number.isFinite(d)) return undefined;
  const k = Math.SQRT2 / d;
  return { m: [k, 0, -k * cx, 0, k, -k * cy, 0, 0, 1], inv: [1 / k, 0, cx, 0, 1 / k, cy, 0, 0, 1] };
}

/** Gaussian elimination with partial pivoting; undefined when singular (a degenerate point set). */
function solve(a: number[][], b: number[]): number[] | undefined {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...m.flat().map(Math.abs));
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    if (Math.abs(m[p]![c]!) <= 1e-10 * scale) return undefined;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * x[k]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}
