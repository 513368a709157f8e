// The scoring rule: start at `start`, deduct points per observed violation by
// category (at most `capPerWindow` per window), never below `floor`, pass at
// `passMark`. The assessors' real weights are local policy; the defaults
// below only make a fresh machine run, and say so.
import { CrosswatchError, formatIssues, type PathIssue } from '../errors.ts';
import { CATEGORIES, type Category } from '../types.ts';
import type { ProcessedWindow, ScoringRule } from './types.ts';

/** Illustrative defaults, not any city's official weights: configure the real ones. */
export const DEFAULT_SCORING_RULE: ScoringRule = {
  start: 100,
  deductions: { red_light: 2, non_motor_red_light: 1, stop_line_overrun: 0.5, jaywalk: 1 },
  capPerWindow: null,
  floor: 0,
  passMark: 80,
};

const FIELDS = ['start', 'deductions', 'capPerWindow', 'floor', 'passMark'] as const;

/**
 * Validates a rule from configuration. Fields left out take the defaults;
 * `deductions`, when given, replaces the default table (categories it leaves
 * out cost nothing). Every problem is reported with its path under `path`.
 */
export function parseScoringRule(input: unknown, path = '/rule'): ScoringRule {
  const issues: PathIssue[] = [];
  const fail = (field: string, message: string) => issues.push({ path: `${path}${field}`, message });
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    const issues = [{ path, message: 'expected an object' }];
    throw new CrosswatchError('ASSESSMENT_INVALID', `Invalid scoring rule:\n${formatIssues(issues)}`, { details: issues });
  }
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!(FIELDS as readonly string[]).includes(key)) fail(`/${key}`, `unknown setting; known: ${FIELDS.join(', ')}`);
  const rule: ScoringRule = { ...DEFAULT_SCORING_RULE, ...(raw as Partial<ScoringRule>) };
  for (const key of ['start', 'floor', 'passMark'] as const) if (!Number.isFinite(rule[key])) fail(`/${key}`, `expected a finite number, got ${JSON.stringify(rule[key])}`);
  if (rule.capPerWindow !== null && !(Number.isFinite(rule.capPerWindow) && rule.capPerWindow > 0)) {
    fail('/capPerWindow', `expected a number > 0 or null (no cap), got ${JSON.stringify(rule.capPerWindow)}`);
  }
  checkDeductions(rule.deductions, fail);
  if (issues.length === 0 && rule.floor > rule.start) fail('/floor', `must not exceed start (${rule.start}), got ${rule.floor}`);
  if (issues.length === 0 && (rule.passMark < rule.floor || rule.passMark > rule.start)) {
    fail('/passMark', `must lie between floor (${rule.floor}) and start (${rule.start}), got ${rule.passMark}`);
  }
  if (issues.length > 0) throw new CrosswatchError('ASSESSMENT_INVALID', `Invalid scoring rule:\n${formatIssues(issues)}`, { details: issues });
  return { ...rule, deductions: { ...rule.deductions } };
}

function checkDeductions(deductions: unknown, fail: (field: string, message: string) => void): void {
  if (deductions === null || typeof deductions !== 'object' || Array.isArray(deductions)) {
    fail('/deductions', `expected { category: points }, categories ${CATEGORIES.join(', ')}`);
    return;
  }
  for (const [key, value] of Object.entries(deductions)) {
    if (!(CATEGORIES as readonly string[]).includes(key)) fail(`/deductions/${key}`, `not a category; categories are ${CATEGORIES.join(', ')}`);
    else if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) fail(`/deductions/${key}`, `expected points >= 0, got ${JSON.stringify(value)}`);
  }
}

/** Points one window costs as counted (cap applied). */
export function windowDeduction(counts: ProcessedWindow['counts'], rule: ScoringRule): number {
  let points = 0;
  for (const c of CATEGORIES) points += (counts[c]?.violations ?? 0) * deductionOf(rule, c);
  return rule.capPerWindow === null ? points : Math.min(points, rule.capPerWindow);
}

export function deductionOf(rule: ScoringRule, category: Category): number {
  return rule.deductions[category] ?? 0;
}

/**
 * Sums of decimal points (0.1 + 0.2) drift by ~1e-15; deductions are
 * rounded to 1e-9 so that an assessment exactly at the pass mark passes.
 */
export function roundPoints(points: number): number {
  return Math.round(points * 1e9) / 1e9;
}

export function scoreOf(totalDeduction: number, rule: ScoringRule): number {
  return Math.max(rule.floor, roundPoints(rule.start - totalDeduction));
}

export function passes(score: number, rule: ScoringRule): boolean {
  return score >= rule.passMark;
}
