// From a model's classes to Crosswatch's road-user classes. Models trained
// on COCO bring 80 classes; we keep the six that are road users and drop the
// rest before NMS, so dropped classes cost nothing downstream.
import { ROAD_USER_CLASSES, type RoadUserClass } from '../types.ts';
import type { PathIssue } from '../errors.ts';

/** COCO's 80 class names in the order YOLO exports number them. */
export const COCO_CLASSES: readonly string[] = [
  'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat', 'traffic light',
  'fire hydrant', 'stop sign', 'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
  'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag', 'tie', 'suitcase', 'frisbee',
  'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket', 'bottle',
  'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl', 'banana', 'apple', 'sandwich', 'orange',
  'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant', 'bed',
  'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone', 'microwave', 'oven',
  'toaster',
  'sink', 'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush',
];

/**
 * Used when the model config gives no class_map: COCO names plus our own
 * names (the project's model emits them directly). Names not listed are dropped.
 */
export const DEFAULT_CLASS_MAP: Readonly<Record<string, RoadUserClass>> = {
  person: 'pedestrian',
  bicycle: 'non_motor',
  motorcycle: 'non_motor',
  car: 'vehicle',
  bus: 'large_vehicle',
  truck: 'large_vehicle',
  vehicle: 'vehicle',
  large_vehicle: 'large_vehicle',
  non_motor: 'non_motor',
  pedestrian: 'pedestrian',
};

/** Model class names that are people who may be riders, and two-wheelers they ride. */
export const DEFAULT_RIDER_CLASSES = ['person', 'pedestrian'];
export const DEFAULT_RIDDEN_CLASSES = ['bicycle', 'motorcycle', 'non_motor'];

export interface ResolvedClassMap {
  /** model class id → index in ROAD_USER_CLASSES, or -1 to drop. */
  toOurs: Int8Array;
  /** model class id → 1 when its boxes may be riders (person). */
  isPerson: Uint8Array;
  /** model class id → 1 when its boxes may be ridden (bicycle, motorcycle). */
  isRidden: Uint8Array;
}

/**
 * Resolves a class map against the model's class names. A user map (from the
 * model config) must only name classes the model has and map them to our
 * classes; every problem is reported with its JSON path. The default map
 * silently drops names it does not know.
 */
export function resolveClassMap(
  modelClasses: readonly string[],
  userMap: Readonly<Record<string, string>> | undefined,
  basePath = '/class_map',
): { map: ResolvedClassMap; issues: PathIssue[] } {
  const issues: PathIssue[] = [];
  const index = new Map(modelClasses.map((n, i) => [n, i]));
  const toOurs = new Int8Array(modelClasses.length).fill(-1);
  const entries = Object.entries(userMap ?? DEFAULT_CLASS_MAP);
  for (const [name, ours] of entries) {
    const id = index.get(name);
    const ourIndex = (ROAD_USER_CLASSES as readonly string[]).indexOf(ours);
    if (userMap && id === undefined) {
      issues.push({ path: `${basePath}/${escapePointer(name)}`, message: `the model has no class "${name}" (it has ${preview(modelClasses)})` });
    }
    if (userMap && ourIndex < 0) {
      issues.push({ path: `${basePath}/${escapePointer(name)}`, message: `"${ours}" is not a road-user class (one of ${ROAD_USER_CLASSES.join(', ')})` });
    }
    if (id !== undefined && ourIndex >= 0) toOurs[id] = ourIndex;
  }
  if (issues.length === 0 && !toOurs.some((v) => v >= 0)) {
    issues.push({ path: basePath, message: `maps none of the model's classes (${preview(modelClasses)}) to a road-user class` });
  }
  const flag = (names: readonly string[]) => Uint8Array.from(modelClasses, (n) => (names.includes(n) ? 1 : 0));
  return { map: { toOurs, isPerson: flag(DEFAULT_RIDER_CLASSES), isRidden: flag(DEFAULT_RIDDEN_CLASSES) }, issues };
}

function preview(names: readonly string[]): string {
  const head = names.slice(0, 8).map((n) => `"${n}"`).join(', ');
  return names.length > 8 ? `${head}, … ${names.length} in all` : head;
}

/** JSON Pointer escaping (RFC 6901) so a class named "a/b" still gives a valid path. */
function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
