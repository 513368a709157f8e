// red_light, non_motor_red_light and stop_line_overrun, judged per approach
// on a road user's whole track once it is final (so its class is the vote
// over its life and its movement is known).
//
// How a crossing is judged:
//  1. The stop line is crossed in the direction of travel (DirectedLine), by
//     the box's bottom centre, and dated (crossing-time.ts): on approaches
//     across the picture or away from the camera from the vehicle's front
//     (frontFirst); one that stood just short of the line and crept across,
//     at the line itself rather than its margin (creptOff). One whose front
//     was over the line when first seen crossed unseen; except one that
//     came into view (through the picture's bottom edge, or from behind a
//     standing bus) with its front just over the line and drove on, after
//     red had shown a second or more (enteredOver: a near stop line close
//     to the edge, where the detector finds a vehicle only once its front
//     is over): it crossed as it came into view.
//  2. The movement: the lane the road user was last in before the line
//     decides (one movement), or for a shared lane whether it passed the
//     second line (straight/left) or not (right), and for a shared
//     left/straight lane whether its path turned left after the line
//     (turnAlong; lost before a turn could show while the two signals
//     disagree: unjudged). A road user that waited and never crossed is going
//     straight where its lane allows it.
//  3. The governing signal is the approach's head for that movement (an arrow
//     wins over a ball). A right turn under a ball is allowed on red: no
//     violation and no exposure (the rule does not apply to it).
//  4. "On red": the signal showed red (for redGraceSeconds) at the last frame
//     before the line, the "before" evidence moment. Red beginning between that
//     frame and the first frame past the line is given to the road user (one
//     sampling interval of tolerance); so is green beginning just after its
//     first frame past the line, for one that waited at the line
//     (moveOffGraceSeconds: it moved off with the green). Unknown there:
//     unjudged, no exposure.
//  5. After a crossing on red:
//     - straight/left: passing the second line before that signal next shows
//       green is running the red light (a track that ends just past the
//       second line, before the crossing was confirmed, did pass it; one
//       lost moving that would pass it within projectSeconds did too). Seen
//       still before the second line, it is an overrun, whenever it went on.
//       Never seen still, passing the second line only after green is still
//       running the red (it kept going: a slow left-turner). A track that
//       vanished moving in between is unresolved.
//     - right under an arrow (no second line on that path): still past the
//       line before it was last seen is an overrun, moving on is running the
//       red; the "continued" moment is continuedSeconds later.
//  Overruns are a motor-vehicle category; a non-motor road user that crosses
//  on red and stops is exposed but not counted as a violation. A waiter at
//  the line found again on a new track where it stood, in the same red, is
//  exposed once (counted-waits.ts).
import type { Movement, Point, RoadUserClass } from '../types.ts';
import type { Approach, Calibration, Lane } from '../sites/schema.ts';
import type { RulesParams } from './params.ts';
import type { Observation } from './types.ts';
import type { RoadUser } from './road-users.ts';
import type { Ledger } from './exposures.ts';
import { EvidenceCandidates } from './evidence-candidates.ts';
import { CountedWaits } from './counted-waits.ts';
import { DirectedLine, newLineState, type Crossing, type LineState } from './line-crossing.ts';
import { aheadOf, creptOff, frontFirst, frontOf, isMotor, type FrontOf } from './crossing-time.ts';
import { colourAt, redAt, shownSince } from './signal-timeline.ts';
import { pointSegmentDistance } from '../geometry/segment.ts';
import { pointInPolygon } from '../geometry/polygon.ts';
import { asSegment, directionGroups, governingSignal, isLegalRightOnRed, laneAt, laneMovements, resolveMovement, secondLineTowards, stopLineTowards, turnAlong, waitingMovement } from './zones.ts';

interface ApproachTrack {
  lane: Lane | undefined;
  stop: LineState;
  /** Its front (frontOf) was seen short of the stop line at least once. */
  frontBefore: boolean;
  /** Its crossing is dated to when it came into view, its front just over the line (enteredOver). */
  enteredOver: boolean;
  /** Seen still for enteredOverStillSeconds before crossing the stop line. */
  stoodBefore: boolean;
  /** The observation after the crossing's first frame past the line. */
  afterPast: Observation | undefined;
  second: LineState;
  /** First still observation past the stop line, before the second line. */
  stillPast: Observation | undefined;
  /** First observation continuedSeconds after the stop-line crossing. */
  later: Observation | undefined;
  /** Ground points from the stop-line crossing on (which way it turned). */
  pathPast: Point[];
  /** Crossed while a governing signal was red or unreadable: its frames may become evidence. */
  candidate: boolean;
  /** Its latest frame, marked as a candidate until a later one replaces it. */
  rolling: number | undefined;
  /** Per signal: first time it showed green after the stop-line crossing. */
  greenAfter: Map<string, number>;
  /** Per signal: its first and latest frames facing red at the line (waiting there). */
  waitedOnRed: Map<string, { first: Observation; last: Observation }>;
  /**
   * The road user's class (its vote) when it passed the second line or reached
   * the continued moment: who crossed is who was seen crossing, whatever the
   * track follows later (a tracker that swaps a cyclist for a car beyond the
   * junction).
   */
  crossedAs: RoadUserClass | undefined;
}

/** The categories a road user crossing a stop line is exposed in. */
const RUN_CATEGORIES = ['red_light', 'stop_line_overrun', 'non_motor_red_light'] as const;

/** The class an approach judges: as it crossed, else (not past the second line) its vote so far. */
const judgedClass = (user: RoadUser, s: ApproachTrack): RoadUserClass => s.crossedAs ?? user.cls;

export class RedLightJudge {
  private readonly lines: { approach: Approach; stop: DirectedLine; second: DirectedLine; front: FrontOf | undefined }[];
  private readonly state = new Map<RoadUser, Map<string, ApproachTrack>>();
  /** Approach id → its direction group: a road user counts once per group (see directionGroups). */
  private readonly groups: Map<string, string>;
  /** Waiters exposed so far, to expose a waiter found again on a new track once. */
  private readonly counted: CountedWaits;

  constructor(
    calibration: Calibration,
    private readonly p: RulesParams,
    private readonly evidence: EvidenceCandidates = new EvidenceCandidates(),
  ) {
    this.lines = calibration.approaches.map((a) => ({
      approach: a,
      front: frontOf(a, p),
      stop: new DirectedLine(asSegment(a.stop_line), stopLineTowards(a), p.minimumCrossingFrames, p.lineExtentTolerance, p.lineMargin),
      second: new DirectedLine(asSegment(a.second_line), secondLineTowards(a), p.minimumCrossingFrames, p.lineExtentTolerance),
    }));
    this.groups = directionGroups(calibration.approaches);
    this.counted = new CountedWaits(p.sameWaiterDistance);
  }

  reset(): void {
    this.state.clear();
    this.counted.reset();
  }

  observe(user: RoadUser, o: Observation): void {
    const still = user.isStill(this.p.stillSpeed, this.p.stillSeconds);
    // The vote as of this observation (the registry has counted it): read once, not per approach.
    const cls = user.cls;
    // Stood a second or more (a waiter; a large vehicle slowing to turn moves
    // little in box heights for a moment): for enteredOver.
    const stood = user.isStill(this.p.stillSpeed, this.p.enteredOverStillSeconds);
    for (const { approach, stop, second, front } of this.lines) {
      const s = this.track(user, approach.id);
      const ahead = aheadOf(front, o, cls);
      if (!s.stop.crossing) {
        this.beforeLine(approach, s, o, still, isMotor(cls), ahead);
        if (stood) s.stoodBefore = true;
      }
      if (front && !s.frontBefore && !stop.isPast(ahead, o.height)) s.frontBefore = true;
      let crossed = stop.observe(s.stop, o);
      if (crossed) {
        // A front never seen short of the line crossed before it came into view
        // (before the window began, say) or stands over the line all along:
        // as for a road user first seen past the line, no crossing; unless it
        // came into view as it crossed and drove on.
        if (front && !s.frontBefore) {
          crossed = s.stoodBefore ? undefined : this.enteredOver(user, stop, front, cls, crossed);
          s.enteredOver = crossed !== undefined;
        } else {
          crossed = frontFirst(crossed, user, stop, front, this.p);
          crossed = creptOff(crossed, user, stop, front, this.p);
        }
        s.stop.crossing = crossed;
        if (!crossed) Object.assign(s.stop, newLineState());
        else s.afterPast = user.recent.find((x) => x.t > crossed!.past.t);
      }
      if (crossed && this.mayBeOnRed(approach, s, crossed)) {
        s.candidate = true;
        this.evidence.mark(crossed.before.frameIndex);
        this.evidence.mark(crossed.past.frameIndex);
      }
      second.observe(s.second, o);
      // The first frame of a run past the second line: the "continued" moment, confirmed or (track lost there) pending.
      if (s.candidate && !s.second.crossing && s.second.run.length === 1 && s.second.run[0] === o) this.evidence.mark(o.frameIndex);
      if (s.stop.crossing) this.afterLine(approach, s, o, still);
      if (!s.crossedAs && (s.second.crossing || s.later)) s.crossedAs = cls;
    }
  }

  /** Judge a final road user. */
  finalize(user: RoadUser, ledger: Ledger): void {
    const tracks = this.state.get(user);
    this.state.delete(user);
    if (!tracks) return;
    for (const { approach, second } of this.lines) {
      const s = tracks.get(approach.id);
      if (!s || judgedClass(user, s) === 'pedestrian') continue;
      // Lost just past the second line (behind cross traffic): it got there.
      if (s.stop.crossing && !s.second.crossing) s.second.crossing = second.pending(s.second);
      this.judge(user, approach, s, ledger);
    }
  }

  private track(user: RoadUser, approachId: string): ApproachTrack {
    let m = this.state.get(user);
    if (!m) this.state.set(user, (m = new Map()));
    let s = m.get(approachId);
    if (!s) {
      s = { lane: undefined, stop: newLineState(), frontBefore: false, enteredOver: false, stoodBefore: false, afterPast: undefined, second: newLineState(), stillPast: undefined, later: undefined, pathPast: [], candidate: false, rolling: undefined, greenAfter: new Map(), waitedOnRed: new Map(), crossedAs: undefined };
      m.set(approachId, s);
    }
    return s;
  }

  /**
   * A road user that came into view with its front already just over the
   * stop line, and drove on. Through the picture's bottom edge: where the
   * near stop line lies close to the edge, the detector finds a vehicle only
   * once a good part of it shows, by when its front is over. From behind a
   * vehicle standing in a nearer lane (a bus at the picture's edge hides the
   * stop line's near end): found once it drives out, its front over. It
   * crossed as it came into view; that first frame is the "before" moment
   * (judge() asks for red well before it, and for red still as the rear
   * crossed). Not for one seen standing first: a waiter whose box, cut by
   * the edge, puts its front over the line.
   */
  private enteredOver(user: RoadUser, line: DirectedLine, front: FrontOf, cls: RoadUserClass, c: Crossing): Crossing | undefined {
    const f = user.first;
    if (f === c.before || c.past.t - f.t > this.p.enteredOverSeconds * 1000) return undefined;
    if (line.beyond(front(f, cls)) > this.p.enteredOverReach * f.height) return undefined;
    const i = user.recent.indexOf(f);
    const past = (i >= 0 ? user.recent[i + 1] : undefined) ?? c.past;
    return { before: f, past, confirmed: c.confirmed };
  }

  /**
   * An enteredOver crossing counts only when red had shown
   * enteredOverRedSeconds when the road user came into view (seen, or since
   * the window's first frame: the window must have begun that long before)
   * and red still showed as its box's bottom got past the line; and not
   * when it was then seen still past the line: only a run is judged so (as
   * the vehicle stood, its box gives no sure front).
   */
  private enteredOnRed(s: ApproachTrack, c: Crossing, signalId: string): boolean {
    const since = shownSince(c.before.signals, signalId);
    if (since === undefined || c.before.t - since < (this.p.redGraceSeconds + this.p.enteredOverRedSeconds) * 1000) return false;
    return redAt(c.confirmed.signals, signalId, 0) === 'red' && !s.stillPast;
  }

  /** Before the stop line: remember the lane, and red seen while waiting in it. */
  private beforeLine(a: Approach, s: ApproachTrack, o: Observation, still: boolean, motor: boolean, frontPoint: Point): void {
    const toLine = pointSegmentDistance(asSegment(a.stop_line), o.ground);
    // Within lineMargin over the line (a waiter's box sitting low) it is still in its lane.
    const lane = laneAt(a, o.ground) ?? (toLine <= this.p.lineMargin * o.height ? s.lane : undefined);
    if (!lane) return;
    s.lane = lane;
    // Facing red at the line, not queued further back (who may reach it on
    // green): with a calibrated wait zone, its front inside it (the local
    // rule drawn on the ground, moving or not); without one, standing within
    // a few box heights of the line.
    const atLine = a.wait_zone ? pointInPolygon(frontPoint, a.wait_zone) : still && toLine <= (motor ? this.p.waitNearLine : this.p.waitNearLineNonMotor) * o.height;
    if (!atLine) return;
    for (const sig of a.signals) {
      if (!sig.movements.some((m) => lane.movements.includes(m)) || redAt(o.signals, sig.id, this.p.redGraceSeconds * 1000) !== 'red') continue;
      const w = s.waitedOnRed.get(sig.id);
      if (w) w.last = o;
      else s.waitedOnRed.set(sig.id, { first: o, last: o });
    }
  }

  /** Whether a signal governing a movement of the road user's lane showed red, or could not be read, at the last frame before the line. */
  private mayBeOnRed(a: Approach, s: ApproachTrack, c: Crossing): boolean {
    const movements = laneMovements(a, s.lane);
    if (movements.every((m) => isLegalRightOnRed(a, m))) return false;
    return a.signals.some((sig) => sig.movements.some((m) => movements.includes(m)) && redAt(c.before.signals, sig.id, this.p.redGraceSeconds * 1000) !== 'not_red');
  }

  private afterLine(a: Approach, s: ApproachTrack, o: Observation, still: boolean): void {
    const c = s.stop.crossing!;
    if (s.pathPast.length === 0) s.pathPast.push(c.past.ground);
    if (o.t > c.past.t) s.pathPast.push(o.ground);
    const stillPast = still && !s.second.crossing && !s.stillPast && o.t > c.past.t;
    const later = !s.later && o.t - c.past.t >= this.p.continuedSeconds * 1000;
    if (stillPast) s.stillPast = o;
    if (later) s.later = o;
    if (s.candidate) {
      // A moment stays marked; any other frame only until the next replaces it
      // as the latest (the "continued" moment of a track that ends there).
      if (s.rolling !== undefined) this.evidence.unmark(s.rolling);
      this.evidence.mark(o.frameIndex);
      s.rolling = stillPast || later ? undefined : o.frameIndex;
    }
    for (const sig of a.signals) if (colourAt(o.signals, sig.id) === 'green' && !s.greenAfter.has(sig.id)) s.greenAfter.set(sig.id, o.t);
  }

  private judge(user: RoadUser, a: Approach, s: ApproachTrack, ledger: Ledger): void {
    const cls = judgedClass(user, s);
    const motor = isMotor(cls);
    const runCategory = motor ? 'red_light' : 'non_motor_red_light';
    const stopC = s.stop.crossing;
    const secondC = s.second.crossing && stopC && s.second.crossing.past.t >= stopC.past.t ? s.second.crossing : undefined;
    const along = stopC ? turnAlong(a, s.pathPast, 2 * user.last.height) : undefined;
    const turned = along?.turn;
    const movements = laneMovements(a, s.lane);
    const movement = stopC ? resolveMovement(movements, secondC !== undefined, turned) : waitingMovement(movements);
    if (isLegalRightOnRed(a, movement)) return;
    const signal = governingSignal(a, movement);
    const part = this.groups.get(a.id)!;
    const expose = (t: number) => {
      ledger.expose(runCategory, user, a.id, t, part);
      if (motor) ledger.expose('stop_line_overrun', user, a.id, t, part);
    };
    if (!signal) {
      if (stopC) ledger.skip(runCategory, user, a.id, stopC.past.t, 'no_signal');
      return;
    }
    // A waiter counted on an earlier track and found again where it stood,
    // in the same red (lost behind a bus for longer than a track is joined
    // over): one road user, exposed once.
    const exposeWait = (w: { first: Observation; last: Observation }) => {
      const seen = this.counted.before(a.id, signal.id, w.first);
      if (seen) seen.last = w.last;
      else {
        expose(w.first.t);
        this.counted.add(a.id, user, w.last);
      }
    };
    const waited = s.waitedOnRed.get(signal.id);
    if (!stopC) {
      if (waited !== undefined) exposeWait(waited);
      return;
    }
    let verdict = redAt(stopC.before.signals, signal.id, this.p.redGraceSeconds * 1000);
    if (s.enteredOver && verdict === 'red' && !this.enteredOnRed(s, stopC, signal.id)) verdict = 'not_red';
    // A waiter moving off as green begins: green seen within moveOffGraceSeconds
    // of its first frame past the line is given to it, as red beginning just
    // before it is (the signal and the box are sampled 8 times a second).
    const next = s.afterPast;
    if (verdict === 'red' && waited !== undefined && next && next.t - stopC.past.t <= this.p.moveOffGraceSeconds * 1000 && colourAt(next.signals, signal.id) === 'green') verdict = 'not_red';
    if (verdict === 'unknown') return ledger.skip(runCategory, user, a.id, stopC.past.t, 'signal_unknown');
    if (this.leftOrStraightOpen(a, s, movement, along!.reach, stopC, verdict)) return ledger.skip(runCategory, user, a.id, stopC.past.t, 'movement_unknown');
    if (verdict === 'not_red') {
      if (waited !== undefined) exposeWait(waited);
      return;
    }
    expose(stopC.past.t);
    // Found again where a counted waiter stood (its first sighting) and
    // crossing on red: one road user, exposed with its crossing.
    const seen = this.counted.before(a.id, signal.id, user.first);
    if (seen && seen.user !== user) for (const c of RUN_CATEGORIES) ledger.retractExposure(c, seen.user, a.id, part);
    const outcome = this.outcome(a, movement, s, stopC, secondC, signal.id, user);
    if (outcome.kind === 'run') ledger.violate(runCategory, user, a.id, [stopC.before, stopC.past, outcome.continued], { signalId: signal.id, cls, part });
    else if (outcome.kind === 'overrun' && motor) ledger.violate('stop_line_overrun', user, a.id, [stopC.before, stopC.past, outcome.continued], { signalId: signal.id, cls, part });
    else if (outcome.kind === 'unresolved') ledger.skip(runCategory, user, a.id, stopC.past.t, 'unresolved');
  }

  /**
   * A shared left/straight lane read as straight because no turn showed, but
   * lost (or the window ended) before it got far enough past the line for a
   * left turn to show, while the left and straight signals disagreed: which
   * one governed it is not known, so it is not judged. The typical case is a
   * left-turner leaving on its green arrow under a red ball.
   */
  private leftOrStraightOpen(a: Approach, s: ApproachTrack, movement: Movement, reach: number, stopC: Crossing, verdict: 'red' | 'not_red'): boolean {
    if (movement !== 'straight' || reach >= this.p.turnRevealReach || !laneMovements(a, s.lane).includes('left')) return false;
    const left = governingSignal(a, 'left');
    if (!left) return false;
    const leftVerdict = redAt(stopC.before.signals, left.id, this.p.redGraceSeconds * 1000);
    return leftVerdict === 'unknown' || leftVerdict !== verdict;
  }

  private outcome(
    a: Approach,
    movement: Movement,
    s: ApproachTrack,
    stopC: Crossing,
    secondC: Crossing | undefined,
    signalId: string,
    user: RoadUser,
  ): { kind: 'run' | 'overrun'; continued: Observation } | { kind: 'unresolved' } {
    if (movement === 'right') {
      if (s.stillPast) return { kind: 'overrun', continued: s.stillPast };
      // Seen still turning continuedSeconds later, or it may yet have stopped (the window ended, say).
      return s.later ? { kind: 'run', continued: s.later } : { kind: 'unresolved' };
    }
    const green = s.greenAfter.get(signalId);
    if (secondC && (green === undefined || secondC.past.t < green)) return { kind: 'run', continued: secondC.past };
    if (s.stillPast) return { kind: 'overrun', continued: s.stillPast };
    // Crossed on red and kept going, never seen stopping: a runner, even if it
    // reached the second line after green began (a slow left-turner).
    if (secondC) return { kind: 'run', continued: secondC.past };
    if (this.wouldPass(a, user)) return { kind: 'run', continued: user.last };
    return { kind: 'unresolved' };
  }

  /**
   * Lost moving towards the second line (behind cross traffic, or off the
   * picture) close enough to pass it within projectSeconds at its speed. For
   * traffic going away from the camera the ground point is the rear, which
   * reaches the line a vehicle length after the front: the front was there.
   */
  private wouldPass(a: Approach, user: RoadUser): boolean {
    const line = this.lines.find((l) => l.approach === a)!.second;
    const [vx, vy] = user.velocity();
    const ms = this.p.projectSeconds * 1000;
    const g = user.last.ground;
    return !user.isStill(this.p.stillSpeed, this.p.stillSeconds) && line.isPast([g[0] + vx * ms, g[1] + vy * ms], user.last.height);
  }
}
