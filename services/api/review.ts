// Review decisions: the violation's review columns and one append-only audit
// row change together in one transaction, the row locked so two reviewers
// deciding at once are recorded in order.
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import { notFound, validationError } from './errors.ts';
import type { Principal } from './types.ts';
import { violationsSql, type AuditRow } from './queries/violations.ts';

export interface Decision {
  violationId: string;
  decision: 'confirm' | 'reject';
  reason: string | undefined;
  by: Principal;
}

export async function decide(pool: pg.Pool, d: Decision): Promise<AuditRow> {
  const reason = d.reason?.trim() || null;
  if (d.decision === 'reject' && !reason) {
    throw validationError([{ path: '/body/reason', message: 'is required when rejecting' }]);
  }
  const to = d.decision === 'confirm' ? 'confirmed' : 'rejected';
  return withTransaction(pool, async (client) => {
    const row = (await client.query<{ id: string; window_id: string; category: string; track_id: number; review_status: string }>(violationsSql.lockForReview(d.violationId))).rows[0];
    if (!row) throw notFound(`violation ${d.violationId}`);
    await client.query(violationsSql.setReview({ id: row.id, status: to, actor: d.by.name, reason }));
    const audit = (
      await client.query<AuditRow>(
        violationsSql.audit({
          violationId: row.id,
          windowId: row.window_id,
          category: row.category,
          trackId: row.track_id,
          keyId: d.by.keyId,
          actor: d.by.name,
          from: row.review_status,
          to,
          reason,
        }),
      )
    ).rows[0]!;
    return audit;
  });
}
