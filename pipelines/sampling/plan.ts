// Sampling plans: describePlan says what a request could draw (eligible hours
// and capacity per camera, group and stratum); drawSample draws it.
import { CrosswatchError } from '../errors.ts';
import { formatDate } from '../time/calendar.ts';
import { allocate } from './allocate.ts';
import { drawStarts, type Piece } from './draw.ts';
import { eligibility, mergeIntervals, type StratumEligibility } from './eligibility.ts';
import { formatHourRange } from './hours.ts';
import { mergeSpans, packCount, spanPoints, type Span } from './packing.ts';
import { createRng } from './random.ts';
import { normalizeRequest, type NormalizedRequest } from './request.ts';
import { slotsFor, type Slot } from './slots.ts';
import type {
  CameraCoverage,
  CameraDescription,
  DrawMethods,
  GroupDescription,
  PlanDescription,
  SampledWindow,
  SamplePlan,
  SamplingRequest,
  StratumDescription,
} from './types.ts';

interface PreparedCamera {
  coverage: CameraCoverage;
  strata: Map<string, StratumEligibility>;
}

interface Group {
  name: string;
  cameras: PreparedCamera[];
  /** Windows per stratum, in the order of req.strata. */
  allocated: number[];
}

interface Prepared {
  req: NormalizedRequest;
  groups: Group[];
  description: PlanDescription;
}

const H = 3_600_000;

/** What the request can draw; throws SAMPLING_INVALID on a malformed request, never on an impossible one. */
export function describePlan(coverage: CameraCoverage[], request: SamplingRequest): PlanDescription {
  return prepare(coverage, request).description;
}

/**
 * Draws the sample. Same coverage, request and seed give the same windows,
 * whatever the order of cameras and intervals in the input.
 * Throws SAMPLING_IMPOSSIBLE, naming the numbers, when the windows do not fit.
 */
export function drawSample(coverage: CameraCoverage[], request: SamplingRequest): SamplePlan {
  const { req, groups, description } = prepare(coverage, request);
  if (description.problems.length > 0) {
    throw new CrosswatchError('SAMPLING_IMPOSSIBLE', `Cannot draw the sample:\n${description.problems.map((p) => `  ${p}`).join('\n')}`, {
      details: description,
    });
  }
  const methods: DrawMethods = { rejection: 0, exact: 0, tight: 0 };
  const windows = groups.flatMap((g) => req.strata.flatMap((stratum, s) => drawGroupStratum(req, g, stratum, g.allocated[s]!, methods)));
  windows.sort((x, y) => x.from - y.from || (x.cameraCode < y.cameraCode ? -1 : x.cameraCode > y.cameraCode ? 1 : 0));
  return { request, seed: req.seed, description, windows, methods };
}

function drawGroupStratum(req: NormalizedRequest, group: Group, stratum: string, k: number, methods: DrawMethods): SampledWindow[] {
  if (k === 0) return [];
  const pieces = piecesOf(req, group, stratum);
  // One stream per group and stratum: adding an intersection leaves the others' draws unchanged.
  const rng = createRng(req.seed, `${group.name}\u0000${stratum}`);
  return drawStarts(pieces, req.windowMs / req.stepMs, k, rng, methods).map(({ camera, start }) => {
    const cam = group.cameras[camera]!.coverage;
    const from = start * req.stepMs;
    return { cameraCode: cam.cameraCode, intersectionCode: cam.intersectionCode, from, to: from + req.windowMs, stratum };
  });
}

/** Camera pieces of one stratum; a lane is a camera, or an intersection when windows there are exclusive. */
function piecesOf(req: NormalizedRequest, group: Group, stratum: string): Piece[] {
  const lanes = new Map<string, number>();
  return group.cameras.map((c, camera) => {
    const key = req.exclusive ? c.coverage.intersectionCode : c.coverage.cameraCode;
    if (!lanes.has(key)) lanes.set(key, lanes.size);
    return { camera, lane: lanes.get(key)!, spans: c.strata.get(stratum)?.spans ?? [] };
  });
}

function prepare(coverage: CameraCoverage[], request: SamplingRequest): Prepared {
  const req = normalizeRequest(request, coverage);
  const slotsByZone = new Map<string, Slot[]>();
  const cameras = coverage
    .filter((c) => req.intersections === null || req.intersections.includes(c.intersectionCode))
    .sort((x, y) => (x.cameraCode < y.cameraCode ? -1 : 1))
    .map((c): PreparedCamera => {
      if (!slotsByZone.has(c.timeZone)) slotsByZone.set(c.timeZone, slotsFor(c.timeZone, req));
      return { coverage: c, strata: eligibility(mergeIntervals(c.intervals), slotsByZone.get(c.timeZone)!, req.windowMs, req.stepMs) };
    });
  const groups = groupCameras(req, cameras).map(([name, members]) => ({ name, cameras: members, allocated: [] as number[] }));
  const groupDescriptions = groups.map((g) => describeGroup(req, g));
  const description: PlanDescription = {
    period: { from: formatDate(req.first), to: formatDate(req.last) },
    hours: req.hours.map(formatHourRange),
    windows: req.windows,
    windowMinutes: req.windowMinutes,
    scope: req.scope,
    strata: req.strata,
    cameras: cameras.map((c) => describeCamera(req, c)),
    groups: groupDescriptions,
    problems: groupDescriptions.flatMap((g) => problemsOf(req, g)),
  };
  return { req, groups, description };
}

function groupCameras(req: NormalizedRequest, cameras: PreparedCamera[]): [string, PreparedCamera[]][] {
  if (req.scope === 'city') return [['city', cameras]];
  const codes = [...new Set(cameras.map((c) => c.coverage.intersectionCode))].sort();
  return codes.map((code) => [code, cameras.filter((c) => c.coverage.intersectionCode === code)]);
}

function describeCamera(req: NormalizedRequest, c: PreparedCamera): CameraDescription {
  const { cameraCode, intersectionCode, timeZone } = c.coverage;
  const l = req.windowMs / req.stepMs;
  const strata = req.strata.map((stratum) => {
    const e = c.strata.get(stratum);
    return stratumFigures(req, stratum, e?.eligibleMs ?? 0, spanPoints(e?.spans ?? []), packCount(mergeSpans(e?.spans ?? []), l));
  });
  return { cameraCode, intersectionCode, timeZone, strata };
}

/** Fills group.allocated as a side effect: the description and the draw share one allocation. */
function describeGroup(req: NormalizedRequest, group: Group): GroupDescription {
  const figures = req.strata.map((stratum) => {
    const pieces = piecesOf(req, group, stratum);
    const eligibleMs = group.cameras.reduce((s, c) => s + (c.strata.get(stratum)?.eligibleMs ?? 0), 0);
    return stratumFigures(req, stratum, eligibleMs, pieces.reduce((s, p) => s + spanPoints(p.spans), 0), capacityOf(pieces, req));
  });
  group.allocated = allocate(req.windows, figures.map((f) => f.startHours), req.allocation, req.strata);
  return { group: group.name, cameras: group.cameras.length, strata: figures.map((f, i) => ({ ...f, allocated: group.allocated[i]! })) };
}

function capacityOf(pieces: Piece[], req: NormalizedRequest): number {
  const lanes = new Map<number, Span[]>();
  for (const p of pieces) lanes.set(p.lane, [...(lanes.get(p.lane) ?? []), ...p.spans]);
  let total = 0;
  for (const spans of lanes.values()) total += packCount(mergeSpans(spans), req.windowMs / req.stepMs);
  return total;
}

function stratumFigures(req: NormalizedRequest, stratum: string, eligibleMs: number, startPoints: number, maxWindows: number): StratumDescription {
  return { stratum, eligibleHours: eligibleMs / H, startHours: (startPoints * req.stepMs) / H, maxWindows };
}

function problemsOf(req: NormalizedRequest, g: GroupDescription): string[] {
  const where = g.group === 'city' ? `city-wide, ${g.cameras} camera${g.cameras === 1 ? '' : 's'} have` : `intersection ${g.group} has`;
  const total = g.strata.reduce((s, x) => s + x.maxWindows, 0);
  const eligible = g.strata.reduce((s, x) => s + x.eligibleHours, 0);
  const asked = `asked for ${req.windows} windows of ${req.windowMinutes} min`;
  if (total < req.windows) return [`${asked}; ${where} ${hours(eligible)} of eligible footage, at most ${total} non-overlapping windows`];
  return g.strata
    .filter((s) => s.allocated > s.maxWindows)
    .map(
      (s) =>
        `${asked}, ${s.allocated} of them in stratum ${s.stratum}; ${where} ${hours(s.eligibleHours)} of eligible footage there, at most ${s.maxWindows} non-overlapping windows` +
        (req.allocation.kind === 'proportional' ? ' (fixed counts per stratum can move windows elsewhere)' : ''),
    );
}

function hours(h: number): string {
  return `${Number(h.toFixed(2))} h`;
}
