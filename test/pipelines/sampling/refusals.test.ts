// Impossible requests are refused with the numbers; malformed ones with the field.
import t from 'tap';
import { describePlan, drawSample, type CameraCoverage, type SamplingRequest } from '../../../pipelines/sampling/index.ts';
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { DAY, HOUR, MIN } from './helpers.ts';

const MAY = Date.UTC(2024, 3, 30, 16); // 2024-05-01 00:00 in Shanghai
const at = (day: number, hour: number) => MAY + day * DAY + hour * HOUR;
const cam = (cameraCode: string, intersectionCode: string, intervals: { from: number; to: number }[]): CameraCoverage => ({
  cameraCode,
  intersectionCode,
  timeZone: 'Asia/Shanghai',
  intervals,
});

const coverage: CameraCoverage[] = [
  cam('A1', 'A', [{ from: MAY, to: MAY + 31 * DAY }]),
  cam('B1', 'B', [{ from: at(0, 7), to: at(0, 8.5) }]),
  // Three 15-minute stretches: 0.75 h of footage, room for one 10-minute window in each.
  cam('C1', 'C', [0, 1, 2].map((d) => ({ from: at(d, 12), to: at(d, 12) + 15 * MIN }))),
  // Two cameras watching the same hour: 6 windows each, 6 in all when the intersection is exclusive.
  cam('D1', 'D', [{ from: at(3, 10), to: at(3, 11) }]),
  cam('D2', 'D', [{ from: at(3, 10), to: at(3, 11) }]),
  // Footage only outside the assessed hours.
  cam('E1', 'E', [{ from: at(4, 21), to: at(5, 6) }]),
];
const base: SamplingRequest = { period: '2024-05', hours: ['07:00-20:00'], windows: 20, windowMinutes: 10, scope: 'intersection', seed: 1 };

function refusal(req: SamplingRequest, cov = coverage): string {
  try {
    drawSample(cov, req);
  } catch (err) {
    if (err instanceof CrosswatchError) return `${err.code}: ${err.message}`;
    throw err;
  }
  return 'drawn';
}

t.test('impossible requests name the numbers, one row per case', async (t) => {
  const rows: [string, SamplingRequest, string][] = [
    ['short footage', { ...base, intersections: ['B'] }, 'asked for 20 windows of 10 min; intersection B has 1.5 h of eligible footage, at most 9 non-overlapping windows'],
    ['gaps', { ...base, windows: 4, intersections: ['C'] }, 'asked for 4 windows of 10 min; intersection C has 0.75 h of eligible footage, at most 3 non-overlapping windows'],
    ['two cameras', { ...base, windows: 13, intersections: ['D'] }, 'intersection D has 2 h of eligible footage, at most 12 non-overlapping windows'],
    ['exclusive', { ...base, windows: 7, intersections: ['D'], exclusivePerIntersection: true }, 'intersection D has 2 h of eligible footage, at most 6 non-overlapping windows'],
    ['outside hours', { ...base, windows: 1, intersections: ['E'] }, 'intersection E has 0 h of eligible footage, at most 0 non-overlapping windows'],
    ['city-wide', { ...base, scope: 'city', windows: 30, intersections: ['B', 'C', 'D'] }, 'asked for 30 windows of 10 min; city-wide, 4 cameras have 4.25 h of eligible footage, at most 24 non-overlapping windows'],
    [
      'stratum',
      { ...base, windows: 2, intersections: ['C'], strata: { by: ['peak'], allocation: { kind: 'fixed', counts: { peak: 2 } } } },
      'asked for 2 windows of 10 min, 2 of them in stratum peak; intersection C has 0 h of eligible footage there, at most 0 non-overlapping windows',
    ],
  ];
  for (const [name, req, want] of rows) {
    const got = refusal(req);
    t.match(got, 'SAMPLING_IMPOSSIBLE: Cannot draw the sample', name);
    t.ok(got.includes(want), `${name}: ${got}`);
  }
});

t.test('only the groups that cannot be drawn are listed', async (t) => {
  const got = refusal({ ...base, windows: 10 });
  t.match(got, /intersection B .* at most 9/);
  t.match(got, /intersection C .* at most 3/);
  t.notMatch(got, /intersection A/);
  t.match(got, /intersection E .* at most 0/);
  t.equal(describePlan(coverage, { ...base, windows: 10 }).problems.length, 3, 'B, C and E; D fits 12 on its two cameras');
});

t.test('at exactly the capacity the draw succeeds and packs', async (t) => {
  const plan = drawSample(coverage, { ...base, windows: 9, intersections: ['B'] });
  t.equal(plan.windows.length, 9);
  t.same(
    plan.windows.map((w) => w.from),
    Array.from({ length: 9 }, (_, i) => at(0, 7) + i * 10 * MIN),
  );
  const d = drawSample(coverage, { ...base, windows: 6, intersections: ['D'], exclusivePerIntersection: true });
  t.same(
    d.windows.map((w) => w.from),
    Array.from({ length: 6 }, (_, i) => at(3, 10) + i * 10 * MIN),
  );
});

t.test('malformed requests name the field', async (t) => {
  const rows: [string, Record<string, unknown>, string][] = [
    ['month', { period: '2024-13' }, '/request/period'],
    ['dates', { period: { from: '2024-05-10', to: '2024-05-01' } }, 'before from'],
    ['hours', { hours: ['20:00-07:00'] }, '/request/hours/0: end must be after start'],
    ['overlapping hours', { hours: ['07:00-12:00', '11:00-13:00'] }, '/request/hours: ranges overlap'],
    ['windows', { windows: 2.5 }, '/request/windows'],
    ['length', { windowMinutes: 0 }, '/request/windowMinutes'],
    ['length on grid', { windowMinutes: 10.001 }, 'not a whole number of start steps'],
    ['scope', { scope: 'country' }, '/request/scope'],
    ['seed', { seed: '' }, '/request/seed'],
    ['strata', { strata: { by: ['season'] } }, '/request/strata/by/0'],
    ['fixed sum', { strata: { by: ['dayType'], allocation: { kind: 'fixed', counts: { weekday: 3 } } } }, 'counts sum to 3 but windows is 20'],
    ['fixed label', { strata: { by: ['dayType'], allocation: { kind: 'fixed', counts: { night: 20 } } } }, '/request/strata/allocation/counts/night: not a stratum'],
    ['intersection', { intersections: ['Z'] }, '/request/intersections/0: Z has no camera'],
  ];
  for (const [name, patch, want] of rows) {
    const got = refusal({ ...base, ...patch } as unknown as SamplingRequest);
    t.match(got, 'SAMPLING_INVALID', name);
    t.ok(got.includes(want), `${name}: ${got}`);
  }
});

t.test('malformed coverage names the camera', async (t) => {
  const bad: CameraCoverage[] = [
    { ...cam('A1', 'A', [{ from: 10, to: 5 }]) },
    { ...cam('A1', 'A', []), timeZone: 'Asia/Shangai' },
  ];
  const got = refusal(base, bad);
  t.match(got, '/coverage/0/intervals/0');
  t.match(got, '/coverage/1/cameraCode: A1 appears twice');
  t.match(got, '/coverage/1/timeZone: not an IANA time zone');
});

t.test('describePlan: eligible hours per camera and stratum, DST-aware', async (t) => {
  const berlin: CameraCoverage[] = [{ cameraCode: 'K', intersectionCode: 'K', timeZone: 'Europe/Berlin', intervals: [{ from: Date.UTC(2024, 2, 1), to: Date.UTC(2024, 11, 1) }] }];
  const day = (d: string) => describePlan(berlin, { ...base, period: { from: d, to: d }, hours: ['01:00-04:00'], windows: 1 }).cameras[0]!.strata[0]!;
  t.equal(day('2024-03-30').eligibleHours, 3);
  t.equal(day('2024-03-31').eligibleHours, 2, 'spring forward: 02:00-03:00 does not exist');
  t.equal(day('2024-10-27').eligibleHours, 4, 'fall back: 02:00-03:00 happens twice');
  const plan = describePlan(coverage, { ...base, intersections: ['B'], strata: { by: ['peak'] } });
  t.same(
    plan.cameras[0]!.strata.map((s) => [s.stratum, s.eligibleHours, s.maxWindows]),
    [
      ['peak', 1.5, 9],
      ['off-peak', 0, 0],
    ],
  );
});
