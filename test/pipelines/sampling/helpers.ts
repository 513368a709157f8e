// Test helpers: random coverage fixtures and an independent reading of local
// wall time (Intl directly, not pipelines/time), so the checks do not trust
// the code they check.
import { createRng, type Rng } from '../../../pipelines/sampling/random.ts';
import type { CameraCoverage, Interval } from '../../../pipelines/sampling/types.ts';

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const fmt = new Map<string, Intl.DateTimeFormat>();

/** Local date 'YYYY-MM-DD', minute of the day (fractional) and weekday (0 = Sunday). */
export function local(timeZone: string, instant: number): { date: string; minute: number; weekday: number } {
  let f = fmt.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', weekday: 'short' });
    fmt.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p['weekday']!);
  const ms = ((instant % 1000) + 1000) % 1000;
  return { date: `${p['year']}-${p['month']}-${p['day']}`, minute: Number(p['hour']) * 60 + Number(p['minute']) + (Number(p['second']) + ms / 1000) / 60, weekday };
}

export function minutesOf(range: string): [number, number] {
  const [a, b] = range.split('-').map((s) => s.split(':').map(Number)) as [[number, number], [number, number]];
  return [a[0] * 60 + a[1], b[0] * 60 + b[1]];
}

/** Footage with random gaps: stretches of 5 min to 2 days, gaps of 0 to 8 h, ms not aligned to seconds. */
export function randomIntervals(rng: Rng, from: number, to: number): Interval[] {
  const out: Interval[] = [];
  let t = from + rng.int(4 * HOUR);
  while (t < to) {
    const len = 5 * MIN + rng.int(2 * DAY);
    out.push({ from: t, to: t + len });
    t += len + (rng.float() < 0.2 ? 0 : rng.int(8 * HOUR));
  }
  return out;
}

export function randomCoverage(seed: number, from: number, to: number, zones: string[]): CameraCoverage[] {
  const rng = createRng(seed, 'fixture');
  const cameras: CameraCoverage[] = [];
  const intersections = 1 + rng.int(3);
  for (let i = 0; i < intersections; i++) {
    const timeZone = zones[rng.int(zones.length)]!;
    for (let c = 0; c <= rng.int(3); c++) {
      cameras.push({ cameraCode: `X${i}-C${c}`, intersectionCode: `X${i}`, timeZone, intervals: randomIntervals(rng, from, to) });
    }
  }
  return cameras;
}

/** A shuffled deep copy: the draw must not depend on input order. */
export function shuffled(coverage: CameraCoverage[], seed: number): CameraCoverage[] {
  const rng = createRng(seed, 'shuffle');
  const mix = <T>(xs: T[]): T[] => {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  };
  return mix(coverage.map((c) => ({ ...c, intervals: mix(c.intervals.map((iv) => ({ ...iv }))) })));
}
