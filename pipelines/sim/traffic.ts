// Motor and non-motor vehicle kinematics: the intelligent driver model for
// following and stopping, plus each driver's choice at amber and red. Pure;
// the stepper in simulate.ts owns time and spawning.
import type { SignalColour } from '../types.ts';
import type { BehaviourConfig } from './behaviour.ts';
import type { Vehicle } from './actors.ts';
import { colourAt, rightOnRedAllowed, type SignalPlan } from './signals.ts';

/** Comfortable braking (m/s²); drivers who would need more at amber carry on. */
const COMFORT_DECEL = 4;
/** A red runner decides at least this long before reaching the line, so the crossing is clearly on red. */
export const RUN_MARGIN_S = 0.8;
/** An amber crosser must expect to clear the line this long before red. */
const AMBER_MARGIN_S = 0.8;
/** Front within this distance of the stop line while red counts as facing red there. */
export const EXPOSURE_DIST = 5;

export function front(v: Vehicle): number {
  return v.s + v.body.length / 2;
}

/** Seconds until the head next shows red (0 when red now); searched in steps, the plan is piecewise constant. */
export function timeToRed(plan: SignalPlan, headId: string, t: number): number {
  for (let dt = 0; dt < plan.cycle; dt += 0.1) if (colourAt(plan, headId, t + dt) === 'red') return dt;
  return Infinity;
}

function timeToGreen(plan: SignalPlan, headId: string, t: number): number {
  for (let dt = 0; dt < plan.cycle; dt += 0.5) if (colourAt(plan, headId, t + dt) === 'green') return dt;
  return Infinity;
}

/**
 * Where the vehicle must stop (arc length its front must not pass), or null
 * to drive on. Updates the vehicle's sticky decision.
 */
export function stopTarget(veh: Vehicle, plan: SignalPlan, cfg: BehaviourConfig, t: number, isLeader: boolean): number | null {
  const r = veh.route;
  if (veh.tStop !== null) {
    // Past the line: only an overrun car keeps a target, until green.
    if (veh.decision === 'overrun' && colourAt(plan, veh.headId, t) !== 'green') return r.sStop + veh.overrunDepth + veh.body.length;
    return null;
  }
  const line = r.sStop - 0.4;
  const colour: SignalColour = colourAt(plan, veh.headId, t);
  if (colour === 'green') {
    veh.decision = 'none';
    return null;
  }
  const distFront = r.sStop - front(veh);
  const rightFree = veh.movement === 'right' && (veh.nonMotor || rightOnRedAllowed(plan, veh.arm));
  if (rightFree) {
    if (veh.decision === 'none') veh.decision = veh.rtor ? 'rtor' : 'stop';
    return veh.decision === 'rtor' ? null : line;
  }
  if (colour === 'amber') return amberChoice(veh, plan, t, distFront) ? null : line;
  return redChoice(veh, plan, cfg, t, distFront, isLeader, line);
}

function amberChoice(veh: Vehicle, plan: SignalPlan, t: number, distFront: number): boolean {
  if (veh.decision === 'go') return true;
  if (veh.decision !== 'none') return false;
  const rem = timeToRed(plan, veh.headId, t);
  const tLine = veh.v > 0.5 ? distFront / veh.v : Infinity;
  const canStop = (veh.v * veh.v) / (2 * COMFORT_DECEL) <= distFront;
  const clears = tLine < rem - AMBER_MARGIN_S;
  veh.decision = clears && (!canStop || veh.amberGo) ? 'go' : 'stop';
  return veh.decision === 'go';
}

function redChoice(veh: Vehicle, plan: SignalPlan, cfg: BehaviourConfig, t: number, distFront: number, isLeader: boolean, line: number): number | null {
  if (veh.decision === 'go' || veh.decision === 'run') return null;
  if (veh.decision === 'overrun') return veh.route.sStop + veh.overrunDepth + veh.body.length;
  if (veh.decision === 'run_from_stop') return t >= veh.runAt ? null : line;
  if (!isLeader) return line;
  if (veh.intent === 'run') {
    if (veh.v > 3 && distFront > veh.v * RUN_MARGIN_S) {
      veh.decision = 'run';
      return null;
    }
    if (veh.v < 0.3 && distFront < 3 && timeToGreen(plan, veh.headId, t) > 6) {
      veh.decision = 'run_from_stop';
      veh.runAt = t + veh.rng.range(1, 3.5);
      return line;
    }
  }
  if (veh.intent === 'overrun' && veh.v > 2 && distFront > 4) {
    veh.decision = 'overrun';
    return veh.route.sStop + veh.overrunDepth + veh.body.length;
  }
  veh.decision = 'stop';
  void cfg;
  return line;
}

export interface IdmParams {
  timeGap: number;
  minGap: number;
  decel: number;
}

export const IDM_CAR: IdmParams = { timeGap: 1.3, minGap: 2, decel: 3 };
export const IDM_BIKE: IdmParams = { timeGap: 1.0, minGap: 1, decel: 2.5 };

/** Intelligent driver model acceleration towards an obstacle `gap` metres ahead moving at `vLead`. */
export function idm(v: number, v0: number, aMax: number, p: IdmParams, gap: number, vLead: number): number {
  const free = 1 - Math.pow(v / Math.max(0.1, v0), 4);
  if (!Number.isFinite(gap)) return aMax * free;
  const dv = v - vLead;
  const sStar = p.minGap + Math.max(0, v * p.timeGap + (v * dv) / (2 * Math.sqrt(aMax * p.decel)));
  const g = Math.max(0.05, gap);
  return aMax * (free - (sStar / g) ** 2);
}
