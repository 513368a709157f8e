// One window of one camera as a stream of frames: plans the pieces, decodes
// them one after the other, and keeps the report of what footage was there.
import { CrosswatchError } from '../errors.ts';
import { BufferPool } from './frame-reader.ts';
import { packedLayout } from './layout.ts';
import { buildDecodeArgs } from './args.ts';
import { decodePiece, type PieceOutcome } from './piece-decoder.ts';
import { planWindow, slotStart, type Piece, type WindowPlan } from './plan.ts';
import type { DecodedFrame, FootageSegment, Hole, LetterboxSpec, SegmentReport, SignalRegionSpec, WindowDecodeReport } from './types.ts';

export interface DecodeWindowOptions {
  ffmpegPath: string;
  /** Window [t0, t1), ms UTC. */
  t0: number;
  t1: number;
  /** Catalog segments that may cover the window, any order. */
  segments: readonly FootageSegment[];
  detector: LetterboxSpec;
  signals?: readonly SignalRegionSpec[];
  /** Strip pixels per full-resolution pixel for signal heads (1 or 2). */
  signalScale?: number;
  /** Sampling rate, frames per second of footage. Default 8. */
  sampleFps?: number;
  padColour?: readonly [number, number, number];
  /** ffmpeg decoder and filter threads; 0 (default) lets ffmpeg choose. */
  threads?: number;
  /**
   * Frames decoded ahead of the consumer. Raising it smooths out a consumer
   * whose pace varies but costs one packed frame of memory each.
   */
  queueSize?: number;
  signal?: AbortSignal;
  /** 'report' (default): a file ffmpeg fails on is reported and the window goes on; 'throw': it ends the window. */
  onSegmentError?: 'report' | 'throw';
  onSpawn?: (pid: number) => void;
}

export interface WindowDecode {
  plan: WindowPlan;
  /** Frames in time order; throws FOOTAGE_MISSING, DECODE_FAILED (nothing decodable) or ABORTED. */
  frames: AsyncGenerator<DecodedFrame, void, undefined>;
  /** What was delivered so far; `complete` once the frames have run out. */
  report(): WindowDecodeReport;
}

export const DEFAULT_SAMPLE_FPS = 8;
export const DEFAULT_QUEUE_SIZE = 4;

export function decodeWindow(o: DecodeWindowOptions): WindowDecode {
  const sampleFps = o.sampleFps ?? DEFAULT_SAMPLE_FPS;
  if (!(o.t1 > o.t0)) throw new CrosswatchError('USAGE', `empty window [${o.t0}, ${o.t1})`);
  const plan = planWindow(o.t0, o.t1, o.segments, sampleFps);
  const report: WindowDecodeReport = {
    t0: o.t0,
    t1: o.t1,
    sampleFps,
    gaps: plan.gaps,
    segments: [],
    expectedFrames: plan.pieces.reduce((n, p) => n + p.expectedSlots.length, 0),
    deliveredFrames: 0,
    missingFrames: 0,
    coveredMs: 0,
    frameBytes: 0,
    buffersAllocated: 0,
    complete: false,
  };
  return { plan, frames: run(plan, o, report), report: () => report };
}

async function* run(plan: WindowPlan, o: DecodeWindowOptions, report: WindowDecodeReport): AsyncGenerator<DecodedFrame, void, undefined> {
  if (plan.pieces.length === 0) {
    throw new CrosswatchError('FOOTAGE_MISSING', `no footage covers [${iso(plan.t0)}, ${iso(plan.t1)})`, { details: { t0: plan.t0, t1: plan.t1 } });
  }
  let pool: BufferPool | undefined;
  // A file of another resolution may need frames of another size: one pool each.
  const pools: BufferPool[] = [];
  const track = () => (report.buffersAllocated = pools.reduce((n, p) => n + p.allocated, 0));
  let afterSlot = -1;
  const errors: CrosswatchError[] = [];
  for (const piece of plan.pieces) {
    const layout = packedLayout(piece.segment.width, piece.segment.height, o.detector, o.signals ?? [], o.signalScale ?? 1);
    const queueSize = o.queueSize ?? DEFAULT_QUEUE_SIZE;
    // Queue + the frame being filled + the one the consumer holds + one in flight.
    if (pool?.bytes !== layout.frameBytes) {
      pool = new BufferPool(layout.frameBytes, queueSize + 3);
      pools.push(pool);
    }
    report.frameBytes = layout.frameBytes;
    const frames = decodePiece(piece, { ...o, t0: plan.t0, sampleFps: plan.sampleFps, layout, pool, queueSize, afterSlot });
    let r: IteratorResult<DecodedFrame, PieceOutcome>;
    try {
      for (r = await frames.next(); !r.done; r = await frames.next()) {
        track();
        afterSlot = r.value.index;
        report.deliveredFrames++;
        report.coveredMs += slotCoverage(r.value.index, plan);
        yield r.value;
      }
    } finally {
      // The consumer left early (break, throw): end this piece's ffmpeg too.
      await frames.return(undefined as never);
    }
    track();
    const seg = segmentReport(piece, r.value.deliveredSlots, plan);
    if (r.value.error) {
      seg.error = { code: r.value.error.code, message: r.value.error.message };
      errors.push(r.value.error);
    }
    report.segments.push(seg);
    report.missingFrames += seg.missingFrames;
    if (r.value.error && o.onSegmentError === 'throw') throw r.value.error;
  }
  report.complete = true;
  if (report.deliveredFrames === 0) {
    throw errors[0] ?? new CrosswatchError('DECODE_FAILED', `no frame could be decoded for [${iso(plan.t0)}, ${iso(plan.t1)}) from ${plan.pieces.map((p) => p.segment.path).join(', ')}`);
  }
}

/** Expected slots that did not come, grouped into holes. */
export function segmentReport(piece: Piece, delivered: readonly number[], plan: WindowPlan): SegmentReport {
  const got = new Set(delivered);
  const last = delivered.length > 0 ? delivered[delivered.length - 1]! : -Infinity;
  const holes: Hole[] = [];
  let open: Hole | undefined;
  for (const slot of piece.expectedSlots) {
    if (got.has(slot)) {
      open = undefined;
      continue;
    }
    const from = Math.max(piece.from, slotStart(slot, plan.t0, plan.sampleFps));
    const to = Math.min(piece.to, slotStart(slot + 1, plan.t0, plan.sampleFps));
    const reason = delivered.length === 0 ? 'no_frames' : slot > last ? 'ended_early' : 'corrupt';
    if (open && open.reason === reason) {
      open.to = to;
      open.missingFrames++;
    } else {
      open = { from, to, missingFrames: 1, reason };
      holes.push(open);
    }
  }
  const missingFrames = holes.reduce((n, h) => n + h.missingFrames, 0);
  return { path: piece.segment.path, from: piece.from, to: piece.to, expectedFrames: piece.expectedSlots.length, deliveredFrames: delivered.length, missingFrames, holes };
}

function slotCoverage(slot: number, plan: WindowPlan): number {
  return Math.min(plan.t1, slotStart(slot + 1, plan.t0, plan.sampleFps)) - Math.max(plan.t0, slotStart(slot, plan.t0, plan.sampleFps));
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/**
 * The ffmpeg argument lists the window would run, one per piece, for the
 * benchmark: `output: 'null'` times decoding, seeking and filtering with the
 * frames written nowhere.
 */
export function windowDecodeArgs(o: Omit<DecodeWindowOptions, 'ffmpegPath'>, output: 'pipe' | 'null' = 'null'): string[][] {
  const sampleFps = o.sampleFps ?? DEFAULT_SAMPLE_FPS;
  const plan = planWindow(o.t0, o.t1, o.segments, sampleFps);
  return plan.pieces.map((piece) => {
    const layout = packedLayout(piece.segment.width, piece.segment.height, o.detector, o.signals ?? [], o.signalScale ?? 1);
    return buildDecodeArgs(piece, { t0: plan.t0, sampleFps, layout, ...(o.padColour ? { padColour: o.padColour } : {}), ...(o.threads !== undefined ? { threads: o.threads } : {}) }, output);
  });
}
