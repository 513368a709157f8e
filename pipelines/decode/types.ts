// Records of the decode stage: what the catalog hands in (segments), what the
// detector and signal reader get out (packed frames), and what the window
// learns about its footage (the decode report).
import type { Frame } from '../types.ts';

/** One recording file, as the catalog knows it. Times are ms since the epoch, UTC. */
export interface FootageSegment {
  path: string;
  /** Wall-clock time of the file's first frame (ffprobe start_time maps here). */
  startsAt: number;
  /** Wall-clock time just after the file's last frame. */
  endsAt: number;
  /** Nominal frame rate; used to count the frames a piece should yield. */
  fps: number;
  width: number;
  height: number;
}

/** Pixel rectangle in full-resolution image coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * How the detector input is made from a full frame: optional crop, uniform
 * scale, then padding to width × height with the scaled image at (padX, padY).
 * A detection at (u, v) in the input maps back to
 * (crop.x + (u - padX) / scale, crop.y + (v - padY) / scale).
 */
export interface LetterboxSpec {
  width: number;
  height: number;
  scale: number;
  padX: number;
  padY: number;
  crop?: Rect;
}

/** A signal head to read, by id, with its region in full-resolution pixels. */
export interface SignalRegionSpec {
  id: string;
  region: Rect;
}

/** Where a signal head landed in the signal strip (strip pixels). */
export interface StripCell {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Strip pixels per full-resolution pixel for this head. */
  scale: number;
  /** The full-resolution rectangle actually cropped (the region clamped to the frame, integer pixels). */
  source: Rect;
}

/** An RGB24 view into a larger buffer (same shape as pipelines/signal's RgbView). */
export interface RgbView {
  data: Uint8Array;
  width: number;
  height: number;
  stride: number;
  offset: number;
}

/**
 * One sampled frame. `data` is the letterboxed detector input (RGB24,
 * width × height, contiguous). `index` is the sample slot since the window
 * start (slot k covers [t0 + k/fps, t0 + (k+1)/fps)), so missing footage
 * leaves holes in the sequence instead of squeezing time. `t` is the source
 * frame's own presentation time (ms, UTC, rounded to the ms).
 */
export interface DecodedFrame extends Frame {
  /** The segment the frame came from (for extractFrame at evidence time). */
  segment: FootageSegment;
  /** Signal-head crops at full resolution (× signalScale), by id. */
  signals: ReadonlyMap<string, RgbView>;
  /**
   * Give the buffer back to the decoder's pool. Optional: a frame never
   * released is simply garbage collected. A frame whose buffer was
   * transferred to a worker and came back passes the returned ArrayBuffer,
   * which the pool reuses in place of the detached one.
   * Do not touch `data` or `signals` after releasing.
   */
  release(returned?: ArrayBuffer): void;
}

export type HoleReason = 'ended_early' | 'corrupt' | 'no_frames';

/** A stretch inside a segment where expected frames did not come. */
export interface Hole {
  from: number;
  to: number;
  missingFrames: number;
  reason: HoleReason;
}

export interface Gap {
  from: number;
  to: number;
}

export interface SegmentReport {
  path: string;
  /** Part of the window this segment was asked for, [from, to). */
  from: number;
  to: number;
  expectedFrames: number;
  deliveredFrames: number;
  missingFrames: number;
  holes: Hole[];
  /** ffmpeg failed on this file (DECODE_FAILED message: file and stderr tail). */
  error?: { code: string; message: string };
}

export interface WindowDecodeReport {
  t0: number;
  t1: number;
  sampleFps: number;
  /** Stretches of the window no segment covers. */
  gaps: Gap[];
  segments: SegmentReport[];
  expectedFrames: number;
  deliveredFrames: number;
  missingFrames: number;
  /** Footage actually delivered: one sample interval per delivered frame, clipped to the window. */
  coveredMs: number;
  /** Bytes of one packed frame (detector input + signal strip). */
  frameBytes: number;
  /** Frame buffers the decoder allocated; bounded by queueSize + 3 while the consumer releases its frames. */
  buffersAllocated: number;
  /** True once the iterator has run to its end. */
  complete: boolean;
}
