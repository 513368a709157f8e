// How road users behave, as probabilities a scenario or an archive can turn.
// Each is drawn per road user at the moment it matters, from that road
// user's own random stream, so changing one probability never reshuffles
// the rest of the clip.

export interface BehaviourConfig {
  /** A motor vehicle first in its lane at a red light runs it (approaching, or after waiting). */
  redLightRun: number;
  /** A motor vehicle first in its lane at a red light creeps over the stop line and stops short of the second line. */
  stopLineOverrun: number;
  /** A driver who could stop at the start of amber carries on instead (legal: it clears the line before red). */
  amberGo: number;
  /** A right turner with no arrow turns on red (legal) rather than waiting for green. */
  rightOnRed: number;
  /** A bicycle or e-bike first at a red light rides through it. */
  nonMotorRedRun: number;
  /** A pedestrian who reaches the kerb on don't-walk crosses anyway. */
  pedDontWalk: number;
  /** Pedestrians crossing an arm away from any crosswalk, per minute for the whole junction. */
  jaywalkPerMinute: number;
  /** Multiplier on every arrival rate (busier or quieter junctions). */
  demand: number;
  /** Share of motor vehicles that are buses or trucks. */
  largeVehicleShare: number;
}

export const DEFAULT_BEHAVIOUR: BehaviourConfig = {
  redLightRun: 0.12,
  stopLineOverrun: 0.1,
  amberGo: 0.5,
  rightOnRed: 0.7,
  nonMotorRedRun: 0.25,
  pedDontWalk: 0.2,
  jaywalkPerMinute: 0.6,
  demand: 1,
  largeVehicleShare: 0.12,
};

/**
 * Relative traffic at a local hour (0..24, fractional): a night floor, morning
 * and evening peaks. 1.0 at the height of the peaks.
 */
export function demandAt(localHour: number): number {
  const peak = (centre: number, width: number) => Math.exp(-((localHour - centre) ** 2) / (2 * width * width));
  const day = localHour >= 6 && localHour <= 22 ? 0.45 : 0.12;
  return Math.min(1, day + 0.55 * peak(8, 1.1) + 0.55 * peak(18, 1.3) + 0.1 * peak(12.5, 1.5));
}
