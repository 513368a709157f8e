import t from 'tap';
import { formatHourRange, parseHourRange, sortRanges, splitByRanges } from '../../../pipelines/sampling/hours.ts';

t.test('parseHourRange, one row per case', async (t) => {
  const rows: [string, string | [number, number]][] = [
    ['07:00-20:00', [420, 1200]],
    ['00:00-24:00', [0, 1440]],
    ['22:00-24:00', [1320, 1440]],
    ['20:00-07:00', 'may not cross midnight'],
    ['07:00-07:00', 'end must be after start'],
    ['7:00-20:00', "expected 'HH:MM-HH:MM'"],
    ['24:00-24:00', 'not a time of day'],
    ['07:00-24:30', 'not a time of day'],
    ['07:60-08:00', 'not a time of day'],
  ];
  for (const [text, want] of rows) {
    const got = parseHourRange(text);
    if (typeof want === 'string') t.match(got, want, text);
    else t.same(got, { start: want[0], end: want[1] }, text);
  }
  t.equal(formatHourRange({ start: 420, end: 1440 }), '07:00-24:00');
});

t.test('overlaps are found, peak splits are exact', async (t) => {
  t.ok(sortRanges([{ start: 600, end: 700 }, { start: 0, end: 601 }]).overlap);
  t.equal(sortRanges([{ start: 600, end: 700 }, { start: 0, end: 600 }]).overlap, null);
  const pieces = splitByRanges({ start: 420, end: 1200 }, [{ start: 420, end: 540 }, { start: 1020, end: 1140 }]);
  t.same(
    pieces.map((p) => [formatHourRange(p.range), p.inside]),
    [
      ['07:00-09:00', true],
      ['09:00-17:00', false],
      ['17:00-19:00', true],
      ['19:00-20:00', false],
    ],
  );
});
