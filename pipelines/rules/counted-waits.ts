// Waits already counted as exposures, to know the same waiter found again on
// another track. The detector loses a standing road user for longer than a
// track can be joined over (in a crowd at the kerb, a rider behind a bus at
// the stop line) and the tracker finds it again as someone new, which waits
// and would be exposed again. Two road users cannot stand in one place at
// once, so only a wait that ended before the new one began, during the same
// red, within a tenth of a box height or so of where it ended.
import type { Observation } from './types.ts';
import type { RoadUser } from './road-users.ts';

export interface CountedWait {
  /** The crosswalk or approach waited at. */
  zoneId: string;
  user: RoadUser;
  /** Where and when the waiter was last seen waiting (moves on as it is found again). */
  last: Observation;
}

export class CountedWaits {
  private readonly waits: CountedWait[] = [];

  /** @param distance box heights (sameWaiterDistance) */
  constructor(private readonly distance: number) {}

  reset(): void {
    this.waits.length = 0;
  }

  add(zoneId: string, user: RoadUser, last: Observation): void {
    this.waits.push({ zoneId, user, last });
  }

  /**
   * The counted wait at this zone, during the same red of `signalId`, whose
   * waiter was last seen before `o` and within `distance` box heights of it.
   */
  before(zoneId: string, signalId: string, o: Observation): CountedWait | undefined {
    return this.waits.find(
      (c) =>
        c.zoneId === zoneId &&
        c.last.t <= o.t &&
        c.last.signals.since[signalId] === o.signals.since[signalId] &&
        Math.hypot(c.last.ground[0] - o.ground[0], c.last.ground[1] - o.ground[1]) <= this.distance * Math.max(c.last.height, o.height),
    );
  }
}
