// Road users: what they are (kind, size, colour) and their moving state.
// Sizes are metres; colours are sRGB before lighting.
import type { Movement, RoadUserClass } from '../types.ts';
import type { Rng } from './rng.ts';
import type { Route, ArmName } from './world.ts';
import type { Path } from './path.ts';

export type VehicleKind = 'car' | 'suv' | 'van' | 'bus' | 'truck' | 'bicycle' | 'ebike';
export type ActorKind = VehicleKind | 'pedestrian';

export const CLASS_OF: Record<ActorKind, RoadUserClass> = {
  car: 'vehicle',
  suv: 'vehicle',
  van: 'vehicle',
  bus: 'large_vehicle',
  truck: 'large_vehicle',
  bicycle: 'non_motor',
  ebike: 'non_motor',
  pedestrian: 'pedestrian',
};

export type Rgb = [number, number, number];

export interface Body {
  kind: ActorKind;
  length: number;
  width: number;
  height: number;
  colour: Rgb;
  /** Second colour: cabin glass, truck cargo box, rider's clothes, trousers. */
  accent: Rgb;
}

const CAR_COLOURS: Rgb[] = [
  [235, 235, 235], [20, 20, 22], [150, 152, 158], [190, 192, 196], [40, 60, 120], [150, 25, 30],
  [95, 100, 105], [200, 200, 205], [30, 80, 50], [120, 90, 60], [225, 225, 230], [60, 65, 72],
];
const BUS_COLOURS: Rgb[] = [[40, 130, 70], [30, 90, 160], [200, 200, 200], [210, 120, 30]];
const TRUCK_COLOURS: Rgb[] = [[30, 70, 150], [200, 60, 40], [230, 230, 230], [230, 180, 40]];
const CLOTHES: Rgb[] = [[25, 25, 30], [200, 40, 40], [240, 240, 240], [40, 70, 140], [90, 90, 95], [230, 190, 50], [60, 120, 70], [170, 110, 160]];
const BIKE_COLOURS: Rgb[] = [[30, 30, 30], [170, 30, 30], [30, 90, 170], [210, 210, 210], [240, 170, 40]];

export function makeBody(kind: ActorKind, rng: Rng): Body {
  switch (kind) {
    case 'car':
      return { kind, length: rng.range(4.2, 4.9), width: rng.range(1.75, 1.9), height: rng.range(1.4, 1.5), colour: rng.pick(CAR_COLOURS), accent: [30, 38, 48] };
    case 'suv':
      return { kind, length: rng.range(4.6, 5.0), width: rng.range(1.85, 2.0), height: rng.range(1.65, 1.8), colour: rng.pick(CAR_COLOURS), accent: [30, 38, 48] };
    case 'van':
      return { kind, length: rng.range(4.9, 5.4), width: rng.range(1.9, 2.0), height: rng.range(1.9, 2.2), colour: rng.pick(CAR_COLOURS), accent: [30, 38, 48] };
    case 'bus':
      return { kind, length: rng.range(10.5, 12), width: 2.5, height: rng.range(3.0, 3.3), colour: rng.pick(BUS_COLOURS), accent: [25, 35, 45] };
    case 'truck':
      return { kind, length: rng.range(7.5, 10), width: 2.45, height: rng.range(3.0, 3.6), colour: rng.pick(TRUCK_COLOURS), accent: rng.pick([[220, 220, 220], [120, 120, 125], [60, 100, 60]] as Rgb[]) };
    case 'bicycle':
      return { kind, length: 1.75, width: 0.55, height: rng.range(1.6, 1.8), colour: rng.pick(BIKE_COLOURS), accent: rng.pick(CLOTHES) };
    case 'ebike':
      return { kind, length: 1.85, width: 0.65, height: rng.range(1.6, 1.8), colour: rng.pick(BIKE_COLOURS), accent: rng.pick(CLOTHES) };
    case 'pedestrian':
      return { kind, length: 0.35, width: 0.5, height: rng.range(1.55, 1.85), colour: rng.pick(CLOTHES), accent: rng.pick(CLOTHES) };
  }
}

/** What the road user did, for people reading the ground truth (events are the authority). */
export type Outcome =
  | 'green'
  | 'amber_crossing'
  | 'stopped_at_red'
  | 'red_light'
  | 'stop_line_overrun'
  | 'right_turn_on_red'
  | 'non_motor_red_light'
  | 'crossed_on_walk'
  | 'waited_at_kerb'
  | 'crossed_on_dont_walk'
  | 'midblock_jaywalk'
  | 'in_progress';

export type Decision = 'none' | 'stop' | 'go' | 'run' | 'run_from_stop' | 'overrun' | 'rtor';

export interface Vehicle {
  id: number;
  body: Body;
  arm: ArmName;
  /** Lane group key: vehicles follow leaders in the same group. */
  group: string;
  movement: Movement;
  route: Route;
  headId: string;
  zoneId: string;
  nonMotor: boolean;
  rng: Rng;
  /** Centre's arc length and speed. */
  s: number;
  v: number;
  accel: number;
  v0: number;
  aMax: number;
  decision: Decision;
  runAt: number;
  overrunDepth: number;
  intent: 'comply' | 'run' | 'overrun';
  amberGo: boolean;
  rtor: boolean;
  exposedT: number | null;
  tStop: number | null;
  stopColour: string | null;
  tSecond: number | null;
  /** Came to a halt after crossing the stop line on red, short of the second line. */
  haltedPastLine: number | null;
  outcome: Outcome;
  done: boolean;
}

export interface Pedestrian {
  id: number;
  body: Body;
  arm: ArmName;
  path: Path;
  /** Crosswalk id, or null for a mid-block crossing. */
  crosswalk: string | null;
  headId: string | null;
  s: number;
  v: number;
  walkSpeed: number;
  sKerb: number;
  sEnter: number;
  state: 'approach' | 'wait' | 'cross';
  waitUntil: number;
  dontWalk: boolean;
  /** Left the kerb while the walk signal showed. */
  startedOnWalk: boolean;
  exposedT: number | null;
  tEnter: number | null;
  enteredOnRed: boolean;
  outcome: Outcome;
  done: boolean;
}

export type Actor = Vehicle | Pedestrian;

export function isVehicle(a: Actor): a is Vehicle {
  return 'route' in a;
}
