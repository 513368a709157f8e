// Records of the detect stage. Stages outside detect need only Detector,
// InputSpec and LetterboxedFrame; the rest is shared between its modules.
import type { Detection, Frame } from '../types.ts';

export interface Size {
  width: number;
  height: number;
}

/** What the model wants, read from its input metadata (or the model config when dynamic). */
export interface InputSpec {
  /** Model input name. */
  name: string;
  width: number;
  height: number;
  layout: 'NHWC' | 'NCHW';
  dtype: 'uint8' | 'float32';
  /**
   * Float inputs only: pixel bytes scaled to 0..1 (Ultralytics, most exports)
   * or fed as 0..255 (official YOLOX exports, which normalise nothing).
   */
  range: '0-1' | '0-255';
  /** Largest batch one run takes: the fixed batch dimension, or Infinity when dynamic. */
  maxBatch: number;
}

/**
 * A frame the decode stage already letterboxed to the model input with
 * `letterbox(source, model)` (ffmpeg scale + pad); `source` is the camera
 * frame's size, so boxes come back in camera pixels.
 */
export interface LetterboxedFrame extends Frame {
  source: Size;
}

/** One detector interface for every model (Frigate's detection_api idea). */
export interface Detector {
  readonly inputSpec: InputSpec;
  /** The layout adapter in use (`ultralytics`, `yolov5`, `yolox`, `end2end`, `crosswatch`). */
  readonly layout: LayoutName;
  /** The model's own class names, index = class id. */
  readonly modelClasses: readonly string[];
  /**
   * Detects road users in a batch of frames; boxes are in source-image pixels,
   * clipped to the image. Frames of the model's size (or LetterboxedFrame) go
   * straight in; other sizes are letterboxed here in JavaScript (slower: let
   * ffmpeg do it in production).
   */
  detect(batch: readonly (Frame | LetterboxedFrame)[]): Promise<Detection[][]>;
  /**
   * Worker detectors only: like detect, but the frames' buffers move to the
   * worker instead of being copied (they are detached here until the call
   * settles) and come back, transferred again, with the result. A failed
   * call loses them. The caller may not touch the frames meanwhile.
   */
  detectMoving?(batch: readonly (Frame | LetterboxedFrame)[]): Promise<MovedResult>;
  /** Releases this handle; the shared session closes when its last handle does. */
  close(): Promise<void>;
}

export interface MovedResult {
  detections: Detection[][];
  /** The batch's buffers, back from the worker: one per distinct ArrayBuffer, in first-use order. */
  buffers: ArrayBuffer[];
}

export const LAYOUTS = ['ultralytics', 'yolov5', 'yolox', 'end2end', 'crosswatch'] as const;
export type LayoutName = (typeof LAYOUTS)[number];

/**
 * Candidates in model-input pixels, struct of arrays so decode and NMS touch
 * typed memory only. `cls` is the index in ROAD_USER_CLASSES (already mapped).
 * Grows on demand and is reused across calls.
 */
export class Candidates {
  count = 0;
  x1 = new Float32Array(256);
  y1 = new Float32Array(256);
  x2 = new Float32Array(256);
  y2 = new Float32Array(256);
  score = new Float32Array(256);
  cls = new Int8Array(256);
  /** The model class each candidate came from (the rider merge needs person vs bicycle). */
  modelCls = new Int32Array(256);

  reset(): void {
    this.count = 0;
  }

  push(x1: number, y1: number, x2: number, y2: number, score: number, cls: number, modelCls: number): void {
    if (this.count === this.x1.length) this.grow();
    const i = this.count++;
    this.x1[i] = x1;
    this.y1[i] = y1;
    this.x2[i] = x2;
    this.y2[i] = y2;
    this.score[i] = score;
    this.cls[i] = cls;
    this.modelCls[i] = modelCls;
  }

  private grow(): void {
    const n = this.x1.length * 2;
    const f = (a: Float32Array) => {
      const b = new Float32Array(n);
      b.set(a);
      return b;
    };
    this.x1 = f(this.x1);
    this.y1 = f(this.y1);
    this.x2 = f(this.x2);
    this.y2 = f(this.y2);
    this.score = f(this.score);
    const c = new Int8Array(n);
    c.set(this.cls);
    this.cls = c;
    const m = new Int32Array(n);
    m.set(this.modelCls);
    this.modelCls = m;
  }
}
