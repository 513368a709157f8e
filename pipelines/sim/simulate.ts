// The stepper: spawns road users by time-of-day demand, moves them one frame
// at a time, and records poses, line crossings, exposures and violations.
// Pure and deterministic from the seed; no drawing, no I/O.
import type { Category, Movement } from '../types.ts';
import { DEFAULT_BEHAVIOUR, demandAt, type BehaviourConfig } from './behaviour.ts';
import { CLASS_OF, isVehicle, makeBody, type ActorKind, type Body, type Outcome, type Pedestrian, type Vehicle } from './actors.ts';
import type { LayoutSpec } from './layout.ts';
import { poseAt } from './path.ts';
import { Rng } from './rng.ts';
import { buildPlan, DEFAULT_TIMINGS, governingHead, ids, colourAt, rightOnRedAllowed, timeline, type SignalPlan, type SignalTimings } from './signals.ts';
import { EXPOSURE_DIST, front, idm, IDM_BIKE, IDM_CAR, stopTarget } from './traffic.ts';
import { ARM_NAMES, buildWorld, motorRoute, nonMotorRoute, type Arm, type ArmName, type World } from './world.ts';
import { crosswalkPedPath, midblockPedPath } from './walkers.ts';

export interface SimOptions {
  seed: number;
  seconds: number;
  fps: number;
  layout: LayoutSpec;
  /** Local hour of the clip start (0..24) for demand. */
  localHour: number;
  timings?: Partial<SignalTimings>;
  behaviour?: Partial<BehaviourConfig>;
  /** Seconds simulated before the clip starts, so queues and traffic are already there. */
  warmup?: number;
}

export interface Pose {
  id: number;
  x: number;
  y: number;
  hx: number;
  hy: number;
  v: number;
  braking: boolean;
  /** Distance travelled (metres), for walking and pedalling animation. */
  gait: number;
}

export interface SimEvent {
  actorId: number;
  category: Category;
  zoneId: string;
  signalId: string | null;
  /** Decisive time: stop-line crossing, or carriageway / crosswalk entry. */
  t: number;
  stopLineT: number | null;
  secondLineT: number | null;
  enterT: number | null;
  /** Overruns: when the vehicle came to a halt short of the second line. */
  haltT: number | null;
}

export interface SimExposure {
  actorId: number;
  category: Category;
  zoneId: string;
  t: number;
  /**
   * When it stopped facing red: it crossed the stop line or stepped into the
   * road, or its signal left red; at most the clip's end. A part of the clip
   * starting while it still waits counts it too (window-truth.ts).
   */
  until: number;
}

export interface ActorRecord {
  id: number;
  kind: ActorKind;
  body: Body;
  arm: ArmName;
  zoneId: string;
  movement: Movement | null;
  outcome: Outcome;
}

export interface SimResult {
  seed: number;
  fps: number;
  frameCount: number;
  world: World;
  plan: SignalPlan;
  behaviour: BehaviourConfig;
  /** Poses per frame, clip frames only. */
  frames: Pose[][];
  actors: Map<number, ActorRecord>;
  events: SimEvent[];
  exposures: SimExposure[];
}

/** Arrivals per second at full demand. */
const RATES = { motorLane: 0.085, nonMotorArm: 0.045, pedKerb: 0.022 };
/** Simulated after the clip's last frame so crossings that started in the clip resolve. */
const POSTROLL = 8;
/** A road user already waiting at red when the clip starts is exposed only if red still shows this many seconds into the clip. */
export const START_RED_S = 1;
/** A jaywalk is proven by the step in and the road user still in the road this long after (the evidence's "continued" moment). */
export const JAYWALK_CONTINUED_S = 1;

interface Source {
  key: string;
  next: number;
  rate: number;
  spawn: (t: number) => boolean;
}

export function simulate(opts: SimOptions): SimResult {
  const sim = new Simulation(opts);
  return sim.run();
}

class Simulation {
  readonly world: World;
  readonly plan: SignalPlan;
  readonly cfg: BehaviourConfig;
  readonly rng: Rng;
  readonly dt: number;
  private nextId = 1;
  private vehicles: Vehicle[] = [];
  private peds: Pedestrian[] = [];
  private sources: Source[] = [];
  private readonly actors = new Map<number, ActorRecord>();
  private readonly events: SimEvent[] = [];
  /** Who each exposure belongs to, to tell when it ended (endOf). */
  private readonly exposedBy = new Map<Omit<SimExposure, 'until'>, Vehicle | Pedestrian>();
  private readonly frames: Pose[][] = [];
  private readonly frameCount: number;

  constructor(private readonly opts: SimOptions) {
    this.rng = new Rng(opts.seed);
    this.world = buildWorld(opts.layout);
    const timings = { ...DEFAULT_TIMINGS, ...opts.timings };
    this.plan = buildPlan(opts.layout, timings, this.rng.fork('signal-offset').range(0, 1000));
    this.cfg = { ...DEFAULT_BEHAVIOUR, ...opts.behaviour };
    this.dt = 1 / opts.fps;
    this.frameCount = Math.round(opts.seconds * opts.fps);
    this.buildSources();
  }

  run(): SimResult {
    const warmupFrames = Math.round((this.opts.warmup ?? 50) * this.opts.fps);
    const total = this.frameCount + Math.round(POSTROLL * this.opts.fps);
    for (let f = -warmupFrames; f < total; f++) {
      const t = f * this.dt;
      this.spawn(t);
      this.stepVehicles(t);
      this.stepPeds(t);
      if (f === 0) this.markWaitingAtStart();
      if (f >= 0 && f < this.frameCount) this.frames.push(this.poses());
      this.vehicles = this.vehicles.filter((v) => !v.done);
      this.peds = this.peds.filter((p) => !p.done);
    }
    const inClip = (t: number) => t >= 0 && t < this.opts.seconds;
    const end = this.opts.seconds;
    return {
      seed: this.opts.seed,
      fps: this.opts.fps,
      frameCount: this.frameCount,
      world: this.world,
      plan: this.plan,
      behaviour: this.cfg,
      frames: this.frames,
      actors: this.actors,
      // A violation belongs to the clip when every moment that proves it is inside the clip.
      // A jaywalk's third moment is the road user still in the road a moment later (JAYWALK_CONTINUED_S).
      events: this.events.filter(
        (e) => inClip(e.t) && (e.secondLineT === null || e.secondLineT < end) && (e.haltT === null || e.haltT < end) && (e.enterT === null || e.enterT + JAYWALK_CONTINUED_S < end),
      ),
      // A road user already waiting at red when the clip starts is exposed from the first frame.
      exposures: [...this.exposedBy.keys()]
        .filter((e) => inClip(e.t) || (e.t < 0 && this.stillFacingRedAtStart(e.actorId)))
        .map((e) => ({ ...e, t: Math.max(0, e.t), until: Math.max(0, Math.min(end, this.endOf(e))) })),
    };
  }

  private expose(actor: Vehicle | Pedestrian, e: Omit<SimExposure, 'until'>): void {
    this.exposedBy.set(e, actor);
  }

  /** When an exposure ended: the road user crossed the line or stepped into the road, or its signal left red. */
  private endOf(e: Omit<SimExposure, 'until'>): number {
    const actor = this.exposedBy.get(e)!;
    const crossed = 'tStop' in actor ? actor.tStop : actor.tEnter;
    if (actor.headId === null) return e.t; // mid-block: exposed at the instant it stepped in
    const leftRed = timeline(this.plan, actor.headId, e.t, e.t + this.plan.cycle).find(([, , colour]) => colour !== 'red')?.[0] ?? Infinity;
    return round3(Math.min(crossed ?? Infinity, leftRed));
  }

  private readonly atStart = new Set<number>();

  private stillFacingRedAtStart(id: number): boolean {
    return this.atStart.has(id);
  }

  /** Road users exposed before the clip who have not yet crossed (or stepped off the kerb) at its first frame. */
  private markWaitingAtStart(): void {
    // Red must still show for a moment a judge can see (START_RED_S): a queue
    // released as the clip begins faced red before the window, not in it.
    const redOn = (head: string | null) => head !== null && colourAt(this.plan, head, 0) === 'red' && colourAt(this.plan, head, START_RED_S) === 'red';
    for (const v of this.vehicles) if (v.exposedT !== null && v.tStop === null && redOn(v.headId)) this.atStart.add(v.id);
    for (const p of this.peds) if (p.exposedT !== null && p.tEnter === null && redOn(p.headId)) this.atStart.add(p.id);
  }

  // ---- arrivals ----------------------------------------------------------

  private buildSources(): void {
    const demand = demandAt(this.opts.localHour) * this.cfg.demand;
    const arrivals = this.rng.fork('arrivals');
    const add = (key: string, rate: number, spawn: (t: number) => boolean) => {
      const r = arrivals.fork(key);
      const warm = -(this.opts.warmup ?? 50);
      this.sources.push({ key, rate, next: warm + r.exponential(rate), spawn });
    };
    for (const name of ARM_NAMES) {
      const arm = this.world.arms[name];
      arm.lanes.forEach((moves, lane) => {
        const share = moves.includes('straight') ? 1 : 0.55;
        add(`motor:${name}:${lane}`, RATES.motorLane * demand * share, (t) => this.spawnVehicle(arm, lane, moves, t));
      });
      add(`bike:${name}`, RATES.nonMotorArm * demand, (t) => this.spawnBike(arm, t));
      for (const side of [1, -1] as const) add(`ped:${name}:${side}`, RATES.pedKerb * demand, (t) => this.spawnPed(arm, side, t));
    }
    add('jaywalk', (this.cfg.jaywalkPerMinute * Math.max(0.3, demand)) / 60, (t) => this.spawnJaywalker(t));
  }

  private spawn(t: number): void {
    for (const src of this.sources) {
      if (t < src.next) continue;
      // A blocked entry keeps the arrival waiting (a queue off-screen), it is not lost.
      if (src.spawn(t)) src.next += this.rng.fork('gap', src.key, Math.round(src.next * 1000)).exponential(src.rate);
    }
  }

  private entryClear(group: string, length: number): boolean {
    for (const v of this.vehicles) if (v.group === group && v.s - v.body.length / 2 < length + 4) return false;
    return true;
  }

  private spawnVehicle(arm: Arm, lane: number, moves: Movement[], t: number): boolean {
    const group = `${arm.name}:${lane}`;
    const id = this.nextId;
    const rng = this.rng.fork('actor', id);
    const large = rng.chance(this.cfg.largeVehicleShare) && !moves.includes('left');
    const kind: ActorKind = large ? (rng.chance(0.5) ? 'bus' : 'truck') : (['car', 'car', 'car', 'suv', 'suv', 'van'] as const)[rng.int(0, 5)]!;
    const body = makeBody(kind, rng);
    if (!this.entryClear(group, body.length)) return false;
    const movement = moves[rng.weighted(moves.map((m) => (m === 'straight' ? 3 : 1)))]!;
    const route = motorRoute(this.world, arm, lane, movement);
    const intentDraw = rng.next();
    const intent = intentDraw < this.cfg.redLightRun ? 'run' : intentDraw < this.cfg.redLightRun + (large ? 0 : this.cfg.stopLineOverrun) ? 'overrun' : 'comply';
    const v0 = large ? rng.range(10, 12) : rng.range(12.5, 15.5);
    this.addVehicle({
      id, body, arm: arm.name, group, movement, route, rng, v0,
      aMax: large ? 1.2 : rng.range(1.8, 2.6),
      headId: governingHead(this.plan, arm.name, movement, false),
      zoneId: ids.approach(arm.name),
      nonMotor: false,
      intent,
    });
    void t;
    return true;
  }

  private spawnBike(arm: Arm, t: number): boolean {
    const group = `${arm.name}:nm`;
    const id = this.nextId;
    const rng = this.rng.fork('actor', id);
    const kind: ActorKind = rng.chance(0.55) ? 'ebike' : 'bicycle';
    const body = makeBody(kind, rng);
    if (!this.entryClear(group, body.length)) return false;
    const movement = rng.chance(0.75) ? 'straight' : 'right';
    this.addVehicle({
      id, body, arm: arm.name, group, movement,
      route: nonMotorRoute(this.world, arm, movement),
      rng,
      v0: kind === 'ebike' ? rng.range(6, 8) : rng.range(4, 5.5),
      aMax: kind === 'ebike' ? 1.8 : 1.0,
      headId: governingHead(this.plan, arm.name, movement, true),
      zoneId: ids.nmApproach(arm.name),
      nonMotor: true,
      intent: rng.chance(this.cfg.nonMotorRedRun) ? 'run' : 'comply',
    });
    void t;
    return true;
  }

  private addVehicle(v: Pick<Vehicle, 'id' | 'body' | 'arm' | 'group' | 'movement' | 'route' | 'rng' | 'v0' | 'aMax' | 'headId' | 'zoneId' | 'nonMotor' | 'intent'>): void {
    this.nextId++;
    const veh: Vehicle = {
      ...v,
      s: v.body.length / 2,
      v: v.v0 * 0.8,
      accel: 0,
      decision: 'none',
      runAt: 0,
      overrunDepth: v.rng.range(0.8, 2.2),
      amberGo: v.rng.chance(this.cfg.amberGo),
      rtor: v.rng.chance(this.cfg.rightOnRed),
      exposedT: null,
      tStop: null,
      stopColour: null,
      tSecond: null,
      haltedPastLine: null,
      outcome: 'in_progress',
      done: false,
    };
    this.vehicles.push(veh);
    this.actors.set(veh.id, { id: veh.id, kind: veh.body.kind, body: veh.body, arm: veh.arm, zoneId: veh.zoneId, movement: veh.movement, outcome: 'in_progress' });
  }

  private spawnPed(arm: Arm, side: 1 | -1, t: number): boolean {
    const id = this.nextId++;
    const rng = this.rng.fork('actor', id);
    const body = makeBody('pedestrian', rng);
    const walk = crosswalkPedPath(arm, side, rng);
    const ped: Pedestrian = {
      id, body, arm: arm.name, path: walk.path, crosswalk: ids.crosswalk(arm.name), headId: ids.ped(arm.name),
      s: 0, v: 0, walkSpeed: rng.range(1.15, 1.7), sKerb: walk.sKerb, sEnter: walk.sEnter, state: 'approach', waitUntil: 0,
      dontWalk: rng.chance(this.cfg.pedDontWalk), startedOnWalk: false, exposedT: null, tEnter: null, enteredOnRed: false, outcome: 'in_progress', done: false,
    };
    this.peds.push(ped);
    this.actors.set(id, { id, kind: 'pedestrian', body, arm: arm.name, zoneId: ped.crosswalk!, movement: null, outcome: 'in_progress' });
    void t;
    return true;
  }

  private spawnJaywalker(t: number): boolean {
    const id = this.nextId++;
    const rng = this.rng.fork('actor', id);
    const arm = this.world.arms[rng.pick(ARM_NAMES)];
    const body = makeBody('pedestrian', rng);
    const walk = midblockPedPath(arm, rng);
    const ped: Pedestrian = {
      id, body, arm: arm.name, path: walk.path, crosswalk: null, headId: null,
      s: 0, v: 0, walkSpeed: rng.range(1.3, 1.9), sKerb: walk.sKerb, sEnter: walk.sEnter, state: 'approach', waitUntil: 0,
      dontWalk: true, startedOnWalk: false, exposedT: null, tEnter: null, enteredOnRed: false, outcome: 'in_progress', done: false,
    };
    this.peds.push(ped);
    this.actors.set(id, { id, kind: 'pedestrian', body, arm: arm.name, zoneId: 'carriageway', movement: null, outcome: 'in_progress' });
    void t;
    return true;
  }

  // ---- vehicles ----------------------------------------------------------

  private stepVehicles(t: number): void {
    const groups = new Map<string, Vehicle[]>();
    for (const v of this.vehicles) {
      const g = groups.get(v.group);
      if (g) g.push(v);
      else groups.set(v.group, [v]);
    }
    for (const veh of this.vehicles) {
      const lead = this.leaderOf(veh, groups.get(veh.group)!);
      const isLeader = !lead || lead.s > lead.route.sStop + lead.body.length / 2;
      const target = stopTarget(veh, this.plan, this.cfg, t, isLeader);
      const p = veh.nonMotor ? IDM_BIKE : IDM_CAR;
      const v0 = this.desiredSpeed(veh);
      let a = idm(veh.v, v0, veh.aMax, p, Infinity, 0);
      if (lead) a = Math.min(a, idm(veh.v, v0, veh.aMax, p, lead.s - lead.body.length / 2 - front(veh), lead.v));
      if (target !== null) a = Math.min(a, idm(veh.v, v0, veh.aMax, { ...p, minGap: 0.2, timeGap: 0.4 }, target - front(veh), 0));
      a = Math.max(-8, a);
      veh.accel = a;
      const prevFront = front(veh);
      const prevS = veh.s;
      veh.v = Math.max(0, veh.v + a * this.dt);
      veh.s += veh.v * this.dt;
      if (lead) veh.s = Math.min(veh.s, Math.max(prevS, lead.s - lead.body.length / 2 - 0.3 - veh.body.length / 2));
      this.lineCrossings(veh, t, prevFront);
      if (veh.s - veh.body.length / 2 > veh.route.path.length) this.finishVehicle(veh);
    }
  }

  private leaderOf(veh: Vehicle, group: Vehicle[]): Vehicle | undefined {
    let best: Vehicle | undefined;
    const diverged = veh.s > veh.route.sStop + 2;
    for (const o of group) {
      if (o === veh || o.s <= veh.s) continue;
      if (diverged && o.movement !== veh.movement) continue;
      if (!best || o.s < best.s) best = o;
    }
    return best;
  }

  private desiredSpeed(veh: Vehicle): number {
    const r = veh.route;
    const nearTurn = veh.s > r.sStop - 25 && veh.s < r.sStop + 35;
    if (!nearTurn || veh.movement === 'straight') return veh.v0;
    return Math.min(veh.v0, veh.movement === 'right' ? (veh.nonMotor ? 3.5 : 5) : 8);
  }

  /** Exposure, stop-line and second-line crossings (the front bumper is what crosses). */
  private lineCrossings(veh: Vehicle, t: number, prevFront: number): void {
    const r = veh.route;
    const f = front(veh);
    const governed = !(veh.movement === 'right' && (veh.nonMotor || rightOnRedAllowed(this.plan, veh.arm)));
    const at = (line: number) => t + this.dt * Math.min(1, Math.max(0, (line - prevFront) / Math.max(1e-9, f - prevFront)));
    if (veh.tStop === null && governed && veh.exposedT === null && r.sStop - f <= EXPOSURE_DIST && colourAt(this.plan, veh.headId, t) === 'red') {
      veh.exposedT = t;
      for (const category of this.categoriesOf(veh)) this.expose(veh, { actorId: veh.id, category, zoneId: veh.zoneId, t: round3(t) });
    }
    if (veh.tStop === null && f >= r.sStop) {
      veh.tStop = at(r.sStop);
      veh.stopColour = colourAt(this.plan, veh.headId, veh.tStop);
      if (veh.stopColour === 'red' && governed && veh.exposedT === null) {
        veh.exposedT = veh.tStop;
        for (const category of this.categoriesOf(veh)) this.expose(veh, { actorId: veh.id, category, zoneId: veh.zoneId, t: round3(veh.tStop) });
      }
      veh.outcome = !governed ? (veh.stopColour === 'green' ? 'green' : 'right_turn_on_red') : veh.stopColour === 'green' ? 'green' : veh.stopColour === 'amber' ? 'amber_crossing' : 'in_progress';
      if (veh.outcome !== 'in_progress' && veh.exposedT !== null && veh.outcome === 'green') veh.outcome = 'stopped_at_red';
    }
    const redCrossing = veh.tStop !== null && veh.stopColour === 'red' && governed;
    if (redCrossing && veh.haltedPastLine === null && veh.tSecond === null && veh.v < 0.05 && !veh.nonMotor) {
      veh.haltedPastLine = t;
      veh.outcome = 'stop_line_overrun';
      this.pushEvent(veh, 'stop_line_overrun');
    }
    if (r.sSecond !== null && veh.tSecond === null && f >= r.sSecond) {
      veh.tSecond = at(r.sSecond);
      if (redCrossing && veh.haltedPastLine === null) {
        veh.outcome = veh.nonMotor ? 'non_motor_red_light' : 'red_light';
        this.pushEvent(veh, veh.nonMotor ? 'non_motor_red_light' : 'red_light');
      }
    }
  }

  private categoriesOf(veh: Vehicle): Category[] {
    return veh.nonMotor ? ['non_motor_red_light'] : ['red_light', 'stop_line_overrun'];
  }

  private pushEvent(veh: Vehicle, category: Category): void {
    this.events.push({
      actorId: veh.id,
      category,
      zoneId: veh.zoneId,
      signalId: veh.headId,
      t: round3(veh.tStop!),
      stopLineT: round3(veh.tStop!),
      secondLineT: category === 'stop_line_overrun' ? null : round3(veh.tSecond!),
      enterT: null,
      haltT: category === 'stop_line_overrun' ? round3(veh.haltedPastLine!) : null,
    });
  }

  private finishVehicle(veh: Vehicle): void {
    veh.done = true;
    if (veh.outcome === 'in_progress') veh.outcome = 'green';
    this.actors.get(veh.id)!.outcome = veh.outcome;
  }

  // ---- pedestrians -------------------------------------------------------

  private stepPeds(t: number): void {
    for (const p of this.peds) {
      const prev = p.s;
      if (p.state === 'approach' && p.s >= p.sKerb) this.atKerb(p, t);
      if (p.state === 'wait') {
        const walk = p.headId !== null && colourAt(this.plan, p.headId, t) === 'green';
        if (walk || (p.dontWalk && t >= p.waitUntil)) {
        p.state = 'cross';
        p.startedOnWalk = walk;
      }
      }
      p.v = p.state === 'wait' ? 0 : p.walkSpeed * (p.state === 'cross' && p.enteredOnRed ? 1.25 : 1);
      p.s += p.v * this.dt;
      if (p.state === 'approach' && p.s > p.sKerb) p.s = p.sKerb;
      if (p.tEnter === null && prev < p.sEnter && p.s >= p.sEnter) this.enterCarriageway(p, t + this.dt * ((p.sEnter - prev) / Math.max(1e-9, p.s - prev)));
      if (p.s > p.path.length) {
        p.done = true;
        const rec = this.actors.get(p.id)!;
        rec.outcome = p.outcome === 'in_progress' ? 'crossed_on_walk' : p.outcome;
      }
    }
  }

  private atKerb(p: Pedestrian, t: number): void {
    if (p.headId === null) {
      p.state = 'cross';
      return;
    }
    if (colourAt(this.plan, p.headId, t) === 'green') {
      p.state = 'cross';
      p.startedOnWalk = true;
      return;
    }
    p.state = 'wait';
    p.waitUntil = t + p.path.length * 0 + this.rng.fork('ped-wait', p.id).range(0.5, 4);
    p.outcome = 'waited_at_kerb';
    if (p.exposedT === null) {
      p.exposedT = t;
      this.expose(p, { actorId: p.id, category: 'jaywalk', zoneId: p.crosswalk!, t: round3(t) });
    }
  }

  private enterCarriageway(p: Pedestrian, tEnter: number): void {
    p.tEnter = tEnter;
    const zoneId = p.crosswalk ?? 'carriageway';
    // Leaving the kerb on walk is legal even if the step into the road lands just after the change.
    const red = p.headId === null || (!p.startedOnWalk && colourAt(this.plan, p.headId, tEnter) !== 'green');
    if (!red) {
      p.outcome = p.outcome === 'waited_at_kerb' ? 'waited_at_kerb' : 'crossed_on_walk';
      return;
    }
    p.enteredOnRed = true;
    p.outcome = p.headId === null ? 'midblock_jaywalk' : 'crossed_on_dont_walk';
    if (p.headId === null) this.expose(p, { actorId: p.id, category: 'jaywalk', zoneId, t: round3(tEnter) });
    this.events.push({ actorId: p.id, category: 'jaywalk', zoneId, signalId: p.headId, t: round3(tEnter), stopLineT: null, secondLineT: null, enterT: round3(tEnter), haltT: null });
  }

  // ---- recording ---------------------------------------------------------

  private poses(): Pose[] {
    const out: Pose[] = [];
    for (const v of this.vehicles) {
      const q = poseAt(v.route.path, v.s);
      out.push({ id: v.id, x: q.x, y: q.y, hx: q.hx, hy: q.hy, v: v.v, braking: v.accel < -0.4 || v.v < 0.1, gait: v.s });
    }
    for (const p of this.peds) {
      const q = poseAt(p.path, p.s);
      out.push({ id: p.id, x: q.x, y: q.y, hx: q.hx, hy: q.hy, v: p.v, braking: false, gait: p.s });
    }
    return out;
  }
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export { CLASS_OF, isVehicle };
