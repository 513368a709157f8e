// Windows: filtered, keyset-paged list and detail with counts per category.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { IdParams, Page, errorResponses } from '../defs/common.ts';
import { WindowDetail, WindowItem, WindowQuery } from '../defs/windows.ts';
import { notFound } from '../errors.ts';
import { decodeCursor, page } from '../pagination.ts';
import { windowsSql, type WindowRow } from '../queries/windows.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function shape(w: WindowRow) {
  return {
    id: w.id,
    runId: w.run_id,
    camera: w.camera,
    intersection: w.intersection,
    startsAt: w.starts_at.toISOString(),
    endsAt: w.ends_at.toISOString(),
    status: w.status,
    reason: w.reason,
    modelVersion: w.model_version,
    rulesVersion: w.rules_version,
    coveredSeconds: w.covered_seconds,
    attempts: w.attempts,
    processedAt: iso(w.processed_at),
  };
}

export default async function windowRoutes(app: FastifyInstance): Promise<void> {
  const { pool } = app.deps;

  app.get<{ Querystring: Static<typeof WindowQuery> }>('/windows', {
    config: { access: 'viewer' },
    schema: { tags: ['windows'], summary: 'Windows, newest first', querystring: WindowQuery, response: { 200: Page(WindowItem), ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, cursor, ...filter } = request.query;
    const { rows } = await pool.query<WindowRow>(windowsSql.list(filter, decodeCursor(cursor), limit + 1));
    const p = page(rows, limit, (w) => ({ key: w.cursor_key, id: w.id }));
    return { items: p.items.map(shape), nextCursor: p.nextCursor };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/windows/:id', {
    config: { access: 'viewer' },
    schema: { tags: ['windows'], summary: 'One window with its counts', params: IdParams, response: { 200: WindowDetail, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const { id } = request.params;
    const w = (await pool.query<WindowRow>(windowsSql.byId(id))).rows[0];
    if (!w) throw notFound(`window ${id}`);
    const counts = (await pool.query<{ category: string; exposures: number; violations: number; rejected: number }>(windowsSql.counts(id))).rows;
    return { ...shape(w), counts: counts.map((c) => ({ ...c, counted: Math.max(0, c.violations - c.rejected) })) };
  });
}
