// Pre-assessment simulations: run one for a month (the Monte Carlo of the
// assessors' draw, services/simulate), list them, read the latest or any one
// with intersection names, for the dashboard's pre-assessment page.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { CostlyWindow, PreAssessment, ScoreEstimate } from '../../../pipelines/assessment/index.ts';
import { parseScoringRule } from '../../../pipelines/assessment/index.ts';
import { loadScoringRule } from '../../simulate/rule-file.ts';
import { getSimulation, listSimulations, simulateMonth } from '../../simulate/simulate.ts';
import type { SimulationRow } from '../../simulate/queries.ts';
import { IdParams, errorResponses } from '../defs/common.ts';
import { LatestQuery, SimulationCreateBody, SimulationList, SimulationQuery, SimulationResult } from '../defs/simulations.ts';
import { notFound } from '../errors.ts';
import { intersectionsSql, type IntersectionRow } from '../queries/intersections.ts';

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

function costly(w: CostlyWindow) {
  return {
    windowId: w.id,
    intersection: w.intersectionCode,
    camera: w.cameraCode ?? null,
    startsAt: iso(w.from),
    endsAt: iso(w.to),
    pointsPerDraw: w.deductionPerDraw,
    drawsPerAssessment: w.drawsPerAssessment,
    expectedPoints: w.expectedDeduction,
    share: w.share,
  };
}

function estimate(e: ScoreEstimate) {
  return { ...e, costliestWindows: e.costliestWindows.map(costly) };
}

export default async function simulationRoutes(app: FastifyInstance): Promise<void> {
  const { pool, config } = app.deps;

  /** The stored result with each intersection's name and unit (a code that is gone keeps its code as name). */
  async function view(row: SimulationRow & { results: PreAssessment }) {
    const sites = new Map((await pool.query<IntersectionRow>(intersectionsSql.list())).rows.map((r) => [r.code, r]));
    const a = row.results;
    const { intersectionWeights: _weights, ...parameters } = a.parameters;
    return {
      id: row.id,
      month: row.month,
      createdAt: row.created_at.toISOString(),
      windowsFound: row.windows_found,
      parameters,
      city: estimate(a.city),
      intersections: a.intersections.map((i) => ({
        code: i.intersectionCode,
        name: sites.get(i.intersectionCode)?.name ?? i.intersectionCode,
        responsibleUnit: sites.get(i.intersectionCode)?.responsible_unit ?? null,
        estimate: i.estimate ? estimate(i.estimate) : null,
        refusal: i.refusal,
      })),
    };
  }

  app.post<{ Body: Static<typeof SimulationCreateBody> }>('/simulations', {
    config: { access: 'operator' },
    schema: {
      tags: ['simulations'],
      summary: "Pre-assess a month: Monte Carlo of the assessors' draw over its processed windows (expected score, 5–95% band, pass probability, costliest windows), stored",
      body: SimulationCreateBody,
      response: { 201: SimulationResult, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (request, reply) => {
    const b = request.body;
    const rule = b.rule === undefined ? await loadScoringRule(config.scoringRuleFile) : parseScoringRule(b.rule, '/body/rule');
    const sim = await simulateMonth(pool, {
      month: b.month,
      windows: b.windows ?? 20,
      windowMinutes: b.minutes ?? config.windowMinutes,
      draws: b.draws ?? 10_000,
      seed: b.seed ?? `simulate/${b.month}`,
      rule,
      lengthPolicy: b.lengthPolicy ?? 'match',
      ...(b.minWindows === undefined ? {} : { minWindows: b.minWindows }),
    });
    request.log.info({ simulationId: sim.id, month: sim.month, windowsUsed: sim.assessment.city.windowsUsed }, 'simulation stored');
    const stored = await getSimulation(pool, sim.id);
    return reply.code(201).send(await view(stored!));
  });

  app.get<{ Querystring: Static<typeof SimulationQuery> }>('/simulations', {
    config: { access: 'viewer' },
    schema: { tags: ['simulations'], summary: 'Stored simulations, newest first, with the city-wide figures', querystring: SimulationQuery, response: { 200: SimulationList, ...errorResponses(400, 401, 403) } },
  }, async (request) => {
    const rows = await listSimulations(pool, { ...(request.query.month ? { month: request.query.month } : {}), limit: request.query.limit ?? 20 });
    return {
      items: rows.map((r) => {
        const city = r.targets.find((t) => t.target === 'city');
        return {
          id: r.id,
          month: r.month,
          createdAt: r.created_at.toISOString(),
          windowsFound: r.windows_found,
          windowsUsed: r.windows_used,
          city: city ? { expectedScore: city.expected_score, band: { p5: city.score_p5, p95: city.score_p95 }, passProbability: city.pass_probability } : null,
        };
      }),
    };
  });

  app.get<{ Querystring: Static<typeof LatestQuery> }>('/simulations/latest', {
    config: { access: 'viewer' },
    schema: { tags: ['simulations'], summary: 'The latest simulation (of a month, or of any), in full', querystring: LatestQuery, response: { 200: SimulationResult, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const { month } = request.query;
    const [latest] = await listSimulations(pool, { ...(month ? { month } : {}), limit: 1 });
    const row = latest && (await getSimulation(pool, latest.id));
    if (!row) throw notFound(month ? `a simulation of ${month}` : 'a simulation (run one: POST /api/simulations or crosswatch simulate)');
    return view(row);
  });

  app.get<{ Params: Static<typeof IdParams> }>('/simulations/:id', {
    config: { access: 'viewer' },
    schema: { tags: ['simulations'], summary: 'One simulation, in full', params: IdParams, response: { 200: SimulationResult, ...errorResponses(400, 401, 403, 404) } },
  }, async (request) => {
    const row = await getSimulation(pool, request.params.id);
    if (!row) throw notFound(`simulation ${request.params.id}`);
    return view(row);
  });
}
