// An assessor-style plan: draw the sample from the catalogued footage and
// store it with everything that reproduces it (request, seed, coverage digest).
import type pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { drawSample, type SamplePlan, type SamplingRequest } from '../../pipelines/sampling/index.ts';
import { loadCoverage, periodDates, type Coverage } from './coverage.ts';
import type { ExcludedCameraRow } from './queries.ts';
import { storePlan } from './store.ts';

export interface CreatedPlan {
  id: string;
  sample: SamplePlan;
  excluded: ExcludedCameraRow[];
  coverageDigest: string;
}

/**
 * Throws SAMPLING_INVALID for a malformed request and SAMPLING_IMPOSSIBLE,
 * with eligible hours and capacity per group, when the windows do not fit;
 * nothing is stored then.
 */
export async function createPlan(pool: pg.Pool, request: SamplingRequest): Promise<CreatedPlan> {
  const period = periodDates(request.period);
  if (!period) throw new CrosswatchError('SAMPLING_INVALID', `Invalid sampling request:\n  /request/period: expected a month 'YYYY-MM' or { from, to } dates, got ${JSON.stringify(request.period)}`);
  const coverage = await loadCoverage(pool, period);
  const sample = drawWithContext(coverage, request);
  const id = await storePlan(pool, {
    kind: 'assessment',
    params: request,
    seed: String(request.seed),
    periodFrom: sample.description.period.from,
    periodTo: sample.description.period.to,
    windowMinutes: request.windowMinutes,
    description: { ...sample.description, methods: sample.methods, excluded: coverage.excluded },
    coverageDigest: coverage.digest,
    nightlyDate: null,
    windows: sample.windows,
  });
  return { id, sample, excluded: coverage.excluded, coverageDigest: coverage.digest };
}

/** An impossible request also says which cameras were left out, since they may be why. */
function drawWithContext(coverage: Coverage, request: SamplingRequest): SamplePlan {
  if (coverage.cameras.length === 0) {
    const left = coverage.excluded.length > 0 ? `; left out: ${coverage.excluded.map((e) => `${e.camera_code} (${e.why})`).join(', ')}` : '';
    throw new CrosswatchError('SAMPLING_IMPOSSIBLE', `Cannot draw the sample: no calibrated camera has readable footage in the period (catalogue the recordings and import calibrated sites first)${left}`);
  }
  try {
    return drawSample(coverage.cameras, request);
  } catch (err) {
    if (err instanceof CrosswatchError && err.code === 'SAMPLING_IMPOSSIBLE' && coverage.excluded.length > 0) {
      const note = `\n  left out of the coverage: ${coverage.excluded.map((e) => `${e.camera_code} (${e.why})`).join(', ')}`;
      throw new CrosswatchError('SAMPLING_IMPOSSIBLE', err.message + note, { cause: err, details: err.details });
    }
    throw err;
  }
}
