// The city's trend: every intersection, each window bucketed on its own site's calendar.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { errorResponses } from '../defs/common.ts';
import { TrendQuery, TrendResponse } from '../defs/trends.ts';
import { trend } from '../figures.ts';

export default async function trendRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Querystring: Static<typeof TrendQuery> }>('/trends/city', {
    config: { access: 'viewer' },
    schema: { tags: ['trends'], summary: 'City-wide compliance by local day, week or month', querystring: TrendQuery, response: { 200: TrendResponse, ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const q = request.query;
    return { scope: 'city', ...(await trend(app.deps.pool, { granularity: q.granularity ?? 'day', category: q.category, from: q.from, to: q.to, intersectionId: null, timeZone: app.deps.config.defaultTimeZone })) };
  });
}
