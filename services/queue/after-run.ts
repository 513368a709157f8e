// What follows the last window of a run: the daily rollups of the days it
// touched, and the month-to-date ratings of their months.
import type pg from 'pg';
import type { Logger } from '../log.ts';
import { refreshRollups, type RollupResult } from '../rollup/refresh.ts';
import { queueSql } from './queries.ts';

export async function refreshAfterRun(pool: pg.Pool, runId: string, log: Logger): Promise<RollupResult | null> {
  const days = (await pool.query<{ first: string | null; last: string | null }>(queueSql.runDays(runId))).rows[0];
  if (!days?.first || !days.last) {
    log.info({ run: runId }, 'run has no done window: no rollup to refresh');
    return null;
  }
  const result = await refreshRollups(pool, { from: days.first, to: days.last });
  log.info({ run: runId, ...result }, 'rollups and ratings refreshed');
  return result;
}
