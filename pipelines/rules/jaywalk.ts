// jaywalk: a pedestrian (by vote over the track's life; a rider is
// non_motor, never a pedestrian) seen to *enter* the carriageway (at least
// kerbMargin box heights inside its kerb edge) who
//  - mid-block: steps from the kerb straight into the carriageway outside
//    every crosswalk (with crosswalkMargin) and stays there zoneHoldFrames
//    frames in a row; zone "carriageway". Someone first seen already in the
//    carriageway is not judged (no entry was seen: they may have stepped off
//    before the window began, or be a rider whose box the detector called a
//    person), nor, on either kind of entry, someone first seen already over
//    the kerb edge within unseenStepSeconds of the window's first frame;
//    nor is someone who strays off a crosswalk they entered from the kerb
//    (already in the road; the crosswalk rule judged that entry);
//  - on don't-walk: steps from the kerb (outside the carriageway) onto a
//    crosswalk's carriageway part and stays zoneHoldFrames frames, with the
//    crosswalk's signal red on the kerb just before the step off it, and
//    for walkGraceSeconds already (the step is dated to a few tenths of a
//    second), and still red at the first frame past it (walk beginning in
//    between is given to the pedestrian). Someone who entered on green and
//    is still crossing when it turns red is fine;
//  - on don't-walk, step not seen: first seen already on a crosswalk (the
//    detector often loses a small pedestrian at the moment of stepping off
//    and the tracker starts a new track a second later), walking away from
//    the nearer kerb. The step off is dated back along that walk
//    (depth / speed, at most inferMaxBackSeconds); it is a jaywalk only when
//    the signal had turned red at least walkGraceSeconds before that
//    moment (a red already showing at the window's first frame counts from
//    that frame). Someone first seen in their second half (walking towards
//    a kerb), or walking too slowly to date, or whose dated step falls
//    before the window (the signal then unknown), is not judged.
// A stretch from the kerb starts afresh while the pedestrian walks along the
// kerb inside its margin (alongKerb): its step off is where it turns in.
// Each crossing (a stretch from the kerb) may give an entry; a road user
// judged on one crosswalk who reaches the kerb and starts across another
// (or a track handed from one person to another at a kerb) is judged again.
// Either entry must follow the last kerb frame at a walking pace
// (maxEntrySpeed): a longer jump is the tracker swapping people, not a step;
// and the stretch must reach entryDepth box heights into the road: someone
// walking along the kerb with a box a little low never does. A confirmed
// entry is dated from the step off the kerb (the first frame over the kerb
// edge itself since standing or walking behind it), and the crosswalk's
// signal is read on the frame before it.
// The proof's third moment shows the pedestrian still in the road
// continuedSeconds after the entry. One lost in the road before then while
// the window ran on (the detector drops small walkers), last seen there at
// least lostContinuedSeconds after the entry, stands on its last sighting;
// one last seen back on the kerb, or cut off by the window's end, is
// unresolved.
// Exposure: every jaywalker, plus pedestrians who waited (still: slower than
// waitSpeed over waitSeconds; where the calibration maps the ground, slower
// than waitGroundSpeed on it and waitSpeed, over waitGroundSeconds)
// kerbWaitSeconds in a kerb zone (outside the carriageway, within
// kerbDistance of a crosswalk) while its signal showed red; not at the
// crosswalk they just walked across (arrival): standing on the kerb they
// crossed to is no wait to cross. Walking past a crosswalk's end along the
// pavement is not facing its signal. A waiter
// found again on a new track where a counted wait ended, in the same red,
// is the same person: counted once (sameWaiterDistance).
import type { Calibration, Crosswalk } from '../sites/schema.ts';
import type { RulesParams } from './params.ts';
import type { Observation } from './types.ts';
import type { RoadUser } from './road-users.ts';
import type { Ledger } from './exposures.ts';
import { EvidenceCandidates } from './evidence-candidates.ts';
import { CountedWaits } from './counted-waits.ts';
import { redAt, shownSince, type RedVerdict } from './signal-timeline.ts';
import { carriagewayDepth, crosswalkAt, crosswalksNear, groundMap, inCarriageway } from './zones.ts';
import type { PlaneMap } from '../geometry/homography.ts';

interface Entry {
  zoneId: string;
  /** When the step off the kerb happened (ms). */
  t: number;
  before: Observation;
  past: Observation;
  later: Observation | undefined;
  /** Crosswalk entries: the crosswalk's signal on the kerb just before the step off (mid-block entries have none). */
  signalId: string | undefined;
  verdict: RedVerdict | undefined;
}

/** Its frames may become evidence: mid-block, or onto a crosswalk on don't-walk or an unreadable signal. */
const mayViolate = (e: Entry) => e.verdict !== 'not_red';

/** A pedestrian's time at a crosswalk's kerb during red: its first and latest frames there. */
interface KerbWait {
  /** Time accrued between consecutive kerb frames during red (ms). */
  ms: number;
  first: Observation;
  last: Observation;
}

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
  /** Entries so far (one per crossing from the kerb), oldest first. */
  entries: Entry[];
  /** The current stretch off the kerb already gave an entry. */
  entered: boolean;
  /** Observations since the first, while all on the crosswalk it was first seen on (for an inferred entry). */
  firstRun: { zoneId: string; obs: Observation[] } | undefined;
  /** The crosswalk it is walking on, and where it got on it. */
  cross: { zoneId: string; from: Observation } | undefined;
  /** The crosswalk it came off onto the kerb where it stands, having walked across it (crossedDistance). */
  arrivedFrom: string | undefined;
  /** Per crosswalk: its wait at the kerb during red. */
  kerbRed: Map<string, KerbWait>;
  /** The latest frame, marked as an evidence candidate while an entry awaits its continued moment. */
  rolling: number | undefined;
}

export class JaywalkJudge {
  private readonly state = new Map<RoadUser, PedestrianTrack>();
  private readonly counted: CountedWaits;
  private readonly toGround: PlaneMap | undefined;

  constructor(
    private readonly c: Calibration,
    private readonly p: RulesParams,
    private readonly evidence: EvidenceCandidates = new EvidenceCandidates(),
  ) {
    this.counted = new CountedWaits(p.sameWaiterDistance);
    this.toGround = groundMap(c);
  }

  reset(): void {
    this.state.clear();
    this.counted.reset();
  }

  observe(user: RoadUser, o: Observation): void {
    const s = this.track(user);
    for (const e of s.entries) {
      if (e.later || o.t - e.past.t < this.p.continuedSeconds * 1000) continue;
      e.later = o;
      if (mayViolate(e)) this.evidence.mark(o.frameIndex);
    }
    // The kerb margin absorbs loose boxes on the way in and for those standing
    // at the edge; someone walking who is already in the road is back on the
    // kerb only over the edge itself, so a box bottom bobbing into the margin
    // mid-crossing does not restart the crossing (and re-date its step off).
    const still = user.isStill(this.p.waitSpeed, this.p.waitSeconds);
    const back = s.zone !== undefined && s.zone !== 'kerb' && !still;
    const zone = !inCarriageway(this.c, o.ground, back ? 0 : this.p.kerbMargin * o.height) ? 'kerb' : crosswalkAt(this.c, o.ground, this.p.crosswalkMargin * o.height);
    this.arrival(s, o, zone);
    if (zone === 'kerb') {
      // Back from the road, still, behind the edge itself, or walking along
      // the kerb inside its margin: a new stretch begins.
      if (s.zone !== 'kerb') s.stepOff = [];
      if (still || !inCarriageway(this.c, o.ground) || this.alongKerb(s, o)) {
        s.stepOff = [];
        s.lastOnKerb = o;
      } else s.stepOff.push(o);
      this.onKerb(s, o, this.waiting(user, still));
    }
    else if (zone) this.onCrosswalk(s, o, zone.id);
    else this.midBlock(s, o);
    this.firstSeenOn(s, o, zone === 'kerb' ? undefined : zone?.id);
    s.zone = zone === 'kerb' ? 'kerb' : zone ? 'crosswalk' : 'mid';
    // While an entry awaits its continued moment, the latest frame stays a
    // candidate (the moment of a walker lost before it: lostInRoad),
    // the frame an entry is confirmed on included.
    if (s.rolling !== undefined) this.evidence.unmark(s.rolling);
    s.rolling = s.entries.some((e) => !e.later && mayViolate(e)) ? o.frameIndex : undefined;
    if (s.rolling !== undefined) this.evidence.mark(s.rolling);
  }

  /** `now`: the frame being judged at (the window's last frame when it ends). */
  finalize(user: RoadUser, ledger: Ledger, now: number = user.last.t): void {
    const s = this.state.get(user);
    this.state.delete(user);
    if (!s || user.cls !== 'pedestrian') return;
    for (const [zoneId, w] of s.kerbRed) {
      if (w.ms < this.p.kerbWaitSeconds * 1000) continue;
      const seen = this.counted.before(zoneId, this.signalOf(zoneId), w.first);
      if (seen) seen.last = w.last;
      else {
        ledger.expose('jaywalk', user, zoneId, w.first.t);
        this.counted.add(zoneId, user, w.last);
      }
    }
    // One jaywalk per pedestrian per window: the earliest.
    const first = s.entries.filter((e) => e.signalId === undefined || e.verdict === 'red').sort((a, b) => a.t - b.t)[0];
    if (!first) {
      const unknown = s.entries.find((e) => e.verdict === 'unknown');
      if (unknown) ledger.skip('jaywalk', user, unknown.zoneId, unknown.past.t, 'signal_unknown');
      return;
    }
    // The third moment (still in the road continuedSeconds later) is part of the proof: without it, unresolved.
    const later = first.later ?? this.lostInRoad(user, s, first, now);
    if (!later) {
      ledger.skip('jaywalk', user, first.zoneId, first.past.t, 'unresolved');
      return;
    }
    ledger.violate('jaywalk', user, first.zoneId, [first.before, first.past, later], { ...(first.signalId === undefined ? {} : { signalId: first.signalId }), t: first.t });
    // A waiter counted on an earlier track, found again where it stood (this
    // road user's first sighting) and stepping off: one person, exposed once,
    // with its violation.
    if (first.signalId === undefined) return;
    const seen = this.counted.before(first.zoneId, first.signalId, user.first);
    if (seen && seen.user !== user) ledger.retractExposure('jaywalk', seen.user, first.zoneId);
  }

  /**
   * Lost in the road before the continued moment while the window ran on:
   * the detector dropped a small walker, it did not step back (it was last
   * seen in the road, lostContinuedSeconds on). Its last sighting stands in.
   */
  private lostInRoad(user: RoadUser, s: PedestrianTrack, e: Entry, now: number): Observation | undefined {
    const due = e.past.t + this.p.continuedSeconds * 1000;
    if (now < due || s.zone === 'kerb' || user.last.t - e.past.t < this.p.lostContinuedSeconds * 1000) return undefined;
    return user.last;
  }

  private track(user: RoadUser): PedestrianTrack {
    let s = this.state.get(user);
    if (!s) {
      s = { kerb: undefined, stepOff: [], lastOnKerb: undefined, fromKerb: false, zone: undefined, midFromKerb: false, midDeep: false, midRun: [], crossRun: undefined, entries: [], entered: false, firstRun: undefined, cross: undefined, arrivedFrom: undefined, kerbRed: new Map(), rolling: undefined };
      this.state.set(user, s);
    }
    return s;
  }

  /**
   * Someone who walked across a crosswalk and stands on the kerb it led to
   * has crossed: not waiting at that crosswalk, though red comes on as they
   * arrive (a wait at another crosswalk of that corner still counts). Walked
   * across: crossedDistance box heights or more along it, not a waiter's
   * step into the road and back.
   */
  private arrival(s: PedestrianTrack, o: Observation, where: 'kerb' | Crosswalk | undefined): void {
    if (where === 'kerb') {
      const c = s.cross;
      if (c && Math.hypot(o.ground[0] - c.from.ground[0], o.ground[1] - c.from.ground[1]) >= this.p.crossedDistance * o.height) s.arrivedFrom = c.zoneId;
      s.cross = undefined;
      return;
    }
    s.arrivedFrom = undefined;
    if (where === undefined) s.cross = undefined;
    else if (s.cross?.zoneId !== where.id) s.cross = { zoneId: where.id, from: o };
  }

  /**
   * Waiting at the kerb. Where the calibration maps the ground: slower than
   * waitGroundSpeed on it and than waitSpeed box heights a second, both over
   * waitGroundSeconds. Someone walking towards or away from the camera on a
   * far arm moves about a tenth of a box height a second, as slow as a
   * waiter's jitter, but over a metre a second on the ground; so the wait
   * needs no longer window to let a walker's motion show, and a short wait
   * (walk coming on 2 s after someone arrives) counts. Without a ground map,
   * or a ground reading (a box cut by the picture's edge): `still`, box
   * heights over waitSeconds.
   */
  private waiting(user: RoadUser, still: boolean): boolean {
    const v = this.toGround && user.groundSpeed(this.p.waitGroundSeconds, this.toGround);
    if (v === undefined) return still;
    return v < this.p.waitGroundSpeed && user.isStill(this.p.waitSpeed, this.p.waitGroundSeconds);
  }

  /** `waiting`: still, as a waiter is (not walking along the kerb past the crosswalk). */
  private onKerb(s: PedestrianTrack, o: Observation, waiting: boolean): void {
    const prev = s.kerb;
    s.kerb = o;
    s.fromKerb = true;
    s.entered = false;
    s.midRun = [];
    s.crossRun = undefined;
    // Waiting, not walking past: someone strolling along the kerb by a crosswalk is not facing its signal.
    if (!waiting) return;
    for (const x of crosswalksNear(this.c, o.ground, this.p.kerbDistance * o.height)) {
      if (x.id === s.arrivedFrom || redAt(o.signals, x.signal.id, this.p.redGraceSeconds * 1000) !== 'red') continue;
      const w = s.kerbRed.get(x.id);
      // Time accrues between consecutive kerb frames at the same crosswalk during red.
      if (w && prev && w.last.t === prev.t) w.ms += o.t - prev.t;
      if (w) w.last = o;
      else s.kerbRed.set(x.id, { ms: 0, first: o, last: o });
    }
  }

  private onCrosswalk(s: PedestrianTrack, o: Observation, zoneId: string): void {
    s.midRun = [];
    // Off the kerb by a jump, not a step: the entry was not seen.
    if (s.zone === 'kerb' && !this.plausibleStep(s.kerb, o)) s.fromKerb = false;
    if (!s.fromKerb || !s.kerb || s.entered) return;
    if (s.crossRun?.zoneId !== zoneId) s.crossRun = { zoneId, obs: [], deep: false };
    s.crossRun.obs.push(o);
    s.crossRun.deep ||= this.deep(o);
    if (s.crossRun.obs.length >= this.p.zoneHoldFrames && s.crossRun.deep) {
      this.enterFromKerb(s, zoneId, s.crossRun.obs[0]!, this.signalOf(zoneId));
    }
  }

  private signalOf(crosswalkId: string): string {
    return this.c.crosswalks.find((x) => x.id === crosswalkId)!.signal.id;
  }

  private enter(s: PedestrianTrack, e: Entry): void {
    s.entries.push(e);
    s.entered = true;
    if (mayViolate(e)) {
      this.evidence.mark(e.before.frameIndex);
      this.evidence.mark(e.past.frameIndex);
    }
  }

  /**
   * Walking along the kerb inside its margin (a far pedestrian whose box sits
   * a little low): over the last half second of the stretch it walked
   * (faster than stillSpeed) with under alongKerbShare of its way into the
   * road. Its step off is later, where it turns in.
   */
  private alongKerb(s: PedestrianTrack, o: Observation): boolean {
    let i = s.stepOff.length - 1;
    while (i >= 0 && o.t - s.stepOff[i]!.t < 500) i--;
    const prev = s.stepOff[i];
    if (!prev) return false;
    const into = carriagewayDepth(this.c, o.ground) - carriagewayDepth(this.c, prev.ground);
    const moved = Math.hypot(o.ground[0] - prev.ground[0], o.ground[1] - prev.ground[1]);
    return moved > this.p.stillSpeed * o.height * ((o.t - prev.t) / 1000) && into < this.p.alongKerbShare * moved;
  }

  /** The stretch's entry from the kerb; none (not judged) when its step off may precede the window. */
  private enterFromKerb(s: PedestrianTrack, zoneId: string, firstIn: Observation, signalId?: string): void {
    const e = this.fromKerb(s, zoneId, firstIn, signalId);
    if (e) this.enter(s, e);
    else s.entered = true;
  }

  /**
   * An entry from the kerb, dated from the step off it where that was seen,
   * else from its first frame in the zone. The step happened between the last
   * frame on the kerb and the first in the road, so at their middle. Usually
   * they are a frame apart; when the detector lost the pedestrian in between
   * (in a crowd at the kerb, say) they can be seconds apart, and the first
   * frame seen in the road came late.
   */
  private fromKerb(s: PedestrianTrack, zoneId: string, firstIn: Observation, signalId?: string): Entry | undefined {
    const stepped = s.stepOff.length > 0 && s.lastOnKerb !== undefined;
    // First seen already over the kerb edge as the window began: it may have
    // stepped off before the window (as someone first seen in the road).
    const first = s.stepOff[0];
    if (!stepped && first && first.signals.firstT !== undefined && first.t - first.signals.firstT <= this.p.unseenStepSeconds * 1000) return undefined;
    const before = stepped ? s.lastOnKerb! : s.kerb!;
    const past = stepped ? s.stepOff[0]! : firstIn;
    let verdict = signalId === undefined ? undefined : redAt(before.signals, signalId, (this.p.redGraceSeconds + this.p.walkGraceSeconds) * 1000);
    // Walk beginning between the last frame on the kerb and the first in the
    // road is given to the pedestrian (one sampling interval of tolerance, as
    // red beginning there is given to a vehicle): people step off as it starts.
    // (Not when the step was not seen: it came before `before`.)
    if (stepped && verdict === 'red' && redAt(past.signals, signalId!, 0) === 'not_red') verdict = 'not_red';
    return { zoneId, t: (before.t + past.t) / 2, before, past, later: undefined, signalId, verdict };
  }

  /** Collects a road user's first second on the crosswalk it was first seen on, then dates its step off (see the header). */
  private firstSeenOn(s: PedestrianTrack, o: Observation, crosswalkId: string | undefined): void {
    if (s.zone === undefined && crosswalkId !== undefined) s.firstRun = { zoneId: crosswalkId, obs: [] };
    const run = s.firstRun;
    if (!run) return;
    if (crosswalkId !== run.zoneId) {
      s.firstRun = undefined;
      return;
    }
    run.obs.push(o);
    if (o.t - run.obs[0]!.t < this.p.inferSeconds * 1000) return;
    s.firstRun = undefined;
    if (run.obs.length < this.p.zoneHoldFrames || s.entered) return;
    const e = this.inferredEntry(run.zoneId, run.obs);
    if (e) this.enter(s, e);
  }

  private inferredEntry(zoneId: string, obs: readonly Observation[]): Entry | undefined {
    const first = obs[0]!;
    const last = obs.at(-1)!;
    const d0 = carriagewayDepth(this.c, first.ground);
    const speed = (carriagewayDepth(this.c, last.ground) - d0) / ((last.t - first.t) / 1000);
    const heights = obs.map((x) => x.height).sort((a, b) => a - b);
    const h = heights[heights.length >> 1]!;
    if (speed < this.p.inferMinSpeed * h) return undefined;
    const t = first.t - (d0 / speed) * 1000;
    if (first.t - t > this.p.inferMaxBackSeconds * 1000) return undefined;
    const signalId = this.signalOf(zoneId);
    const colour = redAt(first.signals, signalId, 0);
    // Red since before the window: it showed at least from the window's first frame.
    const since = shownSince(first.signals, signalId);
    let verdict: RedVerdict;
    if (colour !== 'red') verdict = colour;
    else if (since === undefined) return undefined;
    else if (t - since >= (this.p.redGraceSeconds + this.p.walkGraceSeconds) * 1000) verdict = 'red';
    // Before the window, when the signal's colour is unknown: not judged.
    else if (first.signals.since[signalId] === undefined) return undefined;
    else verdict = 'not_red';
    return { zoneId, t, before: first, past: last, later: undefined, signalId, verdict };
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
    if (!s.entered && s.midFromKerb && s.kerb && s.midRun.length >= this.p.zoneHoldFrames && s.midDeep) {
      this.enterFromKerb(s, 'carriageway', s.midRun[0]!);
    }
  }
}
