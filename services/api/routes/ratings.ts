// Monthly ratings and rankings with red and black flags (rules in rating.ts).
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import { errorResponses } from '../defs/common.ts';
import { RatingsQuery, RatingsResponse } from '../defs/ratings.ts';
import { currentMonth, monthRatings } from '../figures.ts';

/**
 * A ranking is reused while the figures are unchanged (figures.ts returns the
 * same object then), so its JSON is too: serializing 200 entries was the
 * largest cost left per request.
 */
const serialized = new WeakMap<object, string>();

export default async function ratingRoutes(app: FastifyInstance): Promise<void> {
  const { pool, config } = app.deps;
  app.get<{ Querystring: Static<typeof RatingsQuery> }>('/ratings', {
    config: { access: 'viewer' },
    schema: {
      tags: ['ratings'],
      summary: 'Ranking of intersections or responsible units for a month, with bands and flags',
      querystring: RatingsQuery,
      response: { 200: RatingsResponse, ...errorResponses(400, 401, 403) },
    },
  }, async (request, reply) => {
    const q = request.query;
    const rules = { minExposures: config.ratingMinExposures, flagCount: config.flagCount };
    const ratings = await monthRatings(pool, rules, q.month ?? currentMonth(config.defaultTimeZone), q.by ?? 'intersection', q.category);
    let json = serialized.get(ratings);
    if (json === undefined) serialized.set(ratings, (json = String(reply.serialize(ratings))));
    return reply.type('application/json; charset=utf-8').send(json);
  });
}
