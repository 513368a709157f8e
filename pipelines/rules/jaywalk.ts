// jaywalk: a pedestrian (by vote over the track's life; a rider is
// non_motor, never a pedestrian) seen to *enter* the carriageway (at least
// kerbMargin box heights inside its kerb edge) who
//  - mid-block: steps from the kerb straight into the carriageway outside
//    every crosswalk (with crosswalkMargin) and stays there zoneHoldFrames
//    frames in a row; zone "carriageway". Someone first seen already in the
//    carriageway is not judged (no entry was seen: they may have stepped off
//    before the window began, or be a rider whose box the detector called a
//    person); nor is someone who strays off a crosswalk they entered from the
//    kerb (already in the road; the crosswalk rule judged that entry);
//  - on don't-walk: steps from the kerb (outside the carriageway) onto a
//    crosswalk's carriageway part and stays zoneHoldFrames frames, with the
//    crosswalk's signal red on the kerb just before the step off it. Someone who entered
//    on green and is still crossing when it turns red is fine; someone first
//    seen already on the crosswalk is not judged (no entry was seen).
// Either entry must follow the last kerb frame at a walking pace
// (maxEntrySpeed): a longer jump is the tracker swapping people, not a step;
// and the stretch must reach entryDepth box heights into the road: someone
// walking along the kerb with a box a little low never does. A confirmed
// entry is dated from the step off the kerb (the first frame over the kerb
// edge itself since standing or walking behind it), and the crosswalk's
// signal is read on the frame before it.
// Exposure: every jaywalker, plus pedestrians who waited (still: slower than
// waitSpeed over waitSeconds) kerbWaitSeconds in a kerb zone (outside the carriageway, within
// kerbDistance of a crosswalk) while its signal showed red. Walking past a
// crosswalk's end along the pavement is not facing its signal.
import type { Calibration } from '../sites/schema.ts';
import type { RulesParams } from './params.ts';
import type { Observation } from './types.ts';
import type { RoadUser } from './road-users.ts';
import type { Ledger } from './exposures.ts';
import { EvidenceCandidates } from './evidence-candidates.ts';
import { redAt, type RedVerdict } from './signal-timeline.ts';
import { carriagewayDepth, crosswalkAt, crosswalksNear, inCarriageway } from './zones.ts';

interface Entry {
  zoneId: string;
  before: Observation;
  past: Observation;
  later: Observation | undefined;
  /** Crosswalk entries: the crosswalk's signal on the kerb just before the step off (mid-block entries have none). */
  signalId: string | undefined;
  verdict: RedVerdict | undefined;
}

/**
 * When the step off the kerb happened: between the last frame on the kerb and
 * the first in the road, so their middle. Usually they are a frame apart; when
 * the detector lost the pedestrian in between (in a crowd at the kerb, say)
 * they can be seconds apart, and the first frame seen in the road came late.
 */
const stepTime = (e: Entry) => (e.before.t + e.past.t) / 2;

/** Its frames may become evidence: mid-block, or onto a crosswalk on don't-walk or an unreadable signal. */
const mayViolate = (e: Entry) => e.verdict !== 'not_red';

interface PedestrianTrack {
  /** Last observation on the kerb (outside the carriageway). */
  kerb: Observation | undefined;
  /**
   * The kerb observations since the road user last stood still or was
   * outside the carriageway's edge itself: the stretch inside the kerb
   * margin it walked through. An entry dates from the first of them, the step
   * off the kerb, not from where the margin ends: on the far side, walking
   * towards the camera, crossing the margin takes a second or more.
   */
  stepOff: Observation[];
  /** The last kerb observation before that stretch (still, or outside the edge itself). */
  lastOnKerb: Observation | undefined;
  /** The current run started at the kerb (no mid-block stretch in between). */
  fromKerb: boolean;
  /** Where the previous observation was. */
  zone: 'kerb' | 'crosswalk' | 'mid' | undefined;
  /** The current mid-block run began with a step from the kerb. */
  midFromKerb: boolean;
  midRun: Observation[];
  crossRun: { zoneId: string; obs: Observation[]; deep: boolean } | undefined;
  /** The current mid-block run reached entryDepth. */
  midDeep: boolean;
  midBlock: Entry | undefined;
  crosswalkEntry: Entry | undefined;
  /** Per crosswalk: ms spent at its kerb during red, and when it started. */
  kerbRed: Map<string, { ms: number; since: number; lastT: number }>;
}

export class JaywalkJudge {
  private readonly state = new Map<RoadUser, PedestrianTrack>();

  constructor(
    private readonly c: Calibration,
    private readonly p: RulesParams,
    private readonly evidence: EvidenceCandidates = new EvidenceCandidates(),
  ) {}

  reset(): void {
    this.state.clear();
  }

  observe(user: RoadUser, o: Observation): void {
    const s = this.track(user);
    for (const e of [s.midBlock, s.crosswalkEntry]) {
      if (!e || e.later || o.t - e.past.t < this.p.continuedSeconds * 1000) continue;
      e.later = o;
      if (mayViolate(e)) this.evidence.mark(o.frameIndex);
    }
    const zone = !inCarriageway(this.c, o.ground, this.p.kerbMargin * o.height) ? 'kerb' : crosswalkAt(this.c, o.ground, this.p.crosswalkMargin * o.height);
    if (zone === 'kerb') {
      const still = user.isStill(this.p.waitSpeed, this.p.waitSeconds);
      // Back from the road, still, or behind the edge itself: a new stretch begins.
      if (s.zone !== 'kerb') s.stepOff = [];
      if (still || !inCarriageway(this.c, o.ground)) {
        s.stepOff = [];
        s.lastOnKerb = o;
      } else s.stepOff.push(o);
      this.onKerb(s, o, still);
    }
    else if (zone) this.onCrosswalk(s, o, zone.id);
    else this.midBlock(s, o);
    s.zone = zone === 'kerb' ? 'kerb' : zone ? 'crosswalk' : 'mid';
  }

  finalize(user: RoadUser, ledger: Ledger): void {
    const s = this.state.get(user);
    this.state.delete(user);
    if (!s || user.cls !== 'pedestrian') return;
    for (const [zoneId, w] of s.kerbRed) if (w.ms >= this.p.kerbWaitSeconds * 1000) ledger.expose('jaywalk', user, zoneId, w.since);
    const entries: Entry[] = [];
    if (s.crosswalkEntry) {
      const e = s.crosswalkEntry;
      if (e.verdict === 'unknown') ledger.skip('jaywalk', user, e.zoneId, e.past.t, 'signal_unknown');
      else if (e.verdict === 'red') entries.push(e);
    }
    if (s.midBlock) entries.push(s.midBlock);
    // One jaywalk per pedestrian per window: the earliest.
    const first = entries.sort((a, b) => a.past.t - b.past.t)[0];
    if (!first) return;
    // The third moment (still in the road continuedSeconds later) is part of the proof: without it, unresolved.
    if (!first.later) ledger.skip('jaywalk', user, first.zoneId, first.past.t, 'unresolved');
    else ledger.violate('jaywalk', user, first.zoneId, [first.before, first.past, first.later], { ...(first.signalId === undefined ? {} : { signalId: first.signalId }), t: stepTime(first) });
  }

  private track(user: RoadUser): PedestrianTrack {
    let s = this.state.get(user);
    if (!s) {
      s = { kerb: undefined, stepOff: [], lastOnKerb: undefined, fromKerb: false, zone: undefined, midFromKerb: false, midDeep: false, midRun: [], crossRun: undefined, midBlock: undefined, crosswalkEntry: undefined, kerbRed: new Map() };
      this.state.set(user, s);
    }
    return s;
  }

  private onKerb(s: PedestrianTrack, o: Observation, still: boolean): void {
    const prev = s.kerb;
    s.kerb = o;
    s.fromKerb = true;
    s.midRun = [];
    s.crossRun = undefined;
    // Waiting, not walking past: someone strolling along the kerb by a crosswalk is not facing its signal.
    if (!still) return;
    for (const x of crosswalksNear(this.c, o.ground, this.p.kerbDistance * o.height)) {
      if (redAt(o.signals, x.signal.id, this.p.redGraceSeconds * 1000) !== 'red') continue;
      const w = s.kerbRed.get(x.id);
      // Time accrues between consecutive kerb frames at the same crosswalk during red.
      if (w && prev && w.lastT === prev.t) w.ms += o.t - prev.t;
      if (w) w.lastT = o.t;
      else s.kerbRed.set(x.id, { ms: 0, since: o.t, lastT: o.t });
    }
  }

  private onCrosswalk(s: PedestrianTrack, o: Observation, zoneId: string): void {
    s.midRun = [];
    // Off the kerb by a jump, not a step: the entry was not seen.
    if (s.zone === 'kerb' && !this.plausibleStep(s.kerb, o)) s.fromKerb = false;
    if (!s.fromKerb || !s.kerb || s.crosswalkEntry) return;
    if (s.crossRun?.zoneId !== zoneId) s.crossRun = { zoneId, obs: [], deep: false };
    s.crossRun.obs.push(o);
    s.crossRun.deep ||= this.deep(o);
    if (s.crossRun.obs.length >= this.p.zoneHoldFrames && s.crossRun.deep) {
      s.crosswalkEntry = this.fromKerb(s, zoneId, s.crossRun.obs[0]!, this.c.crosswalks.find((x) => x.id === zoneId)!.signal.id);
    }
  }

  /** An entry from the kerb, dated from the step off it where that was seen, else from its first frame in the zone. */
  private fromKerb(s: PedestrianTrack, zoneId: string, firstIn: Observation, signalId?: string): Entry {
    const stepped = s.stepOff.length > 0 && s.lastOnKerb !== undefined;
    const before = stepped ? s.lastOnKerb! : s.kerb!;
    const past = stepped ? s.stepOff[0]! : firstIn;
    const verdict = signalId === undefined ? undefined : redAt(before.signals, signalId, this.p.redGraceSeconds * 1000);
    const e: Entry = { zoneId, before, past, later: undefined, signalId, verdict };
    if (mayViolate(e)) {
      this.evidence.mark(before.frameIndex);
      this.evidence.mark(past.frameIndex);
    }
    return e;
  }

  private deep(o: Observation): boolean {
    return carriagewayDepth(this.c, o.ground) >= this.p.entryDepth * o.height;
  }

  /** A walking pace from the kerb to here (else the track jumped to someone else). */
  private plausibleStep(from: Observation | undefined, to: Observation): boolean {
    if (!from) return false;
    const d = Math.hypot(to.ground[0] - from.ground[0], to.ground[1] - from.ground[1]) / Math.max(1, to.height, from.height);
    return d <= this.p.maxEntrySpeed * Math.max(0.125, (to.t - from.t) / 1000);
  }

  private midBlock(s: PedestrianTrack, o: Observation): void {
    s.fromKerb = false;
    s.crossRun = undefined;
    if (s.zone !== 'mid') {
      s.midFromKerb = s.zone === 'kerb' && this.plausibleStep(s.kerb, o);
      s.midDeep = false;
    }
    s.midRun.push(o);
    s.midDeep ||= this.deep(o);
    if (!s.midBlock && s.midFromKerb && s.kerb && s.midRun.length >= this.p.zoneHoldFrames && s.midDeep) {
      s.midBlock = this.fromKerb(s, 'carriageway', s.midRun[0]!);
    }
  }
}
