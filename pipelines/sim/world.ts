// The junction in world metres: four arms, their lanes, stop lines, second
// lines, crosswalks, and the paths road users drive and walk. Everything the
// simulation, the renderer and the sites writer need to agree on lives here.
import type { Movement } from '../types.ts';
import { laneMovements, type LayoutSpec } from './layout.ts';
import { bezier, makePath, type Path, type Vec2 } from './path.ts';

export const ARM_NAMES = ['north', 'east', 'south', 'west'] as const;
export type ArmName = (typeof ARM_NAMES)[number];

const OUT: Record<ArmName, Vec2> = { north: [0, 1], east: [1, 0], south: [0, -1], west: [-1, 0] };

export interface Arm {
  name: ArmName;
  /** Unit vector from the centre outwards along the arm. */
  out: Vec2;
  /** Unit vector to the right of inbound travel (inbound travel is -out). */
  rv: Vec2;
  lanes: Movement[][];
  laneWidth: number;
  nonMotorWidth: number;
  /** Lateral distance from the centreline to the kerb, on either side. */
  halfWidth: number;
  /** Half-width of the crossing road (its kerb line, seen from this arm). */
  crossHalfWidth: number;
  /** Radius of the kerb's rounded corners between this arm and the crossing road. */
  cornerRadius: number;
  /** Where this arm meets the junction box: a metre past the crossing road's kerb line. */
  boxEdge: number;
  cwNear: number;
  cwFar: number;
  stopDist: number;
  secondDist: number;
  /** Second line of the non-motor lane: deep enough that right-turning cars have already cut past its end. */
  nmSecondDist: number;
  /** Where road users appear and vanish (metres from the centre). */
  length: number;
}

export interface World {
  layout: LayoutSpec;
  arms: Record<ArmName, Arm>;
}

/** How far upstream road users are spawned (beyond the camera's useful view). */
export const ARM_LENGTH = 130;

export function buildWorld(layout: LayoutSpec): World {
  const w = layout.laneWidth;
  const nm = layout.nonMotorWidth;
  const half = { ns: layout.nsLanes * w + nm, ew: layout.ewLanes * w + nm };
  const arms = {} as Record<ArmName, Arm>;
  for (const name of ARM_NAMES) {
    const ns = name === 'north' || name === 'south';
    const out = OUT[name];
    const v: Vec2 = [-out[0], -out[1]];
    const crossHalfWidth = ns ? half.ew : half.ns;
    const boxEdge = crossHalfWidth + 1;
    const cwNear = boxEdge + 1;
    const cwFar = cwNear + layout.crosswalkWidth;
    arms[name] = {
      name,
      out,
      rv: [v[1], -v[0]],
      lanes: laneMovements(ns ? layout.nsLanes : layout.ewLanes),
      laneWidth: w,
      nonMotorWidth: nm,
      halfWidth: ns ? half.ns : half.ew,
      crossHalfWidth,
      cornerRadius: layout.cornerRadius,
      boxEdge,
      cwNear,
      cwFar,
      stopDist: cwFar + 1.5,
      // A few metres into the box: far enough that an overrun car (stopped on the crosswalk) is short of it.
      secondDist: boxEdge - 3,
      nmSecondDist: ((ns ? layout.ewLanes : layout.nsLanes) - 0.5) * w - 0.5,
      length: ARM_LENGTH,
    };
  }
  return { layout, arms };
}

/** World point at `dist` along the arm and `lat` to the right of inbound travel. */
export function armPoint(arm: Arm, dist: number, lat: number): Vec2 {
  return [arm.out[0] * dist + arm.rv[0] * lat, arm.out[1] * dist + arm.rv[1] * lat];
}

export function motorLanes(arm: Arm): number {
  return arm.lanes.length;
}

/** Lateral offset of the non-motor lane's centre. */
export function nonMotorLat(arm: Arm): number {
  return arm.lanes.length * arm.laneWidth + arm.nonMotorWidth / 2;
}

/** The arm a movement from `arm` leaves by. */
export function exitArm(world: World, arm: Arm, movement: Movement): Arm {
  const target: Vec2 =
    movement === 'straight' ? [-arm.out[0], -arm.out[1]] : movement === 'right' ? arm.rv : [-arm.rv[0], -arm.rv[1]];
  return Object.values(world.arms).find((a) => a.out[0] === target[0] && a.out[1] === target[1])!;
}

export interface Route {
  path: Path;
  /** Arc length where the road user's centre crosses the stop line. */
  sStop: number;
  /**
   * Arc length where a crossing of the stop line has become a run: the second
   * line; for a motor right turn, which never reaches it, where the turn ends
   * in the exit arm. Null for a non-motor right turn (never governed by a
   * signal).
   */
  sSecond: number | null;
}

/** Inbound lateral offset of a motor lane's centre. */
export function laneLat(arm: Arm, lane: number): number {
  return (lane + 0.5) * arm.laneWidth;
}

/** A motor vehicle's route from an inbound lane through the junction. */
export function motorRoute(world: World, arm: Arm, lane: number, movement: Movement): Route {
  const lat = laneLat(arm, lane);
  const exit = exitArm(world, arm, movement);
  const start = armPoint(arm, arm.length, lat);
  const sStop = arm.length - arm.stopDist;
  if (movement === 'straight') {
    const exitLane = Math.min(lane, exit.lanes.length - 1);
    const end = armPoint(exit, exit.length, -laneLat(exit, exitLane));
    return { path: makePath([start, end]), sStop, sSecond: arm.length - arm.secondDist };
  }
  const latE = movement === 'left' ? -laneLat(exit, 0) : -laneLat(exit, exit.lanes.length - 1);
  // Right turns bend from the stop line (tight corner); left turns from inside the box, past the second line.
  const d0 = movement === 'right' ? arm.stopDist - 0.5 : arm.secondDist - 1;
  const d2 = movement === 'right' ? exit.stopDist - 0.5 : exit.boxEdge - 2;
  const corner: Vec2 = [arm.rv[0] * lat + exit.rv[0] * latE, arm.rv[1] * lat + exit.rv[1] * latE];
  const p0 = armPoint(arm, d0, lat);
  const p2 = armPoint(exit, d2, latE);
  const end = armPoint(exit, exit.length, latE);
  const turn = [start, p0, ...bezier(p0, corner, p2)];
  const path = makePath([...turn, end]);
  // A right turn against a red right arrow is a run once the turn is done (it was never judged at all).
  return { path, sStop, sSecond: movement === 'left' ? arm.length - arm.secondDist : makePath(turn).length };
}

/** A bicycle's route along the non-motor lane: straight on, or right at the corner. */
export function nonMotorRoute(world: World, arm: Arm, movement: 'straight' | 'right'): Route {
  const lat = nonMotorLat(arm);
  const exit = exitArm(world, arm, movement);
  const latE = -nonMotorLat(exit);
  const start = armPoint(arm, arm.length, lat);
  const sStop = arm.length - arm.stopDist;
  if (movement === 'straight') {
    return { path: makePath([start, armPoint(exit, exit.length, latE)]), sStop, sSecond: arm.length - arm.nmSecondDist };
  }
  const p0 = armPoint(arm, arm.stopDist - 0.5, lat);
  const p2 = armPoint(exit, exit.stopDist - 0.5, latE);
  const corner: Vec2 = [arm.rv[0] * lat + exit.rv[0] * latE, arm.rv[1] * lat + exit.rv[1] * latE];
  return { path: makePath([start, p0, ...bezier(p0, corner, p2), armPoint(exit, exit.length, latE)]), sStop, sSecond: null };
}

/** Lateral span [from, to] of the second line: the left and straight lanes, a little over the median. */
export function secondLineSpan(arm: Arm): [number, number] {
  return [-0.5, (arm.lanes.length - 1) * arm.laneWidth];
}

/** Lateral span of the non-motor second line (clear of right-turning cars, which cut inside it). */
export function nonMotorSecondSpan(arm: Arm): [number, number] {
  const inner = arm.lanes.length * arm.laneWidth;
  return [inner + 0.2, inner + arm.nonMotorWidth];
}
