// ByteTrack (Zhang et al., ECCV 2022) for one camera's sampled frames: the
// structure of yolox/tracker/byte_tracker.py and basetrack.py, with the
// differences that matter here:
//  - ids come from a per-instance counter and are given on confirmation, so
//    they run 1, 2, 3… with no gaps left by tentative tracks (supervision does
//    the same); reset() starts over;
//  - no first-frame shortcut: every track needs `minimumConsecutiveFrames`
//    high-score hits to be born, so a window's first frame is not special;
//  - association scores are IoU of *buffered* boxes (C-BIoU), because at
//    8 fps a fast vehicle moves more than its own width between frames and a
//    fresh track has no velocity yet (see `bufferRatio`);
//  - the class of a track is a score-weighted vote over its life;
//  - time between frames comes from `t`, so a dropped frame predicts two steps.
// No pre-processing inside the tracker: detections arrive already filtered
// and in full-frame pixels.
import type { Box, Detection, FrameDetections, RoadUserClass, TrackPoint, TrackState } from '../types.ts';
import { expandBox, iou } from '../geometry/box.ts';
import { linearAssignment } from './assignment.ts';
import { boxToXyah, initiate, predict, stateBox, update, type KalmanState } from './kalman.ts';

export interface ByteTrackerOptions {
  /** Frames per second of the sampled stream (the unit of the Kalman model). */
  fps: number;
  /**
   * Detections at or above this score are "high": they are matched first and
   * may start tracks. Raising it cuts false tracks from spurious boxes but
   * risks starting real road users late (dim night footage scores low).
   */
  trackActivationThreshold?: number;
  /**
   * Detections below this score are dropped; between it and the activation
   * threshold they only extend existing tracks (ByteTrack's second stage).
   * Lowering it keeps occluded road users tracked but risks attaching noise.
   */
  lowScoreThreshold?: number;
  /** A high detection starts a tentative track only at or above this score (ByteTrack: activation + 0.1). */
  newTrackThreshold?: number;
  /**
   * Seconds a lost track is kept for re-association. Long enough for a bus to
   * pass in front of a waiting car near the stop line (about half a second);
   * raising it survives longer occlusions but risks reviving a lost track on a
   * different road user that arrives where its prediction drifted.
   */
  trackBufferSeconds?: number;
  /**
   * High-score hits in a row before a tentative track is confirmed and gets an
   * id (a frame matched only by a low-score box keeps the count; a frame with
   * no match ends the tentative track). Raising it suppresses one-frame false
   * positives but delays every track by that many frames.
   */
  minimumConsecutiveFrames?: number;
  /**
   * Highest cost (1 − similarity × score) accepted in the first association.
   * Raising it keeps tracks through sharper manoeuvres but risks swapping ids
   * between neighbours.
   */
  firstMatchThreshold?: number;
  /**
   * Highest cost (1 − IoU, plain boxes) accepted for low-score detections
   * (second association). Raising it keeps occluded road users but risks
   * extending a track onto a neighbour's partial box.
   */
  secondMatchThreshold?: number;
  /** Highest cost accepted when confirming tentative tracks (third association). */
  unconfirmedMatchThreshold?: number;
  /**
   * Boxes are grown by this fraction of their size on each side before IoU
   * (C-BIoU). 0 gives plain ByteTrack IoU. Raising it keeps fast road users at
   * low frame rates but risks matching a neighbour in the next lane.
   */
  bufferRatio?: number;
  /** Tracked and lost tracks overlapping more than this IoU are duplicates; the younger goes. */
  duplicateIou?: number;
}

const DEFAULTS = {
  trackActivationThreshold: 0.5,
  lowScoreThreshold: 0.1,
  trackBufferSeconds: 1.5,
  minimumConsecutiveFrames: 2,
  firstMatchThreshold: 0.8,
  secondMatchThreshold: 0.5,
  unconfirmedMatchThreshold: 0.7,
  bufferRatio: 0.5,
  duplicateIou: 0.85,
};

type Settings = Required<ByteTrackerOptions>;

/** One tracked road user, ByteTrack's STrack. */
class STrack {
  state: TrackState = 'new';
  /** 0 until confirmed. */
  id = 0;
  kf: KalmanState;
  /** Consecutive frames matched (for confirmation). */
  hits = 1;
  /** Tracker step of the last match. */
  lastStep: number;
  startStep: number;
  det: Detection;
  readonly votes = new Map<RoadUserClass, number>();

  constructor(det: Detection, step: number) {
    this.kf = initiate(boxToXyah(det.box));
    this.det = det;
    this.lastStep = step;
    this.startStep = step;
    this.vote(det);
  }

  get box(): Box {
    return stateBox(this.kf);
  }

  vote(det: Detection): void {
    this.votes.set(det.cls, (this.votes.get(det.cls) ?? 0) + det.score);
  }

  /** Take a matched detection; a lost track comes back as tracked. */
  take(det: Detection, step: number): void {
    this.kf = update(this.kf, boxToXyah(det.box));
    this.det = det;
    this.lastStep = step;
    this.vote(det);
    if (this.state === 'lost') this.state = 'tracked';
  }
}

export function votedClass(votes: ReadonlyMap<RoadUserClass, number>): RoadUserClass | undefined {
  let best: RoadUserClass | undefined;
  let bestW = -Infinity;
  for (const [c, w] of votes) if (w > bestW) [best, bestW] = [c, w];
  return best;
}

export class ByteTracker {
  readonly settings: Settings;
  private readonly maxLostSteps: number;
  private tracks: STrack[] = [];
  private nextId = 1;
  private step = 0;
  private lastT: number | undefined;
  /** Class votes of every id given out in this run (removed tracks included). */
  private readonly votesById = new Map<number, ReadonlyMap<RoadUserClass, number>>();

  constructor(options: ByteTrackerOptions) {
    if (!(options.fps > 0)) throw new RangeError(`fps must be > 0, got ${options.fps}`);
    const activation = options.trackActivationThreshold ?? DEFAULTS.trackActivationThreshold;
    this.settings = { ...DEFAULTS, newTrackThreshold: activation + 0.1, ...options } as Settings;
    this.maxLostSteps = Math.max(1, Math.round(this.settings.trackBufferSeconds * options.fps));
  }

  reset(): void {
    this.tracks = [];
    this.nextId = 1;
    this.step = 0;
    this.lastT = undefined;
    this.votesById.clear();
  }

  /** Class of a track by score-weighted vote over its life so far. */
  classOf(trackId: number): RoadUserClass | undefined {
    const v = this.votesById.get(trackId);
    return v ? votedClass(v) : undefined;
  }

  /** States of the live tracks (confirmed ones have an id > 0). */
  snapshot(): { trackId: number; state: TrackState; box: Box }[] {
    return this.tracks.map((s) => ({ trackId: s.id, state: s.state, box: s.box }));
  }

  /** Feed one frame's detections; returns the confirmed tracks matched in it. */
  update(frame: FrameDetections): TrackPoint[] {
    const steps = this.advance(frame.t);
    const s = this.settings;
    const high = frame.detections.filter((d) => d.score >= s.trackActivationThreshold);
    const low = frame.detections.filter((d) => d.score >= s.lowScoreThreshold && d.score < s.trackActivationThreshold);

    const confirmed = this.tracks.filter((t) => t.state === 'tracked' || t.state === 'lost');
    const unconfirmed = this.tracks.filter((t) => t.state === 'new');
    for (const t of this.tracks) t.kf = predict(t.kf, steps, t.state !== 'tracked');

    const first = this.associate(confirmed, high, s.firstMatchThreshold, s.bufferRatio, true);
    // Unlike ByteTrack, lost tracks also take part here: a road user that
    // vanished for a frame behind a bus usually comes back half hidden, with a
    // low score. The strict IoU limit keeps noise from reviving them.
    const second = this.associate(first.unmatchedTracks, low, s.secondMatchThreshold, 0, false);
    for (const t of second.unmatchedTracks) if (t.state === 'tracked') t.state = 'lost';

    const third = this.associate(unconfirmed, first.unmatchedDets, s.unconfirmedMatchThreshold, s.bufferRatio, true);
    for (const t of third.matchedTracks) this.confirmIfDue(t);
    // Unlike ByteTrack, a tentative track matched only by a low-score box is
    // kept (not counted towards confirmation) instead of dropped: at night
    // scores waver above and below the threshold frame to frame, and a track
    // needing two high frames in a row would never be born.
    const kept = this.associate(third.unmatchedTracks, second.unmatchedDets, s.secondMatchThreshold, s.bufferRatio, false);
    for (const t of kept.unmatchedTracks) t.state = 'removed';

    this.birth(third.unmatchedDets);
    this.expireLost();
    this.removeDuplicates();
    this.tracks = this.tracks.filter((t) => t.state !== 'removed');

    return this.tracks
      .filter((t) => t.state === 'tracked' && t.lastStep === this.step)
      .map((t) => ({ trackId: t.id, frameIndex: frame.frameIndex, t: frame.t, box: t.det.box, cls: t.det.cls, score: t.det.score }));
  }

  /** Steps since the previous frame: a skipped frame is one more Kalman step. */
  private advance(t: number): number {
    const steps = this.lastT === undefined ? 1 : Math.max(1, Math.round(((t - this.lastT) * this.settings.fps) / 1000));
    this.lastT = t;
    this.step += steps;
    return steps;
  }

  /** One association stage: Hungarian on 1 − similarity (× score when `fuseScore`). */
  private associate(tracks: STrack[], dets: Detection[], limit: number, buffer: number, fuseScore: boolean) {
    const cost = tracks.map((t) => {
      const tb = expandBox(t.box, buffer);
      return dets.map((d) => 1 - iou(tb, expandBox(d.box, buffer)) * (fuseScore ? d.score : 1));
    });
    const a = linearAssignment(cost, dets.length, limit);
    for (const [i, j] of a.matches) tracks[i]!.take(dets[j]!, this.step);
    return {
      matchedTracks: a.matches.map(([i]) => tracks[i]!),
      unmatchedTracks: a.unmatchedRows.map((i) => tracks[i]!),
      unmatchedDets: a.unmatchedCols.map((j) => dets[j]!),
    };
  }

  /** Counts high-score hits since birth (low-score keeps in between do not reset them). */
  private confirmIfDue(t: STrack): void {
    t.hits += 1;
    if (t.hits >= this.settings.minimumConsecutiveFrames) this.confirm(t);
  }

  private confirm(t: STrack): void {
    t.state = 'tracked';
    t.id = this.nextId++;
    this.votesById.set(t.id, t.votes);
  }

  /** Births only from confident detections nothing else claimed. */
  private birth(dets: Detection[]): void {
    for (const d of dets) {
      if (d.score < this.settings.newTrackThreshold) continue;
      const t = new STrack(d, this.step);
      this.tracks.push(t);
      if (this.settings.minimumConsecutiveFrames <= 1) this.confirm(t);
    }
  }

  private expireLost(): void {
    for (const t of this.tracks) if (t.state === 'lost' && this.step - t.lastStep > this.maxLostSteps) t.state = 'removed';
  }

  /** A lost track revived beside its own successor: keep the one tracked longer (ByteTrack's remove_duplicate_stracks). */
  private removeDuplicates(): void {
    const tracked = this.tracks.filter((t) => t.state === 'tracked');
    const lost = this.tracks.filter((t) => t.state === 'lost');
    for (const a of tracked) {
      for (const b of lost) {
        if (b.state === 'removed' || iou(a.box, b.box) <= this.settings.duplicateIou) continue;
        const ageA = a.lastStep - a.startStep;
        const ageB = b.lastStep - b.startStep;
        if (ageA > ageB) b.state = 'removed';
        else a.state = 'removed';
      }
    }
  }
}
