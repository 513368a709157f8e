// Letterbox: scale the source to fit the model input keeping its aspect
// ratio, pad the rest. The mapping is exact in both directions because the
// integer resized size is decided here and both ffmpeg (decode stage) and
// the box mapping use the same per-axis factors (resized / source).
//
// Padding is CENTRED (Ultralytics' convention, which YOLOv5/v8/11 models were
// trained with): padX = floor((modelW - resizedW) / 2), the odd pixel goes to
// the right/bottom. 'top-left' (YOLOX's training convention) is available
// for models that want it; centring is the default because most exports
// people bring are Ultralytics ones.
import type { Box } from '../types.ts';
import type { Size } from './types.ts';

export type PadAlign = 'center' | 'top-left';

export interface Letterbox {
  source: Size;
  model: Size;
  /** The content's size inside the model input. */
  resized: Size;
  /** min(modelW / srcW, modelH / srcH): the nominal scale. */
  scale: number;
  /** Exact per-axis factors resized / source (differ from `scale` by rounding). */
  scaleX: number;
  scaleY: number;
  padX: number;
  padY: number;
}

export function letterbox(source: Size, model: Size, align: PadAlign = 'center'): Letterbox {
  if (!(source.width > 0 && source.height > 0 && model.width > 0 && model.height > 0)) {
    throw new RangeError(`letterbox: sizes must be positive (source ${source.width}x${source.height}, model ${model.width}x${model.height})`);
  }
  const scale = Math.min(model.width / source.width, model.height / source.height);
  const w = Math.min(model.width, Math.max(1, Math.round(source.width * scale)));
  const h = Math.min(model.height, Math.max(1, Math.round(source.height * scale)));
  const padX = align === 'center' ? Math.floor((model.width - w) / 2) : 0;
  const padY = align === 'center' ? Math.floor((model.height - h) / 2) : 0;
  return { source, model, resized: { width: w, height: h }, scale, scaleX: w / source.width, scaleY: h / source.height, padX, padY };
}

/** Source pixels → model-input pixels. */
export function toModel(b: Box, lb: Letterbox): Box {
  return {
    x1: b.x1 * lb.scaleX + lb.padX,
    y1: b.y1 * lb.scaleY + lb.padY,
    x2: b.x2 * lb.scaleX + lb.padX,
    y2: b.y2 * lb.scaleY + lb.padY,
  };
}

const clip = (v: number, hi: number) => (v < 0 ? 0 : v > hi ? hi : v);

/** Model-input pixels → source pixels, clipped to the source image. */
export function toSource(b: Box, lb: Letterbox): Box {
  const { width, height } = lb.source;
  return {
    x1: clip((b.x1 - lb.padX) / lb.scaleX, width),
    y1: clip((b.y1 - lb.padY) / lb.scaleY, height),
    x2: clip((b.x2 - lb.padX) / lb.scaleX, width),
    y2: clip((b.y2 - lb.padY) / lb.scaleY, height),
  };
}

/** Grey 114, the padding colour Ultralytics and YOLOX train with. */
export const PAD_VALUE = 114;

/**
 * The ffmpeg filter chain producing exactly this letterbox as RGB24. The
 * format conversion comes before `pad` because padding a yuv420p frame rounds
 * odd offsets to even, which would shift the content by a pixel.
 */
export function letterboxFilter(lb: Letterbox): string {
  const { resized, model, padX, padY } = lb;
  return `scale=${resized.width}:${resized.height}:flags=bilinear,format=rgb24,pad=${model.width}:${model.height}:${padX}:${padY}:color=0x727272`;
}
