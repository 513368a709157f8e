// The window's outcome ledger: each road user counts at most once per
// category (per part, where a judge knows a track held two road users), for
// exposures and for violations alike, and every violator is also exposed
// (so violations never exceed exposures).
import { emptyCounts, type Category, type EvidenceMoment, type Exposure, type RoadUserClass, type Violation } from '../types.ts';
import type { Observation, Unjudged, UnjudgedReason, WindowJudgement } from './types.ts';
import type { RoadUser } from './road-users.ts';

export function moment(o: Observation): EvidenceMoment {
  return { frameIndex: o.frameIndex, t: o.t, box: o.box };
}

export class Ledger {
  private readonly violations = new Map<string, Violation>();
  private readonly exposures = new Map<string, Exposure>();
  private readonly unjudged: Unjudged[] = [];
  /** Told of each new violation (the engine collects what a frame decided). */
  onViolation: ((v: Violation) => void) | undefined;

  reset(): void {
    this.violations.clear();
    this.exposures.clear();
    this.unjudged.length = 0;
  }

  /**
   * `part`: a judge that knows the road user's track held several road users
   * (a vehicle on each of two arms) names which one this is; each counts.
   */
  expose(category: Category, user: RoadUser, zoneId: string, t: number, part = ''): void {
    const key = `${category}:${user.id}:${part}`;
    const prev = this.exposures.get(key);
    if (!prev || t < prev.t) this.exposures.set(key, { category, trackId: user.id, zoneId, t });
  }

  /**
   * Withdraws a road user's exposure at this zone (a judge found it counted
   * the same person twice), unless it also violated there.
   */
  retractExposure(category: Category, user: RoadUser, zoneId: string, part = ''): void {
    const key = `${category}:${user.id}:${part}`;
    if (this.exposures.get(key)?.zoneId === zoneId && !this.violations.has(key)) this.exposures.delete(key);
  }

  /**
   * Records the violation (the first per road user and category) and its
   * exposure. Returns it when new. Its decisive time is the past moment's
   * unless the judge dated it better (`o.t`); its class the road user's
   * unless the judge read it where it judged (`o.cls`).
   */
  violate(
    category: Category,
    user: RoadUser,
    zoneId: string,
    moments: readonly [Observation, Observation, Observation],
    o: { signalId?: string; t?: number; cls?: RoadUserClass; part?: string } = {},
  ): Violation | undefined {
    const { signalId, t = moments[1].t, cls = user.cls, part = '' } = o;
    const key = `${category}:${user.id}:${part}`;
    this.expose(category, user, zoneId, t, part);
    if (this.violations.has(key)) return undefined;
    const v: Violation = {
      category,
      trackId: user.id,
      roadUserClass: cls,
      zoneId,
      ...(signalId === undefined ? {} : { signalId }),
      t,
      moments: [moment(moments[0]), moment(moments[1]), moment(moments[2])],
      score: user.meanScore,
    };
    this.violations.set(key, v);
    this.onViolation?.(v);
    return v;
  }

  skip(category: Category, user: RoadUser, zoneId: string, t: number, reason: UnjudgedReason): void {
    this.unjudged.push({ category, trackId: user.id, zoneId, t, reason });
  }

  result(): WindowJudgement {
    const byTime = <T extends { t: number; trackId: number }>(a: T, b: T) => a.t - b.t || a.trackId - b.trackId;
    const violations = [...this.violations.values()].sort(byTime);
    const exposures = [...this.exposures.values()].sort(byTime);
    const counts = emptyCounts();
    for (const v of violations) counts[v.category].violations++;
    for (const e of exposures) counts[e.category].exposures++;
    return { violations, exposures, counts, unjudged: [...this.unjudged].sort(byTime) };
  }
}
