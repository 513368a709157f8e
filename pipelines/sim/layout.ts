// Junction layouts: lane counts, widths, protected arrows and where the pole
// camera stands. Chosen by name or by seed, so a test can pin one and an
// archive can spread its intersections over all of them.
import type { Movement } from '../types.ts';

export interface CameraPlacement {
  /** Height of the camera above the road (metres). */
  height: number;
  /** Distance behind the junction centre along the south arm (metres). */
  back: number;
  /** Sideways offset from the south arm's centreline (metres, + east). */
  offset: number;
  /** Ground point the optical axis passes through: north of the centre (metres). */
  lookAt: number;
  /** Horizontal field of view (degrees). */
  hfovDeg: number;
}

export interface LayoutSpec {
  name: string;
  /** Inbound motor lanes of the north and south arms (each arm carries as many outbound). */
  nsLanes: number;
  /** Inbound motor lanes of the east and west arms. */
  ewLanes: number;
  laneWidth: number;
  /** Non-motor lane on the right of each direction (metres; bicycles, e-bikes). */
  nonMotorWidth: number;
  sidewalkWidth: number;
  cornerRadius: number;
  crosswalkWidth: number;
  /** Protected left turns: a left-arrow head and its own phase on every approach. */
  leftArrow: boolean;
  /** Right turns of the north and south approaches governed by a right-arrow head (no turn on red). */
  rightArrowNs: boolean;
  camera: CameraPlacement;
}

const BASE = { laneWidth: 3.5, nonMotorWidth: 2.5, sidewalkWidth: 4, cornerRadius: 5, crosswalkWidth: 4 } as const;

export const LAYOUTS: readonly LayoutSpec[] = [
  {
    name: 'standard',
    ...BASE,
    nsLanes: 3,
    ewLanes: 3,
    leftArrow: false,
    rightArrowNs: false,
    camera: { height: 12, back: 38, offset: 3, lookAt: 2, hfovDeg: 78 },
  },
  {
    name: 'arterial-left-arrow',
    ...BASE,
    nsLanes: 4,
    ewLanes: 2,
    leftArrow: true,
    rightArrowNs: false,
    camera: { height: 15, back: 40, offset: 2, lookAt: 4, hfovDeg: 80 },
  },
  {
    name: 'compact-low',
    ...BASE,
    nsLanes: 2,
    ewLanes: 2,
    leftArrow: false,
    rightArrowNs: false,
    camera: { height: 9, back: 30, offset: 4, lookAt: 0, hfovDeg: 82 },
  },
  {
    name: 'right-arrow',
    ...BASE,
    nsLanes: 3,
    ewLanes: 3,
    leftArrow: true,
    rightArrowNs: true,
    camera: { height: 13, back: 36, offset: 1, lookAt: 3, hfovDeg: 80 },
  },
];

export const LAYOUT_NAMES = LAYOUTS.map((l) => l.name);

/** A layout by name, or the seed's layout when no name is given. */
export function chooseLayout(seed: number, name?: string): LayoutSpec {
  if (name !== undefined) {
    const found = LAYOUTS.find((l) => l.name === name);
    if (!found) throw new RangeError(`unknown layout "${name}"; known: ${LAYOUT_NAMES.join(', ')}`);
    return found;
  }
  return LAYOUTS[(seed >>> 0) % LAYOUTS.length]!;
}

/** Movements of each inbound lane, from the median outwards. The kerb lane is always right-only. */
export function laneMovements(lanes: number): Movement[][] {
  if (lanes <= 1) return [['left', 'straight', 'right']];
  if (lanes === 2) return [['left', 'straight'], ['right']];
  const straights = Array.from({ length: lanes - 2 }, (): Movement[] => ['straight']);
  return [['left'], ...straights, ['right']];
}
