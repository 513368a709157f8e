// `crosswatch simulate`: the assessors' draw, replayed by Monte Carlo over the
// windows processed this month (pipelines/assessment), stored with its
// parameters so a figure can always be traced to what produced it.
import type pg from 'pg';
import { CrosswatchError, isCrosswatchError } from '../../pipelines/errors.ts';
import { preAssess, type PreAssessment, type PreAssessmentOptions, type ProcessedWindow } from '../../pipelines/assessment/index.ts';
import { parseMonth, toEpochDay } from '../../pipelines/time/calendar.ts';
import { withTransaction } from '../db/pool.ts';
import { simulateSql, type ProcessedWindowRow, type SimulationResultRow, type SimulationRow } from './queries.ts';

export interface SimulationRequest extends Omit<PreAssessmentOptions, 'intersectionWeights'> {
  /** 'YYYY-MM', read in each intersection's zone. */
  month: string;
}

export interface Simulation {
  id: string;
  month: string;
  /** Done windows of the month found. */
  windowsFound: number;
  assessment: PreAssessment;
}

const DAY_MS = 86_400_000;

export async function loadProcessedWindows(pool: pg.Pool, month: string): Promise<ProcessedWindow[]> {
  const range = parseMonth(month);
  if (!range) throw new CrosswatchError('USAGE', `a month is 'YYYY-MM', got ${JSON.stringify(month)}`);
  const lo = new Date((toEpochDay(range.first) - 2) * DAY_MS);
  const hi = new Date((toEpochDay(range.last) + 3) * DAY_MS);
  const rows = (await pool.query<ProcessedWindowRow>(simulateSql.processedWindows(month, lo, hi))).rows;
  return rows
    .filter((r) => r.covered_seconds > 0)
    .map((r) => ({
      id: r.id,
      intersectionCode: r.intersection_code,
      cameraCode: r.camera_code,
      from: r.starts_at.getTime(),
      to: r.ends_at.getTime(),
      coveredSeconds: r.covered_seconds,
      counts: Object.fromEntries(Object.entries(r.violations).map(([c, v]) => [c, { violations: Number(v) }])),
    }));
}

/**
 * Throws ASSESSMENT_INSUFFICIENT, saying how many windows were found and how
 * many are needed, when the city-wide estimate would rest on too few; nothing
 * is stored then. Intersections with too few are stored with their refusal.
 */
export async function simulateMonth(pool: pg.Pool, req: SimulationRequest): Promise<Simulation> {
  const windows = await loadProcessedWindows(pool, req.month);
  const { month, ...options } = req;
  if (windows.length === 0) {
    throw new CrosswatchError('ASSESSMENT_INSUFFICIENT', `Cannot pre-assess ${month}: no processed (done) windows in that month; plan and run windows first (crosswatch plan, run, worker)`);
  }
  let assessment: PreAssessment;
  try {
    assessment = preAssess(windows, options);
  } catch (err) {
    if (!isCrosswatchError(err, 'ASSESSMENT_INSUFFICIENT')) throw err;
    throw new CrosswatchError('ASSESSMENT_INSUFFICIENT', `Cannot pre-assess ${month}: ${windows.length} done window(s) in the month; ${err.message.replace(/^Cannot pre-assess /, '')}`, { cause: err, details: err.details });
  }
  const id = await store(pool, month, windows.length, assessment);
  return { id, month, windowsFound: windows.length, assessment };
}

async function store(pool: pg.Pool, month: string, windowsFound: number, a: PreAssessment): Promise<string> {
  return withTransaction(pool, async (client) => {
    const id = (await client.query<{ id: string }>(simulateSql.insert({ month, params: a.parameters, windowsFound, windowsUsed: a.city.windowsUsed, results: a }))).rows[0]!.id;
    await client.query(simulateSql.insertResults(id, resultRows(a)));
    return id;
  });
}

function resultRows(a: PreAssessment): Omit<SimulationResultRow, 'simulation_id'>[] {
  const row = (target: string, e: PreAssessment['city'] | null, refusal: string | null) => ({
    target,
    windows_used: e?.windowsUsed ?? 0,
    expected_score: e?.expectedScore ?? null,
    score_p5: e?.band.p5 ?? null,
    score_p95: e?.band.p95 ?? null,
    pass_probability: e?.passProbability ?? null,
    refusal,
  });
  return [row('city', a.city, null), ...a.intersections.map((i) => row(i.intersectionCode, i.estimate, i.refusal))];
}

// Reads for the API and the CLI ------------------------------------------------

export interface SimulationSummary extends Omit<SimulationRow, 'results'> {
  targets: Omit<SimulationResultRow, 'simulation_id'>[];
}

export async function listSimulations(pool: pg.Pool, opts: { month?: string; limit?: number } = {}): Promise<SimulationSummary[]> {
  const rows = (await pool.query<SimulationRow>(simulateSql.list(opts.month ?? null, opts.limit ?? 50))).rows;
  const results = rows.length === 0 ? [] : (await pool.query<SimulationResultRow>(simulateSql.results(rows.map((r) => r.id)))).rows;
  return rows.map(({ results: _unused, ...r }) => ({ ...r, targets: results.filter((x) => x.simulation_id === r.id).map(({ simulation_id: _id, ...t }) => t) }));
}

/** The stored simulation with its full result (PreAssessment), or undefined. */
export async function getSimulation(pool: pg.Pool, id: string): Promise<(SimulationRow & { results: PreAssessment }) | undefined> {
  if (!/^\d{1,18}$/.test(id)) return undefined;
  return (await pool.query<SimulationRow & { results: PreAssessment }>(simulateSql.get(id))).rows[0];
}
