// Month-scale archives: which clips to render for which intersection, at
// what local time, under what conditions and with what behaviour. Pure
// planning (deterministic from the seed); archive-write.ts renders the plan.
import { DEFAULT_BEHAVIOUR, type BehaviourConfig } from './behaviour.ts';
import { LAYOUTS } from './layout.ts';
import { Rng } from './rng.ts';
import { instantOf } from '../time/zone.ts';

export type Trend = 'orderly' | 'poor' | 'improving' | 'worsening';

export interface IntersectionProfile {
  code: string;
  name: string;
  cameraCode: string;
  layout: string;
  trend: Trend;
  /** Arrival-rate multiplier (some junctions are simply busier). */
  busy: number;
  seed: number;
}

export interface PlannedClip {
  intersection: IntersectionProfile;
  /** UTC start. */
  start: Date;
  /** Local date and time in the site's zone, as the recordings layout names them. */
  localDate: string;
  localTime: string;
  conditions: string[];
  behaviour: Partial<BehaviourConfig>;
  seed: number;
  /** DIR-relative path without extension: <camera>/<YYYY-MM-DD>/<HH-MM-SS>. */
  relPath: string;
}

export interface ArchivePlanOptions {
  intersections: number;
  /** YYYY-MM */
  month: string;
  clipsPerDay: number;
  clipSeconds: number;
  seed: number;
  timeZone: string;
  /** Record only the first N days of the month (demos, tests); trends still span the whole month. */
  days?: number;
}

const TRENDS: Trend[] = ['orderly', 'poor', 'improving', 'worsening'];
/** Daytime recording hours (local). */
const FIRST_HOUR = 7;
const LAST_HOUR = 20;

export function intersectionProfiles(n: number, seed: number): IntersectionProfile[] {
  const rng = new Rng(seed).fork('intersections');
  return Array.from({ length: n }, (_, i) => {
    const code = `SIM-J${String(i + 1).padStart(2, '0')}`;
    return {
      code,
      name: `Simulated junction ${i + 1}`,
      cameraCode: `${code}-C1`,
      layout: LAYOUTS[i % LAYOUTS.length]!.name,
      // Every trend appears once the archive has four junctions; the rest are drawn.
      trend: i < TRENDS.length ? TRENDS[i]! : rng.pick(TRENDS),
      busy: Math.round(rng.range(0.7, 1.3) * 100) / 100,
      seed: rng.fork('junction', i).int(0, 2 ** 31),
    };
  });
}

/** Violation propensity (multiplier on the default probabilities) on a day, 0 = first day .. 1 = last. */
export function propensity(trend: Trend, progress: number): number {
  switch (trend) {
    case 'orderly':
      return 0.3;
    case 'poor':
      return 1.8;
    case 'improving':
      return 1.9 - 1.5 * progress;
    case 'worsening':
      return 0.4 + 1.5 * progress;
  }
}

export function behaviourFor(profile: IntersectionProfile, progress: number): Partial<BehaviourConfig> {
  const p = propensity(profile.trend, progress);
  const cap = (x: number) => Math.min(0.9, Math.round(x * 1000) / 1000);
  return {
    redLightRun: cap(DEFAULT_BEHAVIOUR.redLightRun * p),
    stopLineOverrun: cap(DEFAULT_BEHAVIOUR.stopLineOverrun * p),
    nonMotorRedRun: cap(DEFAULT_BEHAVIOUR.nonMotorRedRun * p),
    pedDontWalk: cap(DEFAULT_BEHAVIOUR.pedDontWalk * p),
    jaywalkPerMinute: Math.round(DEFAULT_BEHAVIOUR.jaywalkPerMinute * p * 100) / 100,
    demand: profile.busy,
  };
}

/** Light for a local hour: dusk and night at the edges of the recording day. */
export function lightAt(hour: number): 'day' | 'dusk' | 'night' {
  if (hour < 7.4 || (hour >= 18 && hour < 19)) return 'dusk';
  if (hour >= 19) return 'night';
  return 'day';
}

export function planArchive(o: ArchivePlanOptions): { profiles: IntersectionProfile[]; clips: PlannedClip[] } {
  const m = /^(\d{4})-(\d{2})$/.exec(o.month);
  if (!m) throw new RangeError(`month must be YYYY-MM, got ${o.month}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) throw new RangeError(`month must be 01..12, got ${m[2]}`);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const profiles = intersectionProfiles(o.intersections, o.seed);
  const weather = new Rng(o.seed).fork('weather');
  const rainy = Array.from({ length: days }, () => weather.chance(0.25));
  const clips: PlannedClip[] = [];
  const span = (LAST_HOUR - FIRST_HOUR) * 3600;
  const slot = span / o.clipsPerDay;
  if (slot < o.clipSeconds) throw new RangeError(`${o.clipsPerDay} clips of ${o.clipSeconds} s do not fit in ${FIRST_HOUR}:00-${LAST_HOUR}:00`);
  for (const profile of profiles) {
    const rng = new Rng(profile.seed).fork('clips');
    for (let day = 1; day <= Math.min(days, o.days ?? days); day++) {
      const progress = days > 1 ? (day - 1) / (days - 1) : 0;
      for (let k = 0; k < o.clipsPerDay; k++) {
        // One clip per equal slot of the day: random start, never overlapping the next slot.
        const offset = Math.floor(k * slot + rng.range(0, slot - o.clipSeconds));
        const secs = FIRST_HOUR * 3600 + offset;
        const [hh, mm, ss] = [Math.floor(secs / 3600), Math.floor((secs % 3600) / 60), secs % 60];
        const localDate = `${year}-${pad(month)}-${pad(day)}`;
        const localTime = `${pad(hh)}-${pad(mm)}-${pad(ss)}`;
        const start = new Date(instantOf(o.timeZone, { year, month, day, hour: hh, minute: mm, second: ss }));
        const conditions: string[] = [lightAt(secs / 3600), ...(rainy[day - 1] ? ['rain'] : [])];
        clips.push({
          intersection: profile,
          start,
          localDate,
          localTime,
          conditions,
          behaviour: behaviourFor(profile, progress),
          seed: rng.int(0, 2 ** 31),
          relPath: `${profile.cameraCode}/${localDate}/${localTime}`,
        });
      }
    }
  }
  return { profiles, clips };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
