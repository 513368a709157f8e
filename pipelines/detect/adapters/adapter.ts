// The contract every output-layout adapter fulfils: recognise its layout
// from the concrete output shapes, and decode one batch item into
// candidates in model-input pixels with our classes (see ../types.ts).
import type { Candidates, LayoutName, Size } from '../types.ts';

export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

export interface MatchContext {
  input: Size;
  /** Feature-map strides of grid-based heads (default 8, 16, 32). */
  strides: readonly number[];
}

export interface DecodeSpec extends MatchContext {
  numClasses: number;
  /** Candidates below this score are skipped before anything else is computed. */
  scoreThreshold: number;
  /** model class id → road-user class index, -1 = drop. */
  toOurs: Int8Array;
}

export type Decoder = (outputs: readonly OutputTensor[], batchIndex: number, into: Candidates) => void;

export interface Adapter {
  name: LayoutName;
  /** Shape description for error messages. */
  expects: string;
  /** The model's class count when the outputs fit this layout; undefined otherwise. */
  match(shapes: readonly (readonly number[])[], ctx: MatchContext): number | undefined;
  /** Builds a decoder (precomputing what it can, e.g. YOLOX grids). */
  decoder(spec: DecodeSpec): Decoder;
}

/** Anchor points of a grid head: sum over strides of (H/s)·(W/s). */
export function gridCount(input: Size, strides: readonly number[]): number {
  let n = 0;
  for (const s of strides) n += Math.floor(input.height / s) * Math.floor(input.width / s);
  return n;
}

/** The only output as [B, a, b], or undefined when the model has another arity or rank. */
export function single3d(shapes: readonly (readonly number[])[]): readonly [number, number, number] | undefined {
  if (shapes.length !== 1) return undefined;
  const s = shapes[0]!;
  return s.length === 3 ? [s[0]!, s[1]!, s[2]!] : undefined;
}

/** Row-major candidate rows `[.., classes...]`: best class id among `nc` starting at `off`. */
export function argmaxRow(data: Float32Array, off: number, nc: number): number {
  let best = 0;
  let bv = data[off]!;
  for (let c = 1; c < nc; c++) {
    const v = data[off + c]!;
    if (v > bv) {
      bv = v;
      best = c;
    }
  }
  return best;
}
