// Property tests over 200 seeds: random footage with gaps in two zones (one
// with daylight saving), random hours, lengths, scopes and strata. Every drawn
// window must lie inside the hours, inside the footage and inside its stratum,
// never overlap another on its camera, and come back identical from the same
// seed whatever the input order.
import t from 'tap';
import { describePlan, drawSample } from '../../../pipelines/sampling/index.ts';
import type { CameraCoverage, SampledWindow, SamplingRequest, StratumDimension } from '../../../pipelines/sampling/index.ts';
import { createRng } from '../../../pipelines/sampling/random.ts';
import { isCrosswatchError } from '../../../pipelines/errors.ts';
import { DAY, local, minutesOf, randomCoverage, shuffled } from './helpers.ts';

const SEEDS = 200;
// Boundaries stay out of 02:00-03:00 so that Berlin's fold does not blur which range a wall time is in.
const HOURS = [['07:00-20:00'], ['07:00-09:30', '16:00-19:00'], ['00:00-24:00'], ['22:00-24:00', '00:00-06:00'], ['01:00-04:00']];
const PERIODS = [
  { from: '2024-03-25', to: '2024-04-02' }, // Berlin springs forward on 03-31
  { from: '2024-10-22', to: '2024-10-30' }, // and falls back on 10-27
  { from: '2024-05-01', to: '2024-05-07' },
];
const PEAK = ['07:00-09:00', '17:00-19:00'];

function requestFor(seed: number): SamplingRequest {
  const rng = createRng(seed, 'request');
  const by: StratumDimension[] = [[], ['dayType'], ['peak'], ['dayType', 'peak']][rng.int(4)] as StratumDimension[];
  return {
    period: PERIODS[rng.int(PERIODS.length)]!,
    hours: HOURS[rng.int(HOURS.length)]!,
    windows: 1,
    windowMinutes: [5, 10, 15, 30][rng.int(4)]!,
    scope: rng.float() < 0.5 ? 'city' : 'intersection',
    strata: by.length > 0 ? { by } : undefined,
    exclusivePerIntersection: rng.float() < 0.4,
    seed,
  };
}

/** N: sometimes exactly the capacity (forces the tight path), else a random share of it. */
function pickWindows(seed: number, coverage: CameraCoverage[], req: SamplingRequest): number {
  const plan = describePlan(coverage, req);
  const cap = Math.min(...plan.groups.map((g) => g.strata.reduce((s, x) => s + x.maxWindows, 0)));
  const rng = createRng(seed, 'n');
  if (cap === 0) return 1;
  if (!req.strata && cap <= 400 && rng.float() < 0.5) return cap;
  return 1 + rng.int(Math.min(cap, 60));
}

function insideFootage(w: SampledWindow, coverage: CameraCoverage[]): boolean {
  const cam = coverage.find((c) => c.cameraCode === w.cameraCode)!;
  // Touching intervals are one stretch: walk them in order.
  const ivs = [...cam.intervals].sort((a, b) => a.from - b.from);
  let reach = -Infinity;
  for (const iv of ivs) {
    if (iv.from > reach && iv.from > w.from) break;
    if (iv.from <= Math.max(reach, w.from)) reach = Math.max(reach, iv.to);
  }
  return reach >= w.to;
}

function insideHours(w: SampledWindow, tz: string, hours: string[], req: SamplingRequest): string | null {
  const a = local(tz, w.from);
  const b = local(tz, w.to - 1);
  if (a.date !== b.date) return `straddles midnight ${a.date} / ${b.date}`;
  const range = hours.map(minutesOf).find(([s, e]) => a.minute >= s && a.minute < e);
  if (!range || b.minute >= range[1]) return `outside ${hours.join(',')}: ${a.minute.toFixed(2)}..${b.minute.toFixed(2)}`;
  const by = req.strata?.by ?? [];
  const parts: string[] = [];
  if (by.includes('dayType')) parts.push(a.weekday === 0 || a.weekday === 6 ? 'weekend' : 'weekday');
  if (by.includes('peak')) {
    const peak = PEAK.map(minutesOf).find(([s, e]) => a.minute >= s && a.minute < e);
    if (peak && b.minute >= peak[1]) return 'straddles the end of peak';
    if (!peak && PEAK.map(minutesOf).some(([s]) => a.minute < s && b.minute >= s)) return 'straddles the start of peak';
    parts.push(peak ? 'peak' : 'off-peak');
  }
  const want = parts.length > 0 ? parts.join('/') : 'all';
  return w.stratum === want ? null : `stratum ${w.stratum}, expected ${want}`;
}

function overlaps(windows: SampledWindow[], key: (w: SampledWindow) => string): number {
  const by = new Map<string, SampledWindow[]>();
  for (const w of windows) by.set(key(w), [...(by.get(key(w)) ?? []), w]);
  let n = 0;
  for (const ws of by.values()) {
    ws.sort((x, y) => x.from - y.from);
    for (let i = 1; i < ws.length; i++) if (ws[i]!.from < ws[i - 1]!.to) n++;
  }
  return n;
}

t.test(`${SEEDS} seeds: inside hours, footage and strata; no overlaps; reproducible`, async (t) => {
  const failures: string[] = [];
  let drawn = 0;
  let differ = 0;
  let tight = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const base = requestFor(seed);
    const p = base.period as { from: string; to: string };
    const coverage = randomCoverage(seed, Date.parse(p.from) - DAY, Date.parse(p.to) + 2 * DAY, ['Asia/Shanghai', 'Europe/Berlin']);
    const req = { ...base, windows: pickWindows(seed, coverage, base) };
    const plan = describePlan(coverage, req);
    if (plan.problems.length > 0) {
      try {
        drawSample(coverage, req);
        failures.push(`seed ${seed}: impossible plan was drawn`);
      } catch (err) {
        if (!isCrosswatchError(err, 'SAMPLING_IMPOSSIBLE') || !/at most \d+ non-overlapping windows/.test(err.message)) failures.push(`seed ${seed}: ${String(err)}`);
      }
      continue;
    }
    const sample = drawSample(coverage, req);
    drawn++;
    if (sample.methods.tight > 0) tight++;
    const zone = new Map(coverage.map((c) => [c.cameraCode, c.timeZone]));
    for (const w of sample.windows) {
      if (w.to - w.from !== req.windowMinutes * 60_000) failures.push(`seed ${seed}: length ${w.to - w.from}`);
      if (!insideFootage(w, coverage)) failures.push(`seed ${seed}: ${w.cameraCode} ${new Date(w.from).toISOString()} outside footage`);
      const why = insideHours(w, zone.get(w.cameraCode)!, req.hours, req);
      if (why) failures.push(`seed ${seed}: ${w.cameraCode} ${new Date(w.from).toISOString()} ${why}`);
    }
    if (overlaps(sample.windows, (w) => w.cameraCode) > 0) failures.push(`seed ${seed}: overlap on a camera`);
    if (req.exclusivePerIntersection && overlaps(sample.windows, (w) => w.intersectionCode) > 0) failures.push(`seed ${seed}: overlap in an intersection`);
    const groups = req.scope === 'city' ? 1 : new Set(coverage.map((c) => c.intersectionCode)).size;
    if (sample.windows.length !== req.windows * groups) failures.push(`seed ${seed}: ${sample.windows.length} windows, expected ${req.windows * groups}`);
    if (JSON.stringify(drawSample(shuffled(coverage, seed), req).windows) !== JSON.stringify(sample.windows)) failures.push(`seed ${seed}: not reproducible`);
    if (JSON.stringify(drawSample(coverage, { ...req, seed: seed + 100_000 }).windows) !== JSON.stringify(sample.windows)) differ++;
  }
  t.same(failures.slice(0, 10), [], `${failures.length} failures`);
  t.ok(drawn >= SEEDS * 0.8, `${drawn} of ${SEEDS} requests were drawable`);
  t.ok(tight >= 10, `${tight} draws went through the tight path`);
  // A draw at full capacity of a single gap-free stretch has only one answer; all others must change with the seed.
  t.ok(differ >= drawn - tight, `${differ} of ${drawn} draws changed with the seed`);
});
