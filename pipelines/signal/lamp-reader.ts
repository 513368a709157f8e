// Reads which lamp of a signal head is lit from an RGB crop of the head.
//
// Position decides the colour, hue confirms it: a vehicle head's lamps run
// red, amber, green along its orientation, a pedestrian head's red then green.
// At night a lit lamp blooms to near-white with a coloured halo, so hue alone
// is unreliable; by day the unlit lamps are dark grey and the lit one is both
// bright and saturated. A head too small to split into lamps, or with two
// lamps equally bright, is `unknown`: never guessed — unless exactly one lamp
// has clear colour of the right hue for its place (something bright behind
// the head washes out the brightness contrast, not the lamp's colour).
import type { SignalColour } from '../types.ts';

export type HeadKind = 'vehicle' | 'pedestrian';
export type Orientation = 'vertical' | 'horizontal';

/** An RGB24 image (or a view into a larger one through `stride`). */
export interface RgbView {
  data: Uint8Array;
  width: number;
  height: number;
  /** Bytes per row; defaults to width * 3. */
  stride?: number;
  /** Byte offset of the view's top-left pixel; defaults to 0. */
  offset?: number;
}

export interface LampReading {
  colour: SignalColour;
  /** Contrast of the lit lamp over the brightest unlit one, 0..1. */
  confidence: number;
}

export interface LampReaderOptions {
  /** Minimum lamp cell size in pixels along the head; smaller heads read `unknown`. */
  minCellPixels: number;
  /**
   * Minimum brightness contrast (0..1) between the lit lamp and the next
   * brightest. Raising it avoids false reads in glare but risks `unknown`
   * for washed-out heads in rain.
   */
  minContrast: number;
  /** Minimum brightness (0..255) of a lit lamp; below it the head is `off`. */
  minLitLevel: number;
  /**
   * Fallback when brightness cannot tell the lamps apart (a white lorry or
   * sky showing through round the lamps makes every cell bright): the lit
   * lamp is the one with colour. Its chroma (max − min channel, 0..255) must
   * reach this, and the next most colourful cell must have at most half of
   * it. Lowering it reads more such heads but risks reading a coloured
   * object behind a dark head as a lamp.
   */
  minChroma: number;
}

export const DEFAULT_LAMP_OPTIONS: LampReaderOptions = { minCellPixels: 3, minContrast: 0.18, minLitLevel: 120, minChroma: 90 };

/** The one clearly coloured cell whose hue fits its position, or undefined. */
function byChroma(cells: CellStats[], order: SignalColour[], opts: LampReaderOptions): LampReading | undefined {
  const ranked = cells.map((c, i) => ({ ...c, i })).sort((a, b) => b.chroma - a.chroma);
  const lit = ranked[0]!;
  const next = ranked[1]!;
  if (lit.chroma < opts.minChroma || next.chroma > lit.chroma / 2) return undefined;
  const colour = order[lit.i]!;
  if (!hueAgrees(colour, lit.chromaRgb, false)) return undefined;
  return { colour, confidence: (lit.chroma - next.chroma) / 255 };
}

const VEHICLE_ORDER: SignalColour[] = ['red', 'amber', 'green'];
const PEDESTRIAN_ORDER: SignalColour[] = ['red', 'green'];

export function readLamps(view: RgbView, kind: HeadKind, orientation: Orientation, opts: LampReaderOptions = DEFAULT_LAMP_OPTIONS): LampReading {
  const order = kind === 'vehicle' ? VEHICLE_ORDER : PEDESTRIAN_ORDER;
  const along = orientation === 'vertical' ? view.height : view.width;
  if (along / order.length < opts.minCellPixels || Math.min(view.width, view.height) < opts.minCellPixels) {
    return { colour: 'unknown', confidence: 0 };
  }
  const cells = order.map((_, i) => cellStats(view, orientation, i, order.length));
  const ranked = cells.map((c, i) => ({ ...c, i })).sort((a, b) => b.level - a.level);
  const lit = ranked[0]!;
  const next = ranked[1]!;
  if (lit.level < opts.minLitLevel) return { colour: 'off', confidence: 1 - lit.level / opts.minLitLevel };
  const contrast = (lit.level - next.level) / Math.max(lit.level, 1);
  if (contrast < opts.minContrast) return byChroma(cells, order, opts) ?? { colour: 'unknown', confidence: contrast };
  const colour = order[lit.i]!;
  if (!hueAgrees(colour, lit.meanRgb)) return { colour: 'unknown', confidence: contrast / 2 };
  return { colour, confidence: Math.min(1, contrast) };
}

export interface CellStats {
  /** Mean brightness of the brightest quarter of the cell's pixels. */
  level: number;
  /** Mean colour of those pixels. */
  meanRgb: [number, number, number];
  /** Mean chroma (max − min channel) of the most colourful quarter of the cell's pixels. */
  chroma: number;
  /** Mean colour of those pixels. */
  chromaRgb: [number, number, number];
}

/**
 * Statistics of lamp cell `i` of `n`; the inner 60% across the head avoids the housing edge.
 *
 * "Brightest quarter" and "most colourful quarter" are the first k pixels of
 * a stable sort by level (resp. chroma), descending, in scan order. Levels
 * and chromas are whole numbers 0..255, so instead of sorting this finds the
 * threshold value from a histogram and takes every pixel above it plus the
 * first pixels (in scan order) equal to it: the same pixels a stable sort
 * picks, so the same sums, in O(pixels). Sorting with closures cost ~8 ms a
 * frame for the twin's 16 heads at signalScale 2, the main thread's largest
 * share of a window (scripts/bench-phases.ts with --cpu-prof).
 */
export function cellStats(view: RgbView, orientation: Orientation, i: number, n: number): CellStats {
  const stride = view.stride ?? view.width * 3;
  const base = view.offset ?? 0;
  const data = view.data;
  const vertical = orientation === 'vertical';
  const alongLen = vertical ? view.height : view.width;
  const acrossLen = vertical ? view.width : view.height;
  const a0 = Math.floor((alongLen * i) / n);
  const a1 = Math.max(a0 + 1, Math.floor((alongLen * (i + 1)) / n));
  const c0 = Math.floor(acrossLen * 0.2);
  const c1 = Math.max(c0 + 1, Math.ceil(acrossLen * 0.8));
  const count = (a1 - a0) * (c1 - c0);
  const s = scratchFor(count);
  s.levelHist.fill(0);
  s.chromaHist.fill(0);
  let k = 0;
  for (let a = a0; a < a1; a++) {
    for (let c = c0; c < c1; c++) {
      const x = vertical ? c : a;
      const y = vertical ? a : c;
      const p = base + y * stride + x * 3;
      const r = data[p]!;
      const g = data[p + 1]!;
      const b = data[p + 2]!;
      const max = r > g ? (r > b ? r : b) : g > b ? g : b;
      const min = r < g ? (r < b ? r : b) : g < b ? g : b;
      s.pixels[k] = p;
      s.levels[k] = max;
      s.chromas[k] = max - min;
      s.levelHist[max]!++;
      s.chromaHist[max - min]!++;
      k++;
    }
  }
  const take = Math.max(1, Math.ceil(count / 4));
  const top = topQuarter(s.levels, s.levelHist, s.pixels, count, take, data);
  const col = topQuarter(s.chromas, s.chromaHist, s.pixels, count, take, data);
  return {
    level: top.sum / take,
    meanRgb: [top.r / take, top.g / take, top.b / take],
    chroma: col.sum / take,
    chromaRgb: [col.r / take, col.g / take, col.b / take],
  };
}

interface Scratch {
  pixels: Int32Array;
  levels: Uint8Array;
  chromas: Uint8Array;
  levelHist: Int32Array;
  chromaHist: Int32Array;
}
let scratch: Scratch | undefined;

/** Reused per-pixel buffers (readLamps runs synchronously, one cell at a time). */
function scratchFor(count: number): Scratch {
  if (!scratch || scratch.pixels.length < count) {
    const size = Math.max(count, 4096);
    scratch = { pixels: new Int32Array(size), levels: new Uint8Array(size), chromas: new Uint8Array(size), levelHist: new Int32Array(256), chromaHist: new Int32Array(256) };
  }
  return scratch;
}

/** Sum of `values` and of the pixels' RGB over the first `take` pixels of a stable descending sort by `values`. */
function topQuarter(values: Uint8Array, hist: Int32Array, pixels: Int32Array, count: number, take: number, data: Uint8Array) {
  // Threshold: the value of the take-th pixel in descending order; `above` pixels lie strictly above it.
  let threshold = 255;
  let above = 0;
  while (above + hist[threshold]! < take) above += hist[threshold--]!;
  let equal = take - above;
  let sum = 0;
  let r = 0;
  let g = 0;
  let b = 0;
  for (let k = 0; k < count; k++) {
    const v = values[k]!;
    if (v < threshold) continue;
    if (v === threshold) {
      if (equal === 0) continue;
      equal--;
    }
    const p = pixels[k]!;
    sum += v;
    r += data[p]!;
    g += data[p + 1]!;
    b += data[p + 2]!;
  }
  return { sum, r, g, b };
}

/**
 * Hue check with slack for bloom: a near-white (unsaturated) lamp passes, as
 * night blooming makes every lit lamp white at its core; a clearly saturated
 * lamp of the wrong hue (a green lamp where red should be) fails.
 */
function hueAgrees(colour: SignalColour, [r, g, b]: [number, number, number], allowWhite = true): boolean {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const saturation = max === 0 ? 0 : (max - min) / max;
  if (saturation < 0.25) return allowWhite;
  const hue = hueDegrees(r, g, b);
  switch (colour) {
    case 'red':
      return hue <= 40 || hue >= 300;
    case 'amber':
      return hue >= 15 && hue <= 75;
    case 'green':
      return hue >= 75 && hue <= 210;
    default:
      return false;
  }
}

function hueDegrees(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return 0;
  let h: number;
  if (max === r) h = ((g - b) / d) % 6;
  else if (max === g) h = (b - r) / d + 2;
  else h = (r - g) / d + 4;
  return (h * 60 + 360) % 360;
}
