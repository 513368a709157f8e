// Geometry of the packed output frame: the letterboxed detector input on top,
// the signal strip (every signal head, shelf-packed) below it, all one width.
// Pure; the filter builder turns this into ffmpeg filters.
import { CrosswatchError } from '../errors.ts';
import { letterbox } from '../detect/letterbox.ts';
import type { LetterboxSpec, Rect, SignalRegionSpec, StripCell } from './types.ts';

export interface PackedLayout {
  /** Width of the packed frame (the detector input width). */
  width: number;
  detHeight: number;
  stripHeight: number;
  /** Bytes of one packed RGB24 frame. */
  frameBytes: number;
  /** Integer geometry of the detector branch. */
  det: { crop: Rect; scaledWidth: number; scaledHeight: number; padX: number; padY: number };
  cells: StripCell[];
  /** Cells grouped into shelves (rows), in order; each shelf spans the full width. */
  shelves: { y: number; height: number; cells: StripCell[] }[];
}

/**
 * The detector branch's letterbox of a (cropped) frame into dstWidth × dstHeight,
 * from the detect stage's letterbox so ffmpeg and the box mapping agree.
 */
export function letterboxFor(srcWidth: number, srcHeight: number, dstWidth: number, dstHeight: number, crop?: Rect): LetterboxSpec {
  const lb = letterbox({ width: crop?.width ?? srcWidth, height: crop?.height ?? srcHeight }, { width: dstWidth, height: dstHeight });
  return { width: dstWidth, height: dstHeight, scale: lb.scale, padX: lb.padX, padY: lb.padY, ...(crop ? { crop } : {}) };
}

/** A rectangle snapped outwards to whole pixels and clamped to the frame; null when nothing is left. */
export function clampRect(r: Rect, frameWidth: number, frameHeight: number): Rect | null {
  const x1 = Math.max(0, Math.floor(r.x));
  const y1 = Math.max(0, Math.floor(r.y));
  const x2 = Math.min(frameWidth, Math.ceil(r.x + r.width));
  const y2 = Math.min(frameHeight, Math.ceil(r.y + r.height));
  if (x2 - x1 < 1 || y2 - y1 < 1) return null;
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

export function packedLayout(
  frameWidth: number,
  frameHeight: number,
  letterbox: LetterboxSpec,
  signals: readonly SignalRegionSpec[],
  signalScale: number,
): PackedLayout {
  const det = detGeometry(frameWidth, frameHeight, letterbox);
  const { cells, shelves, height } = packStrip(frameWidth, frameHeight, letterbox.width, signals, signalScale);
  return {
    width: letterbox.width,
    detHeight: letterbox.height,
    stripHeight: height,
    frameBytes: letterbox.width * (letterbox.height + height) * 3,
    det,
    cells,
    shelves,
  };
}

function detGeometry(frameWidth: number, frameHeight: number, lb: LetterboxSpec): PackedLayout['det'] {
  const crop = clampRect(lb.crop ?? { x: 0, y: 0, width: frameWidth, height: frameHeight }, frameWidth, frameHeight);
  if (!crop) throw new CrosswatchError('DECODE_FAILED', `detector crop ${JSON.stringify(lb.crop)} lies outside the ${frameWidth}x${frameHeight} frame`);
  if (!(lb.scale > 0) || lb.padX < 0 || lb.padY < 0 || lb.padX >= lb.width || lb.padY >= lb.height) {
    throw new CrosswatchError('DECODE_FAILED', `invalid letterbox ${JSON.stringify(lb)}`);
  }
  // Rounding may overshoot the input by a pixel; the pad filter needs the image inside.
  const scaledWidth = Math.max(1, Math.min(lb.width - lb.padX, Math.round(crop.width * lb.scale)));
  const scaledHeight = Math.max(1, Math.min(lb.height - lb.padY, Math.round(crop.height * lb.scale)));
  return { crop, scaledWidth, scaledHeight, padX: Math.round(lb.padX), padY: Math.round(lb.padY) };
}

/**
 * Next-fit shelf packing, in the given order so the layout is reproducible:
 * heads go left to right until the width is used, then a new shelf starts.
 * A head wider than the strip is scaled down to fit rather than refused.
 */
function packStrip(frameWidth: number, frameHeight: number, stripWidth: number, signals: readonly SignalRegionSpec[], signalScale: number) {
  const cells: StripCell[] = [];
  const shelves: PackedLayout['shelves'] = [];
  let shelf: PackedLayout['shelves'][number] | undefined;
  let x = 0;
  let y = 0;
  for (const s of signals) {
    const source = clampRect(s.region, frameWidth, frameHeight);
    if (!source) throw new CrosswatchError('DECODE_FAILED', `signal ${s.id}: region ${JSON.stringify(s.region)} lies outside the ${frameWidth}x${frameHeight} frame`);
    const scale = Math.min(signalScale, stripWidth / source.width);
    const width = Math.max(1, Math.min(stripWidth, Math.round(source.width * scale)));
    const height = Math.max(1, Math.round(source.height * scale));
    if (!shelf || x + width > stripWidth) {
      if (shelf) y += shelf.height;
      shelf = { y, height: 0, cells: [] };
      shelves.push(shelf);
      x = 0;
    }
    const cell: StripCell = { id: s.id, x, y, width, height, scale, source };
    shelf.cells.push(cell);
    shelf.height = Math.max(shelf.height, height);
    cells.push(cell);
    x += width;
  }
  return { cells, shelves, height: shelf ? y + shelf.height : 0 };
}
