// Violations: list (the review queue is status=pending&order=asc), detail
// with the audit trail, the evidence image, and the review decision.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { IdParams, Page, errorResponses } from '../defs/common.ts';
import { ReviewBody, ReviewResponse, ViolationDetail, ViolationItem, ViolationQuery } from '../defs/violations.ts';
import { notFound } from '../errors.ts';
import { EvidenceRefused, openEvidence, unavailable } from '../evidence.ts';
import { decodeCursor, page } from '../pagination.ts';
import { violationsSql, type AuditRow, type ViolationRow } from '../queries/violations.ts';
import { decide } from '../review.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function shape(v: ViolationRow) {
  return {
    id: v.id,
    windowId: v.window_id,
    intersection: v.intersection,
    intersectionName: v.intersection_name,
    timeZone: v.time_zone,
    camera: v.camera,
    category: v.category,
    trackId: v.track_id,
    roadUserClass: v.road_user_class,
    zoneId: v.zone_id,
    signalId: v.signal_id,
    t: v.t.toISOString(),
    score: v.score,
    hasEvidence: v.evidence_path !== null,
    reviewStatus: v.review_status,
    reviewedAt: iso(v.reviewed_at),
    reviewedBy: v.reviewed_by,
    reviewNote: v.review_note,
  };
}

const shapeAudit = (a: AuditRow) => ({ id: a.id, actor: a.actor, from: a.from_status, to: a.to_status, reason: a.reason, at: a.at.toISOString() });

export default async function violationRoutes(app: FastifyInstance): Promise<void> {
  const { pool, config } = app.deps;
  const find = async (id: string) => {
    const v = (await pool.query<ViolationRow>(violationsSql.byId(id))).rows[0];
    if (!v) throw notFound(`violation ${id}`);
    return v;
  };

  app.get<{ Querystring: Static<typeof ViolationQuery> }>('/violations', {
    config: { access: 'viewer' },
    schema: { tags: ['violations'], summary: 'Violations, filtered; newest first unless order=asc', querystring: ViolationQuery, response: { 200: Page(ViolationItem), ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const { limit = 50, cursor, order = 'desc', ...filter } = request.query;
    const { rows } = await pool.query<ViolationRow>(violationsSql.list({ ...filter, order }, decodeCursor(cursor), limit + 1));
    const p = page(rows, limit, (v) => ({ key: v.cursor_key, id: v.id }));
    return { items: p.items.map(shape), nextCursor: p.nextCursor };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/violations/:id', {
    config: { access: 'viewer' },
    schema: { tags: ['violations'], summary: 'One violation with its evidence moments and review trail', params: IdParams, response: { 200: ViolationDetail, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const v = await find(request.params.id);
    const audit = (await pool.query<AuditRow>(violationsSql.auditOf(v.id))).rows;
    return { ...shape(v), moments: Array.isArray(v.moments) ? v.moments : [], audit: audit.map(shapeAudit) };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/violations/:id/evidence', {
    config: { access: 'viewer' },
    schema: {
      tags: ['violations'],
      summary: 'The annotated evidence image (ETag, Cache-Control; 304 on If-None-Match)',
      params: IdParams,
      response: { 200: { description: 'The image', content: { 'image/jpeg': { schema: { type: 'string', format: 'binary' } } } }, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request, reply) => {
    const v = await find(request.params.id);
    if (!v.evidence_path) throw unavailable(v.id);
    let file;
    try {
      file = await openEvidence(config.evidenceDir, v.evidence_path);
    } catch (err) {
      request.log.warn({ violation: v.id, reason: err instanceof EvidenceRefused ? err.message : (err as Error).message }, 'evidence not served');
      throw unavailable(v.id);
    }
    // Behind a key, so private; the file for a violation only changes on reprocessing, which the ETag catches.
    reply.header('cache-control', 'private, max-age=3600').header('etag', file.etag).header('last-modified', file.mtime.toUTCString());
    if (request.headers['if-none-match'] === file.etag) {
      await file.handle.close();
      return reply.code(304).send();
    }
    reply.type(file.contentType).header('content-length', file.size);
    return reply.send(file.handle.createReadStream());
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof ReviewBody> }>('/violations/:id/review', {
    config: { access: 'reviewer' },
    schema: {
      tags: ['review'],
      summary: 'Confirm or reject a violation; a rejected violation stops counting in every rate',
      params: IdParams,
      body: ReviewBody,
      response: { 200: ReviewResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const audit = await decide(pool, { violationId: request.params.id, decision: request.body.decision, reason: request.body.reason, by: request.principal! });
    return { violation: shape(await find(request.params.id)), audit: shapeAudit(audit) };
  });
}
