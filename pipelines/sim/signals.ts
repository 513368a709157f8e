// Fixed-time signal plan: phases of green, amber and all-red in a cycle;
// pedestrian walk during the first part of the parallel through phase.
// Pure: a head's colour is a function of time only.
import type { Movement, SignalColour } from '../types.ts';
import type { LayoutSpec } from './layout.ts';
import { ARM_NAMES, type ArmName } from './world.ts';

export interface SignalTimings {
  /** Green of each through phase (seconds). */
  throughGreen: number;
  /** Green of each protected left-turn phase (layouts with left arrows). */
  leftGreen: number;
  amber: number;
  allRed: number;
  /** Walk ends this long before the parallel through green ends (don't-walk clearance). */
  pedClearance: number;
}

export const DEFAULT_TIMINGS: SignalTimings = { throughGreen: 22, leftGreen: 10, amber: 3, allRed: 2, pedClearance: 7 };

export type PhaseName = 'ns_through' | 'ns_left' | 'ew_through' | 'ew_left';
export type HeadKind = 'ball' | 'arrow' | 'non_motor' | 'pedestrian';

export interface HeadSpec {
  id: string;
  kind: HeadKind;
  /** Approach arm (vehicle heads) or the arm the crosswalk crosses (pedestrian heads). */
  arm: ArmName;
  movements: Movement[];
  phase: PhaseName;
  /** Direction drawn on an arrow head. */
  arrow?: 'left' | 'right';
}

export interface Phase {
  name: PhaseName;
  /** Start within the cycle (seconds). */
  start: number;
  green: number;
}

export interface SignalPlan {
  timings: SignalTimings;
  phases: Phase[];
  cycle: number;
  /** Cycle time at clip time 0 (seconds), so clips start at any point of the cycle. */
  offset: number;
  heads: HeadSpec[];
  leftArrow: boolean;
  rightArrowArms: ArmName[];
}

const isNs = (arm: ArmName): boolean => arm === 'north' || arm === 'south';

export const ids = {
  main: (arm: ArmName) => `${arm}-main`,
  left: (arm: ArmName) => `${arm}-left`,
  right: (arm: ArmName) => `${arm}-right`,
  bike: (arm: ArmName) => `${arm}-bike`,
  ped: (arm: ArmName) => `cw-${arm}-ped`,
  crosswalk: (arm: ArmName) => `cw-${arm}`,
  approach: (arm: ArmName) => arm,
  nmApproach: (arm: ArmName) => `${arm}-nm`,
};

export function buildPlan(layout: LayoutSpec, timings: SignalTimings, offset: number): SignalPlan {
  const order: PhaseName[] = layout.leftArrow ? ['ns_through', 'ns_left', 'ew_through', 'ew_left'] : ['ns_through', 'ew_through'];
  const phases: Phase[] = [];
  let t = 0;
  for (const name of order) {
    const green = name.endsWith('left') ? timings.leftGreen : timings.throughGreen;
    phases.push({ name, start: t, green });
    t += green + timings.amber + timings.allRed;
  }
  const rightArrowArms = layout.rightArrowNs ? (['north', 'south'] as ArmName[]) : [];
  const heads: HeadSpec[] = [];
  for (const arm of ARM_NAMES) {
    const through: PhaseName = isNs(arm) ? 'ns_through' : 'ew_through';
    const leftPhase: PhaseName = isNs(arm) ? 'ns_left' : 'ew_left';
    const rightArrow = rightArrowArms.includes(arm);
    if (layout.leftArrow) heads.push({ id: ids.left(arm), kind: 'arrow', arm, movements: ['left'], phase: leftPhase, arrow: 'left' });
    const mainMoves: Movement[] = [...(layout.leftArrow ? [] : (['left'] as Movement[])), 'straight', ...(rightArrow ? [] : (['right'] as Movement[]))];
    heads.push({ id: ids.main(arm), kind: 'ball', arm, movements: mainMoves, phase: through });
    if (rightArrow) heads.push({ id: ids.right(arm), kind: 'arrow', arm, movements: ['right'], phase: through, arrow: 'right' });
    heads.push({ id: ids.bike(arm), kind: 'non_motor', arm, movements: ['straight', 'right'], phase: through });
  }
  for (const arm of ARM_NAMES) {
    // People crossing an arm walk parallel to the crossing road's traffic.
    heads.push({ id: ids.ped(arm), kind: 'pedestrian', arm, movements: ['straight'], phase: isNs(arm) ? 'ew_through' : 'ns_through' });
  }
  return { timings, phases, cycle: t, offset: ((offset % t) + t) % t, heads, leftArrow: layout.leftArrow, rightArrowArms };
}

export function headById(plan: SignalPlan, id: string): HeadSpec {
  const h = plan.heads.find((x) => x.id === id);
  if (!h) throw new RangeError(`no signal head ${id}`);
  return h;
}

/** The head that governs a movement from an approach (non-motor vehicles follow their own head). */
export function governingHead(plan: SignalPlan, arm: ArmName, movement: Movement, nonMotor: boolean): string {
  if (nonMotor) return ids.bike(arm);
  if (movement === 'left' && plan.leftArrow) return ids.left(arm);
  if (movement === 'right' && plan.rightArrowArms.includes(arm)) return ids.right(arm);
  return ids.main(arm);
}

/** Right turn on red is allowed unless an arrow governs the right turn. */
export function rightOnRedAllowed(plan: SignalPlan, arm: ArmName): boolean {
  return !plan.rightArrowArms.includes(arm);
}

function phaseOf(plan: SignalPlan, name: PhaseName): Phase {
  return plan.phases.find((p) => p.name === name)!;
}

/** Seconds into the head's phase at clip time t (0 .. cycle). */
function phaseTime(plan: SignalPlan, head: HeadSpec, t: number): number {
  const c = (((t + plan.offset) % plan.cycle) + plan.cycle) % plan.cycle;
  const start = phaseOf(plan, head.phase).start;
  return (((c - start) % plan.cycle) + plan.cycle) % plan.cycle;
}

function colourIn(plan: SignalPlan, head: HeadSpec, rel: number): SignalColour {
  const green = phaseOf(plan, head.phase).green;
  if (head.kind === 'pedestrian') return rel < green - plan.timings.pedClearance ? 'green' : 'red';
  if (rel < green) return 'green';
  if (rel < green + plan.timings.amber) return 'amber';
  return 'red';
}

export function colourAt(plan: SignalPlan, headId: string, t: number): SignalColour {
  const head = headById(plan, headId);
  return colourIn(plan, head, phaseTime(plan, head, t));
}

/** Colour changes of a head within a phase, as offsets from the phase start. */
function boundaries(plan: SignalPlan, head: HeadSpec): number[] {
  const green = phaseOf(plan, head.phase).green;
  return head.kind === 'pedestrian' ? [0, green - plan.timings.pedClearance] : [0, green, green + plan.timings.amber];
}

/** A head's colours over [from, to) as merged intervals [from_s, to_s, colour]. */
export function timeline(plan: SignalPlan, headId: string, from: number, to: number): [number, number, SignalColour][] {
  const head = headById(plan, headId);
  const cuts = new Set<number>([from, to]);
  const phase0 = from - phaseTime(plan, head, from);
  for (let base = phase0; base < to; base += plan.cycle) {
    for (const b of boundaries(plan, head)) {
      const x = round6(base + b);
      if (x > from && x < to) cuts.add(x);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const out: [number, number, SignalColour][] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i]!;
    const b = sorted[i + 1]!;
    const colour = colourAt(plan, headId, (a + b) / 2);
    const last = out[out.length - 1];
    if (last && last[2] === colour) last[1] = b;
    else out.push([a, b, colour]);
  }
  return out;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
