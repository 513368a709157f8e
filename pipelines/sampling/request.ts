// Validates a sampling request and its coverage in one pass, so the caller
// sees every problem at once, each named by its JSON path.
import { CrosswatchError, formatIssues, type PathIssue } from '../errors.ts';
import { parseDate, parseMonth, formatDate, toEpochDay, type CalendarDate } from '../time/calendar.ts';
import { isTimeZone } from '../time/zone.ts';
import { parseHourRange, sortRanges, type MinuteRange } from './hours.ts';
import type { Seed } from './random.ts';
import type { Allocation, CameraCoverage, SamplingRequest, StratumDimension } from './types.ts';

export interface NormalizedRequest {
  first: CalendarDate;
  last: CalendarDate;
  hours: MinuteRange[];
  windows: number;
  windowMinutes: number;
  windowMs: number;
  stepMs: number;
  scope: 'city' | 'intersection';
  intersections: string[] | null;
  dimensions: StratumDimension[];
  peak: MinuteRange[];
  weekendDays: number[];
  allocation: Allocation;
  /** Stratum labels in a fixed order ('all' without strata). */
  strata: string[];
  exclusive: boolean;
  seed: Seed;
}

/** Longest period accepted: a year, so a typo cannot ask for a century of slots. */
const MAX_PERIOD_DAYS = 366;
const DEFAULT_PEAK = ['07:00-09:00', '17:00-19:00'];

export function normalizeRequest(req: SamplingRequest, coverage: CameraCoverage[]): NormalizedRequest {
  const issues: PathIssue[] = [];
  const at = (path: string) => (message: string) => issues.push({ path, message });
  const period = readPeriod(req.period, at('/request/period'));
  const hours = readRanges(req.hours, '/request/hours', issues);
  const { windowMs, stepMs } = readSizes(req, issues);
  const dimensions = readDimensions(req, issues);
  const peak = dimensions.includes('peak') ? readRanges(req.strata?.peakHours ?? DEFAULT_PEAK, '/request/strata/peakHours', issues) : [];
  const weekendDays = readWeekend(req.strata?.weekendDays, at('/request/strata/weekendDays'));
  const strata = stratumLabels(dimensions);
  const allocation = readAllocation(req, strata, issues);
  if (req.scope !== 'city' && req.scope !== 'intersection') at('/request/scope')(`expected 'city' or 'intersection', got ${JSON.stringify(req.scope)}`);
  if (!isSeed(req.seed)) at('/request/seed')(`expected a safe integer or a non-empty string, got ${JSON.stringify(req.seed)}`);
  checkCoverage(coverage, req.intersections, issues);
  if (issues.length > 0 || !period) {
    throw new CrosswatchError('SAMPLING_INVALID', `Invalid sampling request:\n${formatIssues(issues)}`, { details: issues });
  }
  return {
    ...period,
    hours,
    windows: req.windows,
    windowMinutes: req.windowMinutes,
    windowMs,
    stepMs,
    scope: req.scope,
    intersections: req.intersections ?? null,
    dimensions,
    peak,
    weekendDays,
    allocation,
    strata,
    exclusive: req.exclusivePerIntersection ?? false,
    seed: req.seed,
  };
}

/** Labels for the strata, dayType before peak whatever order they were asked in. */
export function stratumLabels(dimensions: StratumDimension[]): string[] {
  let labels = [''];
  if (dimensions.includes('dayType')) labels = labels.flatMap((l) => ['weekday', 'weekend'].map((v) => join(l, v)));
  if (dimensions.includes('peak')) labels = labels.flatMap((l) => ['peak', 'off-peak'].map((v) => join(l, v)));
  return labels[0] === '' ? ['all'] : labels;
}

function join(a: string, b: string): string {
  return a === '' ? b : `${a}/${b}`;
}

function readPeriod(period: SamplingRequest['period'], fail: (m: string) => void): { first: CalendarDate; last: CalendarDate } | null {
  let range: { first: CalendarDate; last: CalendarDate } | null = null;
  if (typeof period === 'string') {
    range = parseMonth(period);
    if (!range) fail(`expected a month 'YYYY-MM' or { from, to } dates, got ${JSON.stringify(period)}`);
  } else if (period && typeof period === 'object') {
    const first = typeof period.from === 'string' ? parseDate(period.from) : null;
    const last = typeof period.to === 'string' ? parseDate(period.to) : null;
    if (!first || !last) fail(`from and to must be dates 'YYYY-MM-DD', got ${JSON.stringify(period)}`);
    else range = { first, last };
  } else fail(`expected a month 'YYYY-MM' or { from, to } dates, got ${JSON.stringify(period)}`);
  if (!range) return null;
  const days = toEpochDay(range.last) - toEpochDay(range.first) + 1;
  if (days < 1) fail(`to (${formatDate(range.last)}) is before from (${formatDate(range.first)})`);
  else if (days > MAX_PERIOD_DAYS) fail(`${days} days; at most ${MAX_PERIOD_DAYS}`);
  else return range;
  return null;
}

function readRanges(texts: unknown, path: string, issues: PathIssue[]): MinuteRange[] {
  if (!Array.isArray(texts) || texts.length === 0) {
    issues.push({ path, message: `expected a non-empty list of 'HH:MM-HH:MM' ranges, got ${JSON.stringify(texts)}` });
    return [];
  }
  const ranges: MinuteRange[] = [];
  texts.forEach((text, i) => {
    const r = typeof text === 'string' ? parseHourRange(text) : `expected a string, got ${JSON.stringify(text)}`;
    if (typeof r === 'string') issues.push({ path: `${path}/${i}`, message: r });
    else ranges.push(r);
  });
  const { sorted, overlap } = sortRanges(ranges);
  if (overlap) issues.push({ path, message: 'ranges overlap; list each hour once' });
  return sorted;
}

function readSizes(req: SamplingRequest, issues: PathIssue[]): { windowMs: number; stepMs: number } {
  const stepMs = req.startStepMs ?? 1000;
  if (!Number.isSafeInteger(stepMs) || stepMs < 1) issues.push({ path: '/request/startStepMs', message: `expected a positive integer of ms, got ${JSON.stringify(stepMs)}` });
  if (!Number.isSafeInteger(req.windows) || req.windows < 1) issues.push({ path: '/request/windows', message: `expected a positive integer, got ${JSON.stringify(req.windows)}` });
  const windowMs = Math.round(req.windowMinutes * 60_000);
  if (!Number.isFinite(req.windowMinutes) || req.windowMinutes <= 0 || req.windowMinutes > 1440) {
    issues.push({ path: '/request/windowMinutes', message: `expected minutes in (0, 1440], got ${JSON.stringify(req.windowMinutes)}` });
  } else if (Math.abs(windowMs - req.windowMinutes * 60_000) > 1e-6 || (stepMs >= 1 && windowMs % stepMs !== 0)) {
    issues.push({ path: '/request/windowMinutes', message: `${req.windowMinutes} min is not a whole number of start steps (${stepMs} ms)` });
  }
  return { windowMs, stepMs };
}

function readDimensions(req: SamplingRequest, issues: PathIssue[]): StratumDimension[] {
  const by = req.strata?.by ?? [];
  if (!Array.isArray(by)) {
    issues.push({ path: '/request/strata/by', message: `expected a list of 'dayType' and/or 'peak'` });
    return [];
  }
  by.forEach((d, i) => {
    if (d !== 'dayType' && d !== 'peak') issues.push({ path: `/request/strata/by/${i}`, message: `expected 'dayType' or 'peak', got ${JSON.stringify(d)}` });
  });
  return (['dayType', 'peak'] as const).filter((d) => by.includes(d));
}

function readWeekend(days: number[] | undefined, fail: (m: string) => void): number[] {
  if (days === undefined) return [0, 6];
  if (!Array.isArray(days) || !days.every((d) => Number.isInteger(d) && d >= 0 && d <= 6)) {
    fail(`expected weekdays 0 (Sunday) .. 6 (Saturday), got ${JSON.stringify(days)}`);
    return [0, 6];
  }
  return days;
}

function readAllocation(req: SamplingRequest, strata: string[], issues: PathIssue[]): Allocation {
  const allocation = req.strata?.allocation ?? { kind: 'proportional' };
  const path = '/request/strata/allocation';
  if (allocation.kind === 'proportional') return allocation;
  if (allocation.kind !== 'fixed' || !allocation.counts || typeof allocation.counts !== 'object') {
    issues.push({ path, message: `expected { kind: 'proportional' } or { kind: 'fixed', counts }` });
    return allocation;
  }
  let sum = 0;
  for (const [label, n] of Object.entries(allocation.counts)) {
    if (!strata.includes(label)) issues.push({ path: `${path}/counts/${label}`, message: `not a stratum; strata are ${strata.join(', ')}` });
    else if (!Number.isSafeInteger(n) || n < 0) issues.push({ path: `${path}/counts/${label}`, message: `expected a non-negative integer, got ${JSON.stringify(n)}` });
    else sum += n;
  }
  if (sum !== req.windows) issues.push({ path: `${path}/counts`, message: `counts sum to ${sum} but windows is ${req.windows}` });
  return allocation;
}

function checkCoverage(coverage: CameraCoverage[], only: string[] | undefined, issues: PathIssue[]): void {
  if (!Array.isArray(coverage)) {
    issues.push({ path: '/coverage', message: 'expected a list of cameras' });
    return;
  }
  const seen = new Set<string>();
  const zoneOf = new Map<string, string>();
  coverage.forEach((cam, i) => {
    const at = (field: string, message: string) => issues.push({ path: `/coverage/${i}${field}`, message });
    if (typeof cam.cameraCode !== 'string' || cam.cameraCode === '') at('/cameraCode', 'expected a non-empty string');
    else if (seen.has(cam.cameraCode)) at('/cameraCode', `${cam.cameraCode} appears twice`);
    seen.add(cam.cameraCode);
    if (typeof cam.intersectionCode !== 'string' || cam.intersectionCode === '') at('/intersectionCode', 'expected a non-empty string');
    if (typeof cam.timeZone !== 'string' || !isTimeZone(cam.timeZone)) at('/timeZone', `not an IANA time zone such as Asia/Shanghai: ${JSON.stringify(cam.timeZone)}`);
    const zone = zoneOf.get(cam.intersectionCode);
    if (zone !== undefined && zone !== cam.timeZone) at('/timeZone', `${cam.timeZone}, but another camera of ${cam.intersectionCode} is in ${zone}`);
    zoneOf.set(cam.intersectionCode, cam.timeZone);
    if (!Array.isArray(cam.intervals)) at('/intervals', 'expected a list of { from, to }');
    else cam.intervals.forEach((iv, k) => {
      if (!Number.isFinite(iv?.from) || !Number.isFinite(iv?.to) || iv.to <= iv.from) at(`/intervals/${k}`, `expected finite ms with from < to, got ${JSON.stringify(iv)}`);
    });
  });
  for (const [i, code] of (only ?? []).entries()) {
    if (!zoneOf.has(code)) issues.push({ path: `/request/intersections/${i}`, message: `${code} has no camera in the coverage` });
  }
}

function isSeed(seed: unknown): seed is Seed {
  return (typeof seed === 'number' && Number.isSafeInteger(seed)) || (typeof seed === 'string' && seed.length > 0);
}
