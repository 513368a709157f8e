// `run --plan ID`: one run per plan and one pg-boss job per window. The
// run_windows rows and their jobs are inserted in one transaction (pg-boss
// insert on our client), so a window is queued exactly once per run however
// often, and however concurrently, the command is repeated.
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { withTransaction } from '../db/pool.ts';
import { getPlan } from '../plan/store.ts';
import { QUEUES, windowJobOptions, type RetryConfig, type WindowJobData } from './boss.ts';
import { queueSql, type RunRow } from './queries.ts';

export interface StartedRun {
  run: RunRow;
  /** False when the plan already had its run. */
  created: boolean;
  /** Windows queued by this call. */
  queued: number;
  /** Windows the run had queued before. */
  alreadyQueued: number;
  total: number;
}

export async function startRun(pool: pg.Pool, boss: PgBoss, planId: string, config: RetryConfig): Promise<StartedRun> {
  const { plan, windows } = await getPlan(pool, planId);
  if (windows.length === 0) throw new CrosswatchError('USAGE', `plan ${planId} has no windows to process`);
  return withTransaction(pool, async (client) => {
    const params = { planId, planKind: plan.kind, seed: plan.seed, windows: windows.length, windowMinutes: plan.window_minutes };
    let rows = (await client.query<RunRow & { created: boolean }>(queueSql.insertRun(planId, plan.kind, params, plan.seed))).rows;
    // A concurrent `run` committed the run after this statement's snapshot: read it now.
    if (rows.length === 0) rows = (await client.query<RunRow & { created: boolean }>(queueSql.runOfPlan(planId))).rows.map((r) => ({ ...r, created: false }));
    const { created, ...run } = rows[0]!;
    const missing = (await client.query<{ seq: number }>(queueSql.missingSeqs(run.id, planId))).rows.map((r) => r.seq);
    const inserted = (await client.query<{ seq: number; job_id: string }>(queueSql.insertRunWindows(run.id, planId, missing, missing.map(() => randomUUID())))).rows;
    if (inserted.length > 0) {
      const options = windowJobOptions(config);
      const jobs = inserted.map((r) => ({ id: r.job_id, name: QUEUES.window, data: { runId: run.id, seq: r.seq } satisfies WindowJobData, ...options }));
      await boss.insert(jobs, { db: { executeSql: (text: string, values: unknown[]) => client.query(text, values) } });
    }
    return { run, created, queued: inserted.length, alreadyQueued: windows.length - inserted.length, total: windows.length };
  });
}
