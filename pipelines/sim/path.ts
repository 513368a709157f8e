// Paths road users follow: polylines with cumulative arc length, so an actor
// is just (path, s) and its position and heading are looked up, not integrated.

export type Vec2 = readonly [number, number];

export interface Path {
  xs: Float64Array;
  ys: Float64Array;
  /** Cumulative length at each vertex; cum[0] = 0. */
  cum: Float64Array;
  length: number;
}

export function makePath(points: readonly Vec2[]): Path {
  const pts = points.filter((p, i) => i === 0 || Math.hypot(p[0] - points[i - 1]![0], p[1] - points[i - 1]![1]) > 1e-6);
  const n = pts.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const cum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = pts[i]![0];
    ys[i] = pts[i]![1];
    if (i > 0) cum[i] = cum[i - 1]! + Math.hypot(xs[i]! - xs[i - 1]!, ys[i]! - ys[i - 1]!);
  }
  return { xs, ys, cum, length: cum[n - 1] ?? 0 };
}

/** Samples of a quadratic Bezier from p0 to p2 with control p1 (p0 excluded). */
export function bezier(p0: Vec2, p1: Vec2, p2: Vec2, segments = 24): Vec2[] {
  const out: Vec2[] = [];
  for (let i = 1; i <= segments; i++) {
    const t = i / segments;
    const a = (1 - t) * (1 - t);
    const b = 2 * t * (1 - t);
    const c = t * t;
    out.push([a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]]);
  }
  return out;
}

export interface Pose {
  x: number;
  y: number;
  /** Unit heading. */
  hx: number;
  hy: number;
}

/** Position and heading at arc length s (clamped to the path; extrapolated past the end). */
export function poseAt(path: Path, s: number): Pose {
  const { xs, ys, cum } = path;
  const n = xs.length;
  let lo = 0;
  let hi = n - 1;
  if (s <= 0) hi = 1;
  else if (s >= path.length) lo = n - 2;
  else {
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! <= s) lo = mid;
      else hi = mid;
    }
  }
  lo = Math.max(0, Math.min(lo, n - 2));
  hi = lo + 1;
  const seg = cum[hi]! - cum[lo]!;
  const t = seg > 0 ? (s - cum[lo]!) / seg : 0;
  const dx = xs[hi]! - xs[lo]!;
  const dy = ys[hi]! - ys[lo]!;
  const len = Math.hypot(dx, dy) || 1;
  return { x: xs[lo]! + t * dx, y: ys[lo]! + t * dy, hx: dx / len, hy: dy / len };
}
