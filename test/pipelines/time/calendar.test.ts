import t from 'tap';
import { addDays, eachDate, formatDate, parseDate, parseMonth, weekdayOf } from '../../../pipelines/time/calendar.ts';

t.test('parseDate accepts real dates only', async (t) => {
  const rows: [string, boolean][] = [
    ['2024-02-29', true],
    ['2023-02-29', false],
    ['2024-13-01', false],
    ['2024-04-31', false],
    ['2024-4-01', false],
    ['2024-12-31', true],
  ];
  for (const [text, ok] of rows) t.equal(parseDate(text) !== null, ok, text);
});

t.test('parseMonth gives first and last day', async (t) => {
  const rows: [string, string | null][] = [
    ['2024-02', '2024-02-29'],
    ['2023-02', '2023-02-28'],
    ['2024-12', '2024-12-31'],
    ['2024-00', null],
    ['2024-5', null],
  ];
  for (const [text, last] of rows) {
    const m = parseMonth(text);
    t.equal(m ? formatDate(m.last) : null, last, text);
    if (m) t.equal(m.first.day, 1);
  }
});

t.test('date arithmetic crosses months and years', async (t) => {
  t.equal(formatDate(addDays({ year: 2024, month: 12, day: 31 }, 1)), '2025-01-01');
  t.equal(formatDate(addDays({ year: 2024, month: 3, day: 1 }, -1)), '2024-02-29');
  t.equal(eachDate({ year: 2024, month: 5, day: 1 }, { year: 2024, month: 5, day: 31 }).length, 31);
  t.equal(eachDate({ year: 2024, month: 5, day: 2 }, { year: 2024, month: 5, day: 1 }).length, 0);
  t.equal(weekdayOf({ year: 2024, month: 5, day: 4 }), 6, '2024-05-04 is a Saturday');
  t.equal(weekdayOf({ year: 2024, month: 5, day: 5 }), 0, '2024-05-05 is a Sunday');
});
