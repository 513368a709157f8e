// Validation of the pre-assessment inputs; every problem names its path.
import { CrosswatchError, formatIssues, isCrosswatchError, type PathIssue } from '../errors.ts';
import { CATEGORIES } from '../types.ts';
import { parseScoringRule } from './scoring.ts';
import type { PreAssessment, PreAssessmentOptions, ProcessedWindow, ScoringRule } from './types.ts';

export type NormalizedOptions = PreAssessment['parameters'];

/** Upper bounds that keep one call within seconds; raise them knowingly. */
const MAX_DRAWS = 1_000_000;
const MAX_WINDOWS = 10_000;

export function normalizeOptions(options: PreAssessmentOptions, windows: ProcessedWindow[]): NormalizedOptions {
  const issues: PathIssue[] = [];
  const fail = (path: string, message: string) => issues.push({ path: `/options/${path}`, message });
  const o = {
    windows: options.windows,
    intersectionWindows: options.intersectionWindows ?? options.windows,
    windowMinutes: options.windowMinutes,
    draws: options.draws ?? 10_000,
    seed: options.seed,
    rule: options.rule,
    lengthPolicy: options.lengthPolicy ?? 'match',
    lengthTolerance: options.lengthTolerance ?? 0.05,
    minWindows: options.minWindows ?? 10,
    topWindows: options.topWindows ?? 10,
    intersectionWeights: options.intersectionWeights ?? null,
  };
  for (const key of ['windows', 'intersectionWindows'] as const) {
    if (!isInt(o[key], 1, MAX_WINDOWS)) fail(key, `expected an integer in 1..${MAX_WINDOWS}, got ${JSON.stringify(o[key])}`);
  }
  if (!isInt(o.draws, 1, MAX_DRAWS)) fail('draws', `expected an integer in 1..${MAX_DRAWS}, got ${JSON.stringify(o.draws)}`);
  if (!isInt(o.minWindows, 1, MAX_WINDOWS)) fail('minWindows', `expected an integer >= 1, got ${JSON.stringify(o.minWindows)}`);
  if (!isInt(o.topWindows, 0, MAX_WINDOWS)) fail('topWindows', `expected an integer >= 0, got ${JSON.stringify(o.topWindows)}`);
  if (!(Number.isFinite(o.windowMinutes) && o.windowMinutes > 0)) fail('windowMinutes', `expected minutes > 0, got ${JSON.stringify(o.windowMinutes)}`);
  if (!(Number.isFinite(o.lengthTolerance) && o.lengthTolerance >= 0 && o.lengthTolerance < 1)) fail('lengthTolerance', `expected a fraction in [0, 1), got ${JSON.stringify(o.lengthTolerance)}`);
  if (o.lengthPolicy !== 'match' && o.lengthPolicy !== 'thin') fail('lengthPolicy', `expected 'match' or 'thin', got ${JSON.stringify(o.lengthPolicy)}`);
  if (!((typeof o.seed === 'number' && Number.isSafeInteger(o.seed)) || (typeof o.seed === 'string' && o.seed !== ''))) fail('seed', `expected a safe integer or a non-empty string, got ${JSON.stringify(o.seed)}`);
  checkWeights(o.intersectionWeights, fail);
  checkWindows(windows, issues);
  const rule = readRule(o.rule, issues);
  if (issues.length > 0 || !rule) throw new CrosswatchError('ASSESSMENT_INVALID', `Invalid pre-assessment input:\n${formatIssues(issues)}`, { details: issues });
  return { ...o, rule };
}

/** The rule's own problems join the others, so one message lists them all. */
function readRule(input: unknown, issues: PathIssue[]): ScoringRule | null {
  try {
    return parseScoringRule(input, '/options/rule');
  } catch (err) {
    if (!isCrosswatchError(err, 'ASSESSMENT_INVALID')) throw err;
    issues.push(...(err.details as PathIssue[]));
    return null;
  }
}

function checkWeights(weights: Record<string, number> | null, fail: (path: string, message: string) => void): void {
  if (weights === null) return;
  for (const [code, w] of Object.entries(weights)) {
    if (!(Number.isFinite(w) && w >= 0)) fail(`intersectionWeights/${code}`, `expected a weight >= 0, got ${JSON.stringify(w)}`);
  }
}

function checkWindows(windows: ProcessedWindow[], issues: PathIssue[]): void {
  if (!Array.isArray(windows)) {
    issues.push({ path: '/windows', message: 'expected a list of processed windows' });
    return;
  }
  const ids = new Set<string>();
  windows.forEach((w, i) => {
    const fail = (field: string, message: string) => issues.push({ path: `/windows/${i}${field}`, message });
    if (typeof w.id !== 'string' || w.id === '') fail('/id', 'expected a non-empty string');
    else if (ids.has(w.id)) fail('/id', `${w.id} appears twice`);
    ids.add(w.id);
    if (typeof w.intersectionCode !== 'string' || w.intersectionCode === '') fail('/intersectionCode', 'expected a non-empty string');
    if (!(Number.isFinite(w.coveredSeconds) && w.coveredSeconds > 0)) fail('/coveredSeconds', `expected seconds > 0, got ${JSON.stringify(w.coveredSeconds)}`);
    for (const [category, c] of Object.entries(w.counts ?? {})) {
      if (!(CATEGORIES as readonly string[]).includes(category)) fail(`/counts/${category}`, `not a category; categories are ${CATEGORIES.join(', ')}`);
      else if (!isInt(c?.violations, 0, Number.MAX_SAFE_INTEGER)) fail(`/counts/${category}/violations`, `expected an integer >= 0, got ${JSON.stringify(c?.violations)}`);
    }
  });
}

function isInt(x: unknown, min: number, max: number): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= min && x <= max;
}
