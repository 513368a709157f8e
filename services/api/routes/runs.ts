// Runs: draw a plan from parameters (or take a stored one) and queue its
// windows for the workers; list runs and follow one. Same services as
// `crosswatch plan` and `crosswatch run`.
import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { SamplingRequest } from '../../../pipelines/sampling/index.ts';
import { createPlan } from '../../plan/create-plan.ts';
import { samplingRequestOf } from '../../plan/request.ts';
import { startRun } from '../../queue/enqueue.ts';
import { listRuns, runStatus, type RunStatus } from '../../queue/status.ts';
import { IdParams, errorResponses } from '../defs/common.ts';
import { RunCreateBody, RunCreated, RunItem, RunList, RunListQuery } from '../defs/runs.ts';
import { validationError } from '../errors.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function runView(s: RunStatus) {
  return {
    id: s.id,
    planId: s.planId,
    kind: s.kind,
    status: s.status,
    reason: s.reason,
    createdAt: s.createdAt.toISOString(),
    startedAt: iso(s.startedAt),
    finishedAt: iso(s.finishedAt),
    windows: s.windows,
    coveredHours: s.coveredSeconds / 3600,
    plannedHours: s.plannedSeconds / 3600,
    wallSeconds: s.wallSeconds,
    footageHoursPerWallHour: s.footageHoursPerWallHour,
    etaSeconds: s.etaSeconds,
    finishedWindows: s.finishedWindows,
    failures: s.failures.map((f) => ({ seq: f.seq, camera: f.cameraCode, startsAt: f.startsAt.toISOString(), attempts: f.attempts, reason: f.reason })),
  };
}

type Body = Static<typeof RunCreateBody>;

/** A stored plan, or the parameters of a new one: never both, never neither. */
function samplingRequest(body: Body, defaultMinutes: number): SamplingRequest | null {
  const given = (Object.keys(body) as (keyof Body)[]).filter((k) => k !== 'planId' && body[k] !== undefined);
  if (body.planId !== undefined) {
    if (given.length > 0) throw validationError(given.map((k) => ({ path: `/body/${k}`, message: 'must be left out when planId names a stored plan' })));
    return null;
  }
  const missing = (['month', 'windows'] as const).filter((k) => body[k] === undefined);
  if (missing.length > 0) throw validationError(missing.map((k) => ({ path: `/body/${k}`, message: 'is required (or name a stored plan with planId)' })));
  const { planId: _none, month, windows, ...rest } = body;
  return samplingRequestOf({ month: month!, windows: windows!, ...rest }, defaultMinutes);
}

export default async function runRoutes(app: FastifyInstance): Promise<void> {
  const { pool, config } = app.deps;

  app.get<{ Querystring: Static<typeof RunListQuery> }>('/runs', {
    config: { access: 'viewer' },
    schema: { tags: ['runs'], summary: 'Runs, newest first, with their progress', querystring: RunListQuery, response: { 200: RunList, ...errorResponses(400, 401, 403) } },
  }, async (request) => ({ items: (await listRuns(pool, request.query.limit ?? 20)).map(runView) }));

  app.get<{ Params: Static<typeof IdParams> }>('/runs/:id', {
    config: { access: 'viewer' },
    schema: {
      tags: ['runs'],
      summary: 'One run: windows done, failed, running and queued, footage hours per wall hour, time left, failures with reasons',
      params: IdParams,
      response: { 200: RunItem, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (request) => runView(await runStatus(pool, request.params.id)));

  app.post<{ Body: Body }>('/runs', {
    config: { access: 'operator' },
    schema: {
      tags: ['runs'],
      summary: 'Draw an assessor-style plan from these parameters (or take planId) and queue one job per window for the workers',
      body: RunCreateBody,
      response: { 201: RunCreated, ...errorResponses(400, 401, 403, 404, 409, 503) },
    },
  }, async (request, reply) => {
    const sampling = samplingRequest(request.body, config.windowMinutes);
    // Open the queue before drawing, so a server that cannot queue stores no orphan plan.
    const boss = await app.queue();
    const planId = sampling ? (await createPlan(pool, sampling)).id : request.body.planId!;
    const started = await startRun(pool, boss, planId, config);
    request.log.info({ planId, runId: started.run.id, queued: started.queued }, 'run queued');
    const status = await runStatus(pool, started.run.id);
    return reply.code(201).send({
      plan: { id: planId, windows: started.total, created: sampling !== null },
      run: runView(status),
      queued: started.queued,
      alreadyQueued: started.alreadyQueued,
    });
  });
}
