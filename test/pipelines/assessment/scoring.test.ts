import t from 'tap';
import { DEFAULT_SCORING_RULE, parseScoringRule, passes, scoreOf, windowDeduction } from '../../../pipelines/assessment/index.ts';
import { CrosswatchError } from '../../../pipelines/errors.ts';

t.test('defaults fill what is left out; deductions replace the table', async (t) => {
  t.same(parseScoringRule({}), DEFAULT_SCORING_RULE);
  const r = parseScoringRule({ deductions: { jaywalk: 3 }, passMark: 90 });
  t.same(r.deductions, { jaywalk: 3 });
  t.equal(r.passMark, 90);
  t.equal(r.start, 100);
});

t.test('every problem names its field, one row per case', async (t) => {
  const rows: [unknown, string][] = [
    [null, '/rule: expected an object'],
    [{ start: 'a hundred' }, '/rule/start: expected a finite number'],
    [{ deductions: { red_light: -1 } }, '/rule/deductions/red_light: expected points >= 0'],
    [{ deductions: { speeding: 1 } }, '/rule/deductions/speeding: not a category'],
    [{ deductions: [1, 2] }, '/rule/deductions: expected { category: points }'],
    [{ capPerWindow: 0 }, '/rule/capPerWindow: expected a number > 0 or null'],
    [{ floor: 120 }, '/rule/floor: must not exceed start (100), got 120'],
    [{ passMark: 120 }, '/rule/passMark: must lie between floor (0) and start (100), got 120'],
    [{ passmark: 60 }, '/rule/passmark: unknown setting'],
  ];
  for (const [input, want] of rows) {
    const err = t.throws(() => parseScoringRule(input)) as CrosswatchError;
    t.equal(err.code, 'ASSESSMENT_INVALID');
    t.ok(err.message.includes(want), `${JSON.stringify(input)}: ${err.message}`);
  }
});

t.test('window deduction, cap, floor and an exact pass mark', async (t) => {
  const rule = parseScoringRule({ deductions: { red_light: 2, jaywalk: 0.1 }, capPerWindow: 5, floor: 40, passMark: 80 });
  t.equal(windowDeduction({ red_light: { violations: 1 }, jaywalk: { violations: 3 } }, rule), 2.3);
  t.equal(windowDeduction({ red_light: { violations: 4 } }, rule), 5, 'capped');
  t.equal(scoreOf(100, rule), 40, 'floored');
  // 200 x 0.1 is 20.000000000000004 in floating point: still exactly the pass mark.
  let total = 0;
  for (let i = 0; i < 200; i++) total += 0.1;
  t.equal(scoreOf(total, rule), 80);
  t.ok(passes(scoreOf(total, rule), rule));
});
