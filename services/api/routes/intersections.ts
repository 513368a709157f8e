// Intersections: list with the current month's rating, detail with cameras
// and calibration, and the intersection's trend.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { CodeParams, errorResponses } from '../defs/common.ts';
import { IntersectionDetail, IntersectionList } from '../defs/intersections.ts';
import { TrendQuery, TrendResponse } from '../defs/trends.ts';
import { notFound } from '../errors.ts';
import { currentMonth, monthRatings, trend } from '../figures.ts';
import { intersectionsSql, type CameraRow, type IntersectionRow } from '../queries/intersections.ts';

export default async function intersectionRoutes(app: FastifyInstance): Promise<void> {
  const { pool, config } = app.deps;
  const rules = { minExposures: config.ratingMinExposures, flagCount: config.flagCount };

  /** This month's rating of every intersection, by id. */
  async function ratingsNow() {
    const month = currentMonth(config.defaultTimeZone);
    const r = await monthRatings(pool, rules, month, 'intersection', undefined);
    return new Map(r.items.map((i) => [i.id, { month, band: i.band, rank: i.rank, redFlag: i.redFlag, blackFlag: i.blackFlag, compliance: i.compliance }]));
  }
  const shape = (row: IntersectionRow, rating: unknown) => ({
    id: row.id,
    code: row.code,
    name: row.name,
    district: row.district,
    responsibleUnit: row.responsible_unit,
    timeZone: row.time_zone,
    cameras: row.cameras,
    rating,
  });
  const find = async (code: string) => {
    const row = (await pool.query<IntersectionRow>(intersectionsSql.byCode(code))).rows[0];
    if (!row) throw notFound(`intersection ${code}`);
    return row;
  };

  app.get('/intersections', {
    config: { access: 'viewer' },
    schema: { tags: ['intersections'], summary: "Intersections with this month's rating", response: { 200: IntersectionList, ...errorResponses(401, 403) } },
  }, async () => {
    const [{ rows }, ratings] = await Promise.all([pool.query<IntersectionRow>(intersectionsSql.list()), ratingsNow()]);
    return { items: rows.map((r) => shape(r, ratings.get(r.id))) };
  });

  app.get<{ Params: Static<typeof CodeParams> }>('/intersections/:code', {
    config: { access: 'viewer' },
    schema: { tags: ['intersections'], summary: 'One intersection with its cameras and calibration', params: CodeParams, response: { 200: IntersectionDetail, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const row = await find(request.params.code);
    const [cams, ratings] = await Promise.all([pool.query<CameraRow>(intersectionsSql.cameras(row.id)), ratingsNow()]);
    const cameraList = cams.rows.map((c) => ({ ...c, calibrated: c.calibration !== null }));
    return { ...shape(row, ratings.get(row.id)), cameraList };
  });

  app.get<{ Params: Static<typeof CodeParams>; Querystring: Static<typeof TrendQuery> }>('/intersections/:code/trends', {
    config: { access: 'viewer' },
    schema: {
      tags: ['trends'],
      summary: "An intersection's compliance by local day, week or month",
      params: CodeParams,
      querystring: TrendQuery,
      response: { 200: TrendResponse, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => {
    const row = await find(request.params.code);
    const q = request.query;
    return { scope: row.code, ...(await trend(pool, { granularity: q.granularity ?? 'day', category: q.category, from: q.from, to: q.to, intersectionId: row.id, timeZone: row.time_zone })) };
  });
}
