// `crosswatch plan --month YYYY-MM --windows N ...`: draw an assessor-style
// sample from the catalogued footage, store it, print it with its id.
// `crosswatch plan show ID`: print a stored plan again.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import type { SamplingRequest, StratumDimension } from '../../../pipelines/sampling/index.ts';
import { formatLocalIso } from '../../../pipelines/time/zone.ts';
import { withDatabase } from '../../db/index.ts';
import { createPlan } from '../../plan/create-plan.ts';
import { samplingRequestOf } from '../../plan/request.ts';
import { getPlan, type StoredPlan } from '../../plan/store.ts';
import { numberOpt, stringOpt, type Command, type ParsedArgs } from '../command.ts';
import { formatTable } from './sites.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Draw an assessor-style sample of windows from the catalogued footage and store it as a plan',
  usage:
    '--month YYYY-MM --windows N [--minutes L] [--hours 07:00-20:00[,..]] [--scope city|intersection] [--intersections A,B] [--strata dayType,peak] [--seed S] [--json]',
  options: {
    month: { type: 'string' },
    windows: { type: 'string' },
    minutes: { type: 'string' },
    hours: { type: 'string' },
    scope: { type: 'string' },
    intersections: { type: 'string' },
    strata: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, { config, log, out }) {
    const request = readRequest(args, config.windowMinutes);
    const stored = await withDatabase(config, log, async (db) => {
      const created = await createPlan(db.pool, request);
      return getPlan(db.pool, created.id);
    });
    out(args.values['json'] === true ? JSON.stringify(planJson(stored), null, 2) : formatPlan(stored));
    return 0;
  },
};

export const planShow: Command = {
  name: 'plan show',
  summary: 'Print a stored plan: its parameters, seed, eligible footage and windows',
  usage: 'ID [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const id = args.positionals[0];
    if (!id || args.positionals.length > 1) throw new CrosswatchError('USAGE', 'expects one plan id\nusage: crosswatch plan show ID [--json]');
    const stored = await withDatabase(config, log, (db) => getPlan(db.pool, id));
    out(args.values['json'] === true ? JSON.stringify(planJson(stored), null, 2) : formatPlan(stored));
    return 0;
  },
};

function readRequest(args: ParsedArgs, defaultMinutes: number): SamplingRequest {
  const month = stringOpt(args, 'month', true);
  const scope = stringOpt(args, 'scope') ?? 'city';
  if (scope !== 'city' && scope !== 'intersection') throw new CrosswatchError('USAGE', `--scope expects city or intersection, got ${JSON.stringify(scope)}`);
  const strata = list(stringOpt(args, 'strata'));
  for (const s of strata) if (s !== 'dayType' && s !== 'peak') throw new CrosswatchError('USAGE', `--strata expects dayType and/or peak, got ${JSON.stringify(s)}`);
  const intersections = list(stringOpt(args, 'intersections'));
  const seedText = stringOpt(args, 'seed');
  const hours = stringOpt(args, 'hours');
  // Without --seed the draw is still reproducible: samplingRequestOf chooses the seed, it is stored and printed.
  return samplingRequestOf(
    {
      month,
      windows: numberOpt(args, 'windows', { min: 1, max: 100_000, integer: true }),
      minutes: numberOpt(args, 'minutes', { default: defaultMinutes, min: 0.001, max: 1440 }),
      ...(hours === undefined ? {} : { hours: list(hours) }),
      scope,
      intersections,
      strata: strata as StratumDimension[],
      ...(seedText === undefined ? {} : { seed: /^-?\d{1,15}$/.test(seedText) ? Number(seedText) : seedText }),
    },
    defaultMinutes,
  );
}

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

interface CameraLine {
  cameraCode: string;
  intersectionCode: string;
  timeZone: string;
  strata?: { stratum: string; eligibleHours: number; startHours: number; maxWindows: number }[];
  eligibleHours?: number;
  maxWindows?: number;
  asked?: number;
}

function camerasOf(p: StoredPlan): CameraLine[] {
  return ((p.plan.description as { cameras?: CameraLine[] }).cameras ?? []) as CameraLine[];
}

export function planJson(p: StoredPlan) {
  const zones = new Map(camerasOf(p).map((c) => [c.cameraCode, c.timeZone]));
  return {
    id: Number(p.plan.id),
    kind: p.plan.kind,
    seed: p.plan.seed,
    params: p.plan.params,
    period: { from: p.plan.period_from, to: p.plan.period_to },
    window_minutes: p.plan.window_minutes,
    coverage_digest: p.plan.coverage_digest,
    description: p.plan.description,
    created_at: p.plan.created_at.toISOString(),
    windows: p.windows.map((w) => ({
      seq: w.seq,
      camera: w.camera_code,
      intersection: w.intersection_code,
      from: w.starts_at.toISOString(),
      to: w.ends_at.toISOString(),
      from_local: local(zones.get(w.camera_code), w.starts_at),
      stratum: w.stratum,
    })),
  };
}

export function formatPlan(p: StoredPlan): string {
  const { plan, windows } = p;
  const minutes = plan.window_minutes;
  const totalMin = minutes * windows.length;
  const params = plan.params as { hours?: string[]; scope?: string; strata?: { by?: string[] } };
  const hours = (params.hours ?? []).join(', ');
  const scope = plan.kind === 'nightly' ? 'per camera' : params.scope === 'intersection' ? 'per intersection' : 'city-wide';
  const lines = [
    `Plan ${plan.id} (${plan.kind}): ${windows.length} windows of ${num(minutes)} min = ${num(totalMin)} min (${num(totalMin / 60)} h) of footage, ${scope}`,
    `period ${plan.period_from} – ${plan.period_to} (site-local dates), hours ${hours} site time, strata: ${params.strata?.by?.join(', ') || 'none'}, seed ${plan.seed}`,
    '',
  ];
  const cameras = camerasOf(p);
  const drawn = new Map<string, number>();
  for (const w of windows) drawn.set(w.camera_code, (drawn.get(w.camera_code) ?? 0) + 1);
  const rows = cameras.map((c) => {
    const eligible = c.strata ? c.strata.reduce((s, x) => s + x.eligibleHours, 0) : (c.eligibleHours ?? 0);
    const max = c.strata ? c.strata.reduce((s, x) => s + x.maxWindows, 0) : (c.maxWindows ?? 0);
    return [c.cameraCode, c.intersectionCode, c.timeZone, num(eligible), String(max), String(drawn.get(c.cameraCode) ?? 0)];
  });
  lines.push(`Eligible footage per camera (inside the assessed hours), ${cameras.length} camera(s):`);
  lines.push(formatTable(['camera', 'intersection', 'time zone', 'eligible (h)', 'max windows', 'drawn (windows)'], rows));
  const excluded = (plan.description as { excluded?: { camera_code: string; why: string }[] }).excluded ?? [];
  if (excluded.length > 0) lines.push('', `Left out (footage but cannot be judged): ${excluded.map((e) => `${e.camera_code} (${e.why})`).join(', ')}`);
  const problems = (plan.description as { problems?: string[] }).problems ?? [];
  if (problems.length > 0) lines.push('', 'Notes:', ...problems.map((x) => `  ${x}`));
  const zones = new Map(cameras.map((c) => [c.cameraCode, c.timeZone]));
  lines.push('', `Windows (site-local time), ${windows.length}:`);
  lines.push(
    formatTable(
      ['#', 'camera', 'intersection', 'from', 'to', 'stratum'],
      windows.map((w) => [String(w.seq), w.camera_code, w.intersection_code, local(zones.get(w.camera_code), w.starts_at), local(zones.get(w.camera_code), w.ends_at).slice(11), w.stratum]),
    ),
  );
  lines.push('', `Process it: crosswatch run --plan ${plan.id}`);
  return lines.join('\n');
}

function local(zone: string | undefined, t: Date): string {
  return zone ? formatLocalIso(zone, t.getTime()).slice(0, 19).replace('T', ' ') : t.toISOString();
}

function num(x: number): string {
  return String(Number(x.toFixed(2)));
}
