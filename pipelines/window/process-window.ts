// One window of one camera: decode → signal heads → detector → tracker →
// rules. Decoding runs in ffmpeg, inference in the detector's worker thread;
// this loop only moves frames between them, keeping a bounded number of
// batches in flight so the two overlap, and hands each frame's detector
// image to the evidence archive on the way, which JPEG-encodes (in libuv's
// pool) those the rules mark as possible evidence moments.
import type { Calibration } from '../sites/schema.ts';
import type { Detection, FrameDetections, SignalFrame, TrackPoint } from '../types.ts';
import { decodeWindow, letterboxFor, packedLayout, type DecodedFrame, type DecodeWindowOptions, type FootageSegment, type WindowDecodeReport } from '../decode/index.ts';
import type { Detector } from '../detect/index.ts';
import { SignalBank, signalHeads } from '../signal/signal-bank.ts';
import { ByteTracker, type ByteTrackerOptions } from '../track/byte-tracker.ts';
import { RulesEngine, type RulesFrame, type RulesParams, type WindowJudgement } from '../rules/index.ts';
import { CrosswatchError } from '../errors.ts';
import { ARCHIVE_DEFAULTS, ARCHIVE_MIN_WIDTH, EvidenceArchive, type ArchivedFrame, type ArchiveOptions, type ArchiveStats } from './evidence-archive.ts';

/**
 * Defaults of the detector hand-off, measured with `npm run bench`
 * (README, "Performance and sizing"). Mutable only so the benchmark can try others.
 * - batchSize 1: on CPU a batch of 4 runs no faster per frame than 1, but
 *   its activations and input copy cost ~50 MB of RSS; 1 also lets each
 *   frame's buffer go to the worker as the model input itself, uncopied.
 * - moveBuffers: frame buffers go to the detector worker and back instead
 *   of being copied there (structured clone) each call.
 * - inflight 2: one frame inferred while the next waits in the worker's
 *   queue, so the worker never idles on the hand-off; more only holds more
 *   frames (memory) without more overlap, as ffmpeg's queue already runs ahead.
 */
export const PIPELINE_DEFAULTS = { batchSize: 1, inflight: 2, moveBuffers: true };

export interface ProcessWindowOptions {
  cameraCode: string;
  calibration: Calibration | undefined;
  /** The resolution the calibration's pixel coordinates refer to. */
  resolution: { width: number; height: number };
  t0: number;
  t1: number;
  segments: readonly FootageSegment[];
  detector: Detector;
  ffmpegPath: string;
  sampleFps: number;
  /** Frames per detector call (PIPELINE_DEFAULTS). */
  batchSize?: number;
  /** Detector calls queued at once (PIPELINE_DEFAULTS). */
  inflight?: number;
  ffmpegThreads?: number;
  /** Signal crops at this multiple of full resolution (small far heads read better at 2). */
  signalScale?: number;
  tracker?: Partial<ByteTrackerOptions>;
  rules?: Partial<RulesParams>;
  signal?: AbortSignal;
  /** Sees every frame as the rules get it (evaluation, debugging); must not keep the arrays. */
  onFrame?: (frame: RulesFrame) => void;
  /**
   * Keep evidence frames from this decode (evidence-archive.ts): default on
   * when the detector image is at least ARCHIVE_MIN_WIDTH wide; false leaves
   * every evidence frame to a seek after the window.
   */
  evidenceArchive?: Partial<ArchiveOptions> | false;
}

export interface WindowOutcome {
  judgement: WindowJudgement;
  decode: WindowDecodeReport;
  /** Accepted signal states per analysed frame, for evidence stamps. */
  signalFrames: ReadonlyMap<number, SignalFrame>;
  framesAnalysed: number;
  tracksConfirmed: number;
  detections: number;
  /** Archived frames of the violations' moments, by frame index (absent: no archive, or that frame fell out of it). */
  evidenceFrames: ReadonlyMap<number, ArchivedFrame>;
  evidenceArchive?: ArchiveStats;
}

interface Pending {
  frameIndex: number;
  t: number;
  tracks?: TrackPoint[];
  signals?: SignalFrame;
}

/**
 * The decode stage's options for a window: ffmpeg's input, seek, letterbox
 * and signal strip. Exported so the benchmark times ffmpeg alone on exactly
 * the pipeline's command (windowDecodeArgs).
 */
export function windowDecodeOptions(
  o: Pick<ProcessWindowOptions, 'resolution' | 't0' | 't1' | 'segments' | 'detector' | 'ffmpegPath' | 'sampleFps' | 'ffmpegThreads' | 'signalScale' | 'signal'>,
  calibration: Calibration,
): DecodeWindowOptions {
  const spec = o.detector.inputSpec;
  const { width, height } = o.resolution;
  return {
    ffmpegPath: o.ffmpegPath,
    t0: o.t0,
    t1: o.t1,
    segments: [...o.segments],
    detector: letterboxFor(width, height, spec.width, spec.height),
    signals: signalHeads(calibration).map((h) => ({ id: h.id, region: h.region })),
    signalScale: o.signalScale ?? 2,
    sampleFps: o.sampleFps,
    threads: o.ffmpegThreads ?? 0,
    ...(o.signal ? { signal: o.signal } : {}),
  };
}

export async function processWindow(o: ProcessWindowOptions): Promise<WindowOutcome> {
  if (!o.calibration) {
    throw new CrosswatchError('CALIBRATION_MISSING', `camera ${o.cameraCode} has no calibration: import a sites file that calibrates it`);
  }
  const calibration = o.calibration;
  const spec = o.detector.inputSpec;
  const { width, height } = o.resolution;
  const odd = o.segments.find((s) => s.width !== width || s.height !== height);
  if (odd) {
    throw new CrosswatchError(
      'FOOTAGE_UNREADABLE',
      `${odd.path} is ${odd.width}x${odd.height} but camera ${o.cameraCode} is calibrated for ${width}x${height}: recalibrate the camera for the new resolution`,
    );
  }
  const heads = signalHeads(calibration);
  const decodeOptions = windowDecodeOptions(o, calibration);
  const decode = decodeWindow(decodeOptions);
  const bank = new SignalBank(heads);
  const tracker = new ByteTracker({ fps: o.sampleFps, ...o.tracker });
  const rules = new RulesEngine({ calibration, fps: o.sampleFps, frame: o.resolution, ...(o.rules ? { params: o.rules } : {}) });
  // Only frames the rules mark as possible moments are encoded.
  const archive = evidenceArchive(o, decodeOptions, (i) => rules.evidence.has(i));
  const pending: Pending[] = [];
  const signalFrames = new Map<number, SignalFrame>();
  const trackIds = new Set<number>();
  let detections = 0;
  let frames = 0;

  /** Hands frames to the rules in order once both their tracks and signal states are known. */
  const drain = () => {
    while (pending.length > 0 && pending[0]!.tracks && pending[0]!.signals) {
      const p = pending.shift()!;
      const frame: RulesFrame = { frameIndex: p.frameIndex, t: p.t, tracks: p.tracks!, signals: p.signals! };
      // A violation decided now keeps its moments' frames past the archive's budget.
      for (const v of rules.push(frame)) archive?.keep(v.moments.map((m) => m.frameIndex));
      o.onFrame?.(frame);
    }
  };
  const pendingAt = (frameIndex: number) => pending.find((p) => p.frameIndex === frameIndex);
  const acceptSignals = (decided: SignalFrame[]) => {
    for (const s of decided) {
      signalFrames.set(s.frameIndex, s);
      const p = pendingAt(s.frameIndex);
      if (p) p.signals = s;
    }
  };
  const acceptDetections = (batch: DecodedFrame[], results: Detection[][]) => {
    batch.forEach((f, i) => {
      const dets = results[i] ?? [];
      detections += dets.length;
      const fd: FrameDetections = { frameIndex: f.index, t: f.t, detections: dets };
      const tracks = tracker.update(fd);
      for (const tp of tracks) trackIds.add(tp.trackId);
      pendingAt(f.index)!.tracks = tracks;
    });
    drain();
  };

  const batchSize = Math.max(1, o.batchSize ?? PIPELINE_DEFAULTS.batchSize);
  const maxInflight = Math.max(1, o.inflight ?? PIPELINE_DEFAULTS.inflight);
  const inflight: Promise<void>[] = [];
  let batch: DecodedFrame[] = [];
  const submit = () => {
    const b = batch;
    batch = [];
    const source = { width, height };
    // Plain frames only: the decoded frame's release() and views cannot cross to the worker.
    const plain = b.map((f) => ({ index: f.index, t: f.t, width: f.width, height: f.height, data: f.data, source }));
    let returned: ArrayBuffer[] = [];
    const detected = o.detector.detectMoving && PIPELINE_DEFAULTS.moveBuffers
      ? // Zero-copy: the buffers go to the worker and come back for the decoder's pool.
        o.detector.detectMoving(plain).then((r) => ((returned = r.buffers), r.detections))
      : o.detector.detect(plain);
    const job = detected
      .then((res) => acceptDetections(b, res))
      .finally(() => b.forEach((f, i) => f.release(returned[i])));
    // Awaited in order below; the no-op handler keeps a failure from crashing the process before then.
    job.catch(() => undefined);
    inflight.push(job);
  };

  for await (const frame of decode.frames) {
    frames++;
    pending.push({ frameIndex: frame.index, t: frame.t });
    // Heads are read before the frame leaves for the detector: their views share its buffer.
    acceptSignals(bank.push({ frameIndex: frame.index, t: frame.t }, bank.read(frame.signals)));
    // Copied out before the buffer moves to the detector; waits only when JPEG encoding falls behind.
    await archive?.add(frame.index, frame.t, frame.data);
    batch.push(frame);
    if (batch.length >= batchSize) submit();
    while (inflight.length >= maxInflight) await inflight.shift();
  }
  if (batch.length > 0) submit();
  await Promise.all(inflight);
  acceptSignals(bank.finish());
  drain();
  const judgement = rules.finish();
  const evidenceFrames = archive ? await archive.collect(judgement.violations.flatMap((v) => v.moments.map((m) => m.frameIndex))) : new Map<number, ArchivedFrame>();
  return {
    judgement,
    decode: decode.report(),
    signalFrames,
    framesAnalysed: frames,
    tracksConfirmed: trackIds.size,
    detections,
    evidenceFrames,
    ...(archive ? { evidenceArchive: archive.stats } : {}),
  };
}

/** The archive of evidence frames for this window's decode, or undefined (turned off, or the detector image too small). */
function evidenceArchive(o: ProcessWindowOptions, d: DecodeWindowOptions, wanted: (frameIndex: number) => boolean): EvidenceArchive | undefined {
  if (o.evidenceArchive === false) return undefined;
  const { width, height } = o.resolution;
  const layout = packedLayout(width, height, d.detector, [], 1);
  const { det } = layout;
  if (det.scaledWidth < ARCHIVE_MIN_WIDTH) return undefined;
  const geometry = { stride: layout.width, padX: det.padX, padY: det.padY, width: det.scaledWidth, height: det.scaledHeight, source: det.crop };
  return new EvidenceArchive(geometry, { ...ARCHIVE_DEFAULTS, ...o.evidenceArchive }, wanted);
}
