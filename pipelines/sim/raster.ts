// A tiny software rasteriser on RGB24 typed arrays: scanline polygon fill,
// discs, glows and lines. Flat loops over typed arrays, no per-pixel closures,
// so a 1280x720 frame of road users costs a few milliseconds.

export interface Canvas {
  data: Uint8Array;
  width: number;
  height: number;
}

const xsScratch = new Float64Array(512);

/**
 * Calls span(y, x0, x1) (x1 exclusive, clipped to [0, width)) for every row
 * of a polygon given as flat [x0, y0, x1, y1, ...] (even-odd rule, pixel centres).
 */
function scan(pts: ArrayLike<number>, width: number, height: number, span: (y: number, x0: number, x1: number) => void): void {
  const n = pts.length >> 1;
  if (n < 3) return;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 1; i < pts.length; i += 2) {
    const y = pts[i]!;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const y1 = Math.min(height - 1, Math.floor(maxY - 0.5));
  for (let y = y0; y <= y1; y++) {
    const yc = y + 0.5;
    let k = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ay = pts[2 * i + 1]!;
      const by = pts[2 * j + 1]!;
      if ((ay <= yc && yc < by) || (by <= yc && yc < ay)) {
        const ax = pts[2 * i]!;
        const bx = pts[2 * j]!;
        if (k < xsScratch.length) xsScratch[k++] = ax + ((yc - ay) * (bx - ax)) / (by - ay);
      }
    }
    if (k < 2) continue;
    // Insertion sort: k is tiny.
    for (let a = 1; a < k; a++) {
      const v = xsScratch[a]!;
      let b = a - 1;
      while (b >= 0 && xsScratch[b]! > v) {
        xsScratch[b + 1] = xsScratch[b]!;
        b--;
      }
      xsScratch[b + 1] = v;
    }
    for (let a = 0; a + 1 < k; a += 2) {
      const xa = Math.max(0, Math.ceil(xsScratch[a]! - 0.5));
      const xb = Math.min(width, Math.ceil(xsScratch[a + 1]! - 0.5));
      if (xb > xa) span(y, xa, xb);
    }
  }
}

/** Fills a polygon with a colour; alpha 0..1 blends over what is there. */
export function fillPolygon(c: Canvas, pts: ArrayLike<number>, r: number, g: number, b: number, alpha = 1): void {
  const d = c.data;
  const w = c.width;
  if (alpha >= 0.999) {
    scan(pts, c.width, c.height, (y, x0, x1) => {
      let i = (y * w + x0) * 3;
      for (let x = x0; x < x1; x++, i += 3) {
        d[i] = r;
        d[i + 1] = g;
        d[i + 2] = b;
      }
    });
    return;
  }
  const a = Math.round(alpha * 256);
  const na = 256 - a;
  const ra = r * a;
  const ga = g * a;
  const ba = b * a;
  scan(pts, c.width, c.height, (y, x0, x1) => {
    let i = (y * w + x0) * 3;
    for (let x = x0; x < x1; x++, i += 3) {
      d[i] = (d[i]! * na + ra) >> 8;
      d[i + 1] = (d[i + 1]! * na + ga) >> 8;
      d[i + 2] = (d[i + 2]! * na + ba) >> 8;
    }
  });
}

/**
 * Fills a polygon into an id buffer and returns how many pixels became this
 * id (pixels it already held are not counted twice).
 */
export function fillPolygonId(buf: Uint16Array, width: number, height: number, pts: ArrayLike<number>, id: number): number {
  let count = 0;
  scan(pts, width, height, (y, x0, x1) => {
    const row = y * width;
    for (let x = x0; x < x1; x++) {
      if (buf[row + x] !== id) {
        buf[row + x] = id;
        count++;
      }
    }
  });
  return count;
}

export function fillRect(c: Canvas, x: number, y: number, w: number, h: number, r: number, g: number, b: number, alpha = 1): void {
  fillPolygon(c, [x, y, x + w, y, x + w, y + h, x, y + h], r, g, b, alpha);
}

/** Filled disc. */
export function fillDisc(c: Canvas, cx: number, cy: number, radius: number, r: number, g: number, b: number, alpha = 1): void {
  const seg = Math.max(8, Math.min(32, Math.ceil(radius * 2)));
  const pts: number[] = [];
  for (let i = 0; i < seg; i++) {
    const a = (2 * Math.PI * i) / seg;
    pts.push(cx + radius * Math.cos(a), cy + radius * Math.sin(a));
  }
  fillPolygon(c, pts, r, g, b, alpha);
}

/** Additive soft glow (light bloom): brightness falls off with distance from the centre. */
export function glow(c: Canvas, cx: number, cy: number, radius: number, r: number, g: number, b: number, strength = 1): void {
  const d = c.data;
  const w = c.width;
  const x0 = Math.max(0, Math.floor(cx - radius));
  const x1 = Math.min(c.width - 1, Math.ceil(cx + radius));
  const y0 = Math.max(0, Math.floor(cy - radius));
  const y1 = Math.min(c.height - 1, Math.ceil(cy + radius));
  const inv = 1 / (radius * radius);
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    let i = (y * w + x0) * 3;
    for (let x = x0; x <= x1; x++, i += 3) {
      const dx = x + 0.5 - cx;
      const q = 1 - (dx * dx + dy * dy) * inv;
      if (q <= 0) continue;
      const k = q * q * strength;
      d[i] = Math.min(255, d[i]! + r * k);
      d[i + 1] = Math.min(255, d[i + 1]! + g * k);
      d[i + 2] = Math.min(255, d[i + 2]! + b * k);
    }
  }
}

/** A line of the given pixel width, as a quad. */
export function drawLine(c: Canvas, x0: number, y0: number, x1: number, y1: number, width: number, r: number, g: number, b: number, alpha = 1): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len = Math.hypot(dx, dy);
  if (len < 1e-6) return;
  const nx = (-dy / len) * (width / 2);
  const ny = (dx / len) * (width / 2);
  fillPolygon(c, [x0 + nx, y0 + ny, x1 + nx, y1 + ny, x1 - nx, y1 - ny, x0 - nx, y0 - ny], r, g, b, alpha);
}

/** Convex hull of flat points (monotone chain), as flat points. */
export function convexHull(pts: ArrayLike<number>): number[] {
  const idx: number[] = [];
  for (let i = 0; i < pts.length >> 1; i++) idx.push(i);
  idx.sort((a, b) => pts[2 * a]! - pts[2 * b]! || pts[2 * a + 1]! - pts[2 * b + 1]!);
  const crossAt = (o: number, a: number, b: number) =>
    (pts[2 * a]! - pts[2 * o]!) * (pts[2 * b + 1]! - pts[2 * o + 1]!) - (pts[2 * a + 1]! - pts[2 * o + 1]!) * (pts[2 * b]! - pts[2 * o]!);
  const lower: number[] = [];
  for (const i of idx) {
    while (lower.length >= 2 && crossAt(lower[lower.length - 2]!, lower[lower.length - 1]!, i) <= 0) lower.pop();
    lower.push(i);
  }
  const upper: number[] = [];
  for (let k = idx.length - 1; k >= 0; k--) {
    const i = idx[k]!;
    while (upper.length >= 2 && crossAt(upper[upper.length - 2]!, upper[upper.length - 1]!, i) <= 0) upper.pop();
    upper.push(i);
  }
  const hull = lower.slice(0, -1).concat(upper.slice(0, -1));
  const out: number[] = [];
  for (const i of hull) out.push(pts[2 * i]!, pts[2 * i + 1]!);
  return out;
}
