// Slots: the instant ranges of one time zone where windows may lie, one per
// day, hour range and stratum. A window must fit wholly inside one slot, which
// is how "never straddle the hour limit or midnight" (and never straddle a
// stratum boundary, so a window's stratum is unambiguous) is enforced.
import { eachDate, weekdayOf } from '../time/calendar.ts';
import { dayClock } from '../time/zone.ts';
import { splitByRanges, type MinuteRange } from './hours.ts';
import type { NormalizedRequest } from './request.ts';

export interface Slot {
  from: number;
  to: number;
  stratum: string;
}

/** Slots of the whole period in `timeZone`, sorted and disjoint. */
export function slotsFor(timeZone: string, req: NormalizedRequest): Slot[] {
  const slots: Slot[] = [];
  for (const date of eachDate(req.first, req.last)) {
    const dayType = req.weekendDays.includes(weekdayOf(date)) ? 'weekend' : 'weekday';
    const clock = dayClock(timeZone, date);
    for (const hours of req.hours) {
      for (const piece of splitByRanges(hours, req.peak)) {
        const slot = toSlot(clock, piece.range, label(req, dayType, piece.inside));
        // An empty slot is an hour range lost in a spring-forward gap.
        if (slot.to > slot.from) slots.push(slot);
      }
    }
  }
  return slots;
}

function toSlot(clock: (minute: number) => number, range: MinuteRange, stratum: string): Slot {
  return { from: clock(range.start), to: clock(range.end), stratum };
}

function label(req: NormalizedRequest, dayType: string, peak: boolean): string {
  const parts: string[] = [];
  if (req.dimensions.includes('dayType')) parts.push(dayType);
  if (req.dimensions.includes('peak')) parts.push(peak ? 'peak' : 'off-peak');
  return parts.length > 0 ? parts.join('/') : 'all';
}
