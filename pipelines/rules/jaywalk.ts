// jaywalk: a pedestrian (by vote over the track's life; a rider is
// non_motor, never a pedestrian) who
//  - mid-block: stands in the carriageway outside every crosswalk (with
//    crosswalkMargin) for zoneHoldFrames frames in a row; zone "carriageway";
//  - on don't-walk: steps from the kerb (outside the carriageway) onto a
//    crosswalk's carriageway part and stays zoneHoldFrames frames, with the
//    crosswalk's signal red at the last frame on the kerb. Someone who entered
//    on green and is still crossing when it turns red is fine; someone first
//    seen already on the crosswalk is not judged (no entry was seen).
// Exposure: every jaywalker, plus pedestrians who spent kerbWaitSeconds in a
// kerb zone (outside the carriageway, within kerbDistance of a crosswalk)
// while its signal showed red.
import type { Calibration } from '../sites/schema.ts';
import type { RulesParams } from './params.ts';
import type { Observation } from './types.ts';
import type { RoadUser } from './road-users.ts';
import type { Ledger } from './exposures.ts';
import { redAt } from './signal-timeline.ts';
import { crosswalkAt, crosswalksNear, inCarriageway } from './zones.ts';

interface Entry {
  zoneId: string;
  before: Observation;
  past: Observation;
  later: Observation | undefined;
}

interface PedestrianTrack {
  /** Last observation on the kerb (outside the carriageway). */
  kerb: Observation | undefined;
  /** The current run started at the kerb (no mid-block stretch in between). */
  fromKerb: boolean;
  midRun: Observation[];
  crossRun: { zoneId: string; obs: Observation[] } | undefined;
  midBlock: Entry | undefined;
  crosswalkEntry: Entry | undefined;
  /** Per crosswalk: ms spent at its kerb during red, and when it started. */
  kerbRed: Map<string, { ms: number; since: number; lastT: number }>;
}

export class JaywalkJudge {
  private readonly state = new Map<RoadUser, PedestrianTrack>();

  constructor(
    private readonly c: Calibration,
    private readonly p: RulesParams,
  ) {}

  reset(): void {
    this.state.clear();
  }

  observe(user: RoadUser, o: Observation): void {
    const s = this.track(user);
    for (const e of [s.midBlock, s.crosswalkEntry]) if (e && !e.later && o.t - e.past.t >= this.p.continuedSeconds * 1000) e.later = o;
    if (!inCarriageway(this.c, o.ground)) return this.onKerb(s, o);
    const crosswalk = crosswalkAt(this.c, o.ground, this.p.crosswalkMargin * o.height);
    if (crosswalk) this.onCrosswalk(s, o, crosswalk.id);
    else this.midBlock(s, o);
  }

  finalize(user: RoadUser, ledger: Ledger): void {
    const s = this.state.get(user);
    this.state.delete(user);
    if (!s || user.cls !== 'pedestrian') return;
    for (const [zoneId, w] of s.kerbRed) if (w.ms >= this.p.kerbWaitSeconds * 1000) ledger.expose('jaywalk', user, zoneId, w.since);
    const entries: Entry[] = [];
    if (s.crosswalkEntry) {
      const e = s.crosswalkEntry;
      const signalId = this.c.crosswalks.find((x) => x.id === e.zoneId)!.signal.id;
      const verdict = redAt(e.before.signals, signalId, this.p.redGraceSeconds * 1000);
      if (verdict === 'unknown') ledger.skip('jaywalk', user, e.zoneId, e.past.t, 'signal_unknown');
      else if (verdict === 'red') entries.push(e);
    }
    if (s.midBlock) entries.push(s.midBlock);
    // One jaywalk per pedestrian per window: the earliest.
    const first = entries.sort((a, b) => a.past.t - b.past.t)[0];
    if (first) {
      const signalId = this.c.crosswalks.find((x) => x.id === first.zoneId)?.signal.id;
      ledger.violate('jaywalk', user, first.zoneId, [first.before, first.past, first.later ?? user.last], signalId);
    }
  }

  private track(user: RoadUser): PedestrianTrack {
    let s = this.state.get(user);
    if (!s) {
      s = { kerb: undefined, fromKerb: false, midRun: [], crossRun: undefined, midBlock: undefined, crosswalkEntry: undefined, kerbRed: new Map() };
      this.state.set(user, s);
    }
    return s;
  }

  private onKerb(s: PedestrianTrack, o: Observation): void {
    const prev = s.kerb;
    s.kerb = o;
    s.fromKerb = true;
    s.midRun = [];
    s.crossRun = undefined;
    for (const x of crosswalksNear(this.c, o.ground, this.p.kerbDistance * o.height)) {
      if (redAt(o.signals, x.signal.id, this.p.redGraceSeconds * 1000) !== 'red') continue;
      const w = s.kerbRed.get(x.id);
      // Time accrues between consecutive kerb frames at the same crosswalk during red.
      if (w && prev && w.lastT === prev.t) w.ms += o.t - prev.t;
      if (w) w.lastT = o.t;
      else s.kerbRed.set(x.id, { ms: 0, since: o.t, lastT: o.t });
    }
  }

  private onCrosswalk(s: PedestrianTrack, o: Observation, zoneId: string): void {
    s.midRun = [];
    if (!s.fromKerb || !s.kerb || s.crosswalkEntry) return;
    if (s.crossRun?.zoneId !== zoneId) s.crossRun = { zoneId, obs: [] };
    s.crossRun.obs.push(o);
    if (s.crossRun.obs.length >= this.p.zoneHoldFrames) {
      s.crosswalkEntry = { zoneId, before: s.kerb, past: s.crossRun.obs[0]!, later: undefined };
    }
  }

  private midBlock(s: PedestrianTrack, o: Observation): void {
    s.fromKerb = false;
    s.crossRun = undefined;
    s.midRun.push(o);
    if (!s.midBlock && s.midRun.length >= this.p.zoneHoldFrames) {
      s.midBlock = { zoneId: 'carriageway', before: s.kerb ?? s.midRun[0]!, past: s.midRun[0]!, later: undefined };
    }
  }
}
