import t from 'tap';
import { dayBounds, dayClock, instantOf, isTimeZone, localDateAt, offsetAt, wallTimeAt, weekdayAt } from '../../../pipelines/time/zone.ts';

const H = 3_600_000;
const utc = (y: number, mo: number, d: number, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);

t.test('Asia/Shanghai is UTC+8 all year', async (t) => {
  t.equal(instantOf('Asia/Shanghai', { year: 2024, month: 5, day: 1, hour: 7 }), utc(2024, 4, 30, 23));
  t.equal(offsetAt('Asia/Shanghai', utc(2024, 1, 15)), 8 * H);
  t.equal(offsetAt('Asia/Shanghai', utc(2024, 7, 15)), 8 * H);
  const b = dayBounds('Asia/Shanghai', { year: 2024, month: 5, day: 1 });
  t.equal(b.to - b.from, 24 * H);
  t.equal(localDateAt('Asia/Shanghai', utc(2024, 4, 30, 16)), '2024-05-01', '16:00 UTC is midnight in Shanghai');
  t.equal(weekdayAt('Asia/Shanghai', utc(2024, 5, 4, 17)), 0, 'Saturday 17:00 UTC is Sunday in Shanghai');
});

t.test('Europe/Berlin spring forward: the gap maps to the transition', async (t) => {
  const day = { year: 2024, month: 3, day: 31 };
  const rows: [number, number, number][] = [
    // wall hour, minute -> UTC instant
    [1, 0, utc(2024, 3, 31, 0)],
    [2, 0, utc(2024, 3, 31, 1)],
    [2, 30, utc(2024, 3, 31, 1)],
    [3, 0, utc(2024, 3, 31, 1)],
    [3, 30, utc(2024, 3, 31, 1, 30)],
    [12, 0, utc(2024, 3, 31, 10)],
  ];
  for (const [hour, minute, want] of rows) t.equal(instantOf('Europe/Berlin', { ...day, hour, minute }), want, `${hour}:${minute}`);
  const b = dayBounds('Europe/Berlin', day);
  t.equal(b.to - b.from, 23 * H, 'a 23-hour day');
});

t.test('Europe/Berlin fall back: the fold maps to the earlier instant', async (t) => {
  const day = { year: 2024, month: 10, day: 27 };
  t.equal(instantOf('Europe/Berlin', { ...day, hour: 2, minute: 30 }), utc(2024, 10, 27, 0, 30));
  t.equal(instantOf('Europe/Berlin', { ...day, hour: 3 }), utc(2024, 10, 27, 2));
  const b = dayBounds('Europe/Berlin', day);
  t.equal(b.to - b.from, 25 * H, 'a 25-hour day');
});

t.test('America/Sao_Paulo 2018: midnight in the gap starts the day at 01:00', async (t) => {
  // Clocks went from 00:00 to 01:00 on 2018-11-04.
  const b = dayBounds('America/Sao_Paulo', { year: 2018, month: 11, day: 4 });
  t.equal(b.from, utc(2018, 11, 4, 3));
  t.equal(wallTimeAt('America/Sao_Paulo', b.from).hour, 1);
  t.equal(b.to - b.from, 23 * H);
});

t.test('round trip instant -> wall -> instant over a year of Berlin and New York', async (t) => {
  for (const zone of ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Shanghai']) {
    let bad = 0;
    for (let k = 0; k < 800; k++) {
      const instant = utc(2024, 1, 1) + Math.floor(k * 11 * H + (k * 7919) % H);
      const wall = wallTimeAt(zone, instant);
      const back = instantOf(zone, wall);
      // In a fold the earlier of the two instants comes back, one offset change away.
      const ok = back === instant || (back < instant && instant - back <= 2 * H && wallTimeAt(zone, back).hour === wall.hour);
      if (!ok) bad++;
    }
    t.equal(bad, 0, zone);
  }
});

t.test('instants across the month keep day ranges tiled', async (t) => {
  for (let d = 1; d <= 31; d++) {
    const today = dayBounds('Europe/Berlin', { year: 2024, month: 3, day: d });
    if (d < 31) t.equal(today.to, dayBounds('Europe/Berlin', { year: 2024, month: 3, day: d + 1 }).from);
  }
});

t.test('isTimeZone', async (t) => {
  t.ok(isTimeZone('Europe/Berlin'));
  t.notOk(isTimeZone('Mars/Olympus'));
});

t.test('dayClock agrees with instantOf on every day of a Berlin year', async (t) => {
  let bad = 0;
  for (let d = 0; d < 366; d++) {
    const date = new Date(Date.UTC(2024, 0, 1 + d));
    const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
    const clock = dayClock('Europe/Berlin', day);
    for (const minute of [0, 60, 120, 150, 180, 420, 1200, 1440]) if (clock(minute) !== instantOf('Europe/Berlin', { ...day, minute })) bad++;
  }
  t.equal(bad, 0);
});
