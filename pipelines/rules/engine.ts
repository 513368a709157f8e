// The rules over a window: frames in (tracker points + accepted signal
// states), violations, exposures, counts and unjudged events out. Streaming:
// push() frame by frame, finish() at the window's end; a road user is judged
// once it has been unseen for finalizeAfterSeconds, so only live road users
// are held, never the window's frames.
import { groundPoint, boxHeight } from '../geometry/box.ts';
import type { Violation } from '../types.ts';
import type { Calibration } from '../sites/schema.ts';
import { DEFAULT_RULES_PARAMS, type RulesParams } from './params.ts';
import type { Observation, RulesFrame, WindowJudgement } from './types.ts';
import { SignalTimeline } from './signal-timeline.ts';
import { leftPicture, RoadUserRegistry, type RoadUser } from './road-users.ts';
import { Ledger } from './exposures.ts';
import { RedLightJudge } from './red-light.ts';
import { JaywalkJudge } from './jaywalk.ts';
import { EvidenceCandidates } from './evidence-candidates.ts';
import { nearJudgedZone } from './zones.ts';

/** A box within this many pixels of the picture's edge touches it (detector boxes are clipped to the picture). */
const EDGE_PX = 2;

export interface RulesOptions {
  calibration: Calibration;
  /** Sampling rate of the frames (documents the unit of frame-count parameters). */
  fps: number;
  params?: Partial<RulesParams>;
  /**
   * The picture's size in the calibration's pixels, when known: a road user
   * that left through an edge of it is not joined to a track appearing there.
   */
  frame?: { width: number; height: number };
}

export class RulesEngine {
  readonly params: RulesParams;
  private readonly signals = new SignalTimeline();
  private readonly users: RoadUserRegistry;
  private readonly ledger = new Ledger();
  private readonly redLight: RedLightJudge;
  private readonly jaywalk: JaywalkJudge;
  /** Frames that may become evidence moments (the window pipeline encodes only these). */
  readonly evidence = new EvidenceCandidates();
  private lastT = -Infinity;
  private readonly frame: RulesOptions['frame'];

  constructor(o: RulesOptions) {
    this.frame = o.frame;
    if (!(o.fps > 0)) throw new RangeError(`fps must be > 0, got ${o.fps}`);
    const p = (this.params = { ...DEFAULT_RULES_PARAMS, ...o.params });
    this.users = new RoadUserRegistry({
      stitchMs: p.stitchSeconds * 1000,
      stitchDistance: p.stitchDistance,
      finalizeMs: p.finalizeAfterSeconds * 1000,
      // The longest stillness window, and half a second over. creptOff reads
      // back through all of it for a vehicle's last stand before it crept
      // across: shortening waitSeconds to 1.5 s cost two red-light runners.
      keepMs: (Math.max(p.stillSeconds, p.waitSeconds, p.waitGroundSeconds) + 0.5) * 1000,
      velocityMs: (p.stillSeconds + 0.5) * 1000,
      stitchable: (u) => nearJudgedZone(o.calibration, u.last.ground, p.stitchNearZone * u.last.height) && !(this.frame && leftPicture(u, this.frame, EDGE_PX)),
    });
    this.redLight = new RedLightJudge(o.calibration, p, this.evidence);
    this.jaywalk = new JaywalkJudge(o.calibration, p, this.evidence);
  }

  reset(): void {
    this.signals.reset();
    this.users.reset();
    this.ledger.reset();
    this.redLight.reset();
    this.jaywalk.reset();
    this.evidence.reset();
    this.lastT = -Infinity;
  }

  /** Feed the next frame (in time order). Returns violations decided by it (road users that became final). */
  push(frame: RulesFrame): Violation[] {
    if (frame.t < this.lastT) throw new RangeError(`frames out of order: ${frame.t} after ${this.lastT}`);
    this.lastT = frame.t;
    const snapshot = this.signals.push(frame.signals);
    for (const p of frame.tracks) {
      const o: Observation = { frameIndex: frame.frameIndex, t: frame.t, trackId: p.trackId, box: p.box, ground: groundPoint(p.box), height: boxHeight(p.box), cls: p.cls, score: p.score, signals: snapshot };
      if (this.frame && p.box.y2 >= this.frame.height - EDGE_PX) o.cutBottom = true;
      const user = this.users.observe(o);
      this.redLight.observe(user, o);
      this.jaywalk.observe(user, o);
    }
    return this.judge(this.users.expire(frame.t), frame.t);
  }

  /** End of the window: judge everyone still live and return the window's outcome. */
  finish(): WindowJudgement {
    this.judge(this.users.drain(), this.lastT);
    return this.ledger.result();
  }

  private judge(done: RoadUser[], now: number): Violation[] {
    const decided: Violation[] = [];
    this.ledger.onViolation = (v) => decided.push(v);
    for (const u of done) {
      this.redLight.finalize(u, this.ledger);
      this.jaywalk.finalize(u, this.ledger, now);
    }
    this.ledger.onViolation = undefined;
    return decided;
  }
}

export interface JudgeWindowInput extends RulesOptions {
  frames: Iterable<RulesFrame>;
}

/** A whole window at once (golden replays, tests). */
export function judgeWindow(input: JudgeWindowInput): WindowJudgement {
  const engine = new RulesEngine(input);
  for (const f of input.frames) engine.push(f);
  return engine.finish();
}
