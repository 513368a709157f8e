// Golden replay (OpenDataCam's spec idea): a window's recorded detector
// output and accepted signal states, replayed through the tracker and the
// rules exactly as processWindow feeds them. Lets the rules and the tracker
// be tuned, and regression-tested, without decoding or running a detector.
//
// Recording format `crosswatch-dets/1` (JSON, optionally gzipped):
//   classes: the road-user classes, in index order
//   signals: head ids, in index order
//   colours: signal colours, in index order
//   frames[i]: [frameIndex, tMsFromStart, [[x1, y1, x2, y2, classIndex, score], ...], [colourIndex per head]]
// Boxes in full-frame pixels and scores exactly as the detector gave them:
// not rounded, because the tracker and the rules compare at sub-pixel
// margins (a box moved by 0.04 px turned one waiting car into an overrun),
// and a replay must give the live run's results, not nearly them.
import { ROAD_USER_CLASSES, type Detection, type RoadUserClass, type SignalColour, type SignalFrame, type TrackPoint } from '../types.ts';
import type { Calibration } from '../sites/schema.ts';
import { ByteTracker, type ByteTrackerOptions } from '../track/byte-tracker.ts';
import { RulesEngine, type RulesFrame, type RulesParams, type WindowJudgement } from '../rules/index.ts';

export const DETS_FORMAT = 'crosswatch-dets/1';
const COLOURS: readonly SignalColour[] = ['red', 'amber', 'green', 'off', 'unknown'];

/** One analysed frame: what the detector returned and the accepted signal states. */
export interface RecordedFrame {
  frameIndex: number;
  t: number;
  detections: Detection[];
  signals: Record<string, SignalColour>;
}

export interface DetectionRecording {
  format: typeof DETS_FORMAT;
  /** Window start, ms UTC (frame times are stored relative to it). */
  start: number;
  classes: RoadUserClass[];
  signals: string[];
  colours: SignalColour[];
  frames: [number, number, number[][], number[]][];
}

export function encodeRecording(start: number, frames: readonly RecordedFrame[]): DetectionRecording {
  const signals = [...new Set(frames.flatMap((f) => Object.keys(f.signals)))].sort();
  return {
    format: DETS_FORMAT,
    start,
    classes: [...ROAD_USER_CLASSES],
    signals,
    colours: [...COLOURS],
    frames: frames.map((f) => [
      f.frameIndex,
      Math.round(f.t - start),
      f.detections.map((d) => [d.box.x1, d.box.y1, d.box.x2, d.box.y2, ROAD_USER_CLASSES.indexOf(d.cls), d.score]),
      signals.map((id) => COLOURS.indexOf(f.signals[id] ?? 'unknown')),
    ]),
  };
}

export function decodeRecording(r: DetectionRecording): RecordedFrame[] {
  if (r.format !== DETS_FORMAT) throw new Error(`not a ${DETS_FORMAT} recording: ${String(r.format)}`);
  return r.frames.map(([frameIndex, dt, dets, colours]) => ({
    frameIndex,
    t: r.start + dt,
    detections: dets.map(([x1, y1, x2, y2, c, score]) => ({ box: { x1: x1!, y1: y1!, x2: x2!, y2: y2! }, cls: r.classes[c!]!, score: score! })),
    signals: Object.fromEntries(r.signals.map((id, k) => [id, r.colours[colours[k]!]!])),
  }));
}

export interface ReplayOptions {
  calibration: Calibration;
  fps: number;
  frames: Iterable<RecordedFrame>;
  tracker?: Partial<ByteTrackerOptions>;
  rules?: Partial<RulesParams>;
  /** The picture's size (RulesOptions.frame). */
  frame?: { width: number; height: number };
  /** Sees every frame as the rules get it (like processWindow's onFrame). */
  onFrame?: (frame: RulesFrame) => void;
}

/** Tracker + rules over recorded frames, in processWindow's order. */
export function replayWindow(o: ReplayOptions): WindowJudgement {
  const tracker = new ByteTracker({ fps: o.fps, ...o.tracker });
  const rules = new RulesEngine({ calibration: o.calibration, fps: o.fps, ...(o.rules ? { params: o.rules } : {}), ...(o.frame ? { frame: o.frame } : {}) });
  for (const f of o.frames) {
    const tracks: TrackPoint[] = tracker.update({ frameIndex: f.frameIndex, t: f.t, detections: f.detections });
    const signals: SignalFrame = { frameIndex: f.frameIndex, t: f.t, states: f.signals };
    const frame: RulesFrame = { frameIndex: f.frameIndex, t: f.t, tracks, signals };
    rules.push(frame);
    o.onFrame?.(frame);
  }
  return rules.finish();
}
