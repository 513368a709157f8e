// Stores and reads plans: the plan row and its windows go in one transaction,
// so a plan is never seen half written.
import type pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { withTransaction } from '../db/pool.ts';
import { planSql, type NewPlan, type PlanRow, type PlanWindowRow } from './queries.ts';

export interface StoredPlan {
  plan: PlanRow;
  windows: PlanWindowRow[];
}

export async function storePlan(pool: pg.Pool, p: NewPlan): Promise<string> {
  return withTransaction(pool, async (client) => {
    const id = (await client.query<{ id: string }>(planSql.insertPlan(p))).rows[0]!.id;
    if (p.windows.length > 0) await client.query(planSql.insertWindows(id, p.windows));
    return id;
  });
}

export async function getPlan(pool: pg.Pool, id: string): Promise<StoredPlan> {
  if (!/^\d{1,18}$/.test(id)) throw new CrosswatchError('USAGE', `a plan id is a positive integer, got ${JSON.stringify(id)}`);
  const plan = (await pool.query<PlanRow>(planSql.get(id))).rows[0];
  if (!plan) throw new CrosswatchError('NOT_FOUND', `plan ${id} does not exist: \`crosswatch plan\` draws one and prints its id`);
  const windows = (await pool.query<PlanWindowRow>(planSql.windows(id))).rows;
  return { plan, windows };
}

export async function nightlyPlan(pool: pg.Pool, date: string): Promise<PlanRow | undefined> {
  return (await pool.query<PlanRow>(planSql.nightly(date))).rows[0];
}
