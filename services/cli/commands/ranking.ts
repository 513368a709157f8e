// `crosswatch ranking --month YYYY-MM [--by intersection|unit] [--category C]`:
// the month's ranking with bands, red and black flags, as the city office
// publishes it and as the API and dashboard serve it (services/api/figures.ts).
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { parseMonth } from '../../../pipelines/time/calendar.ts';
import { CATEGORIES, type Category } from '../../../pipelines/types.ts';
import { monthRatings, currentMonth, type RankBy } from '../../api/figures.ts';
import { withDatabase } from '../../db/index.ts';
import { stringOpt, type Command } from '../command.ts';
import { formatTable } from './sites.ts';

export const rankingCommand: Command = {
  name: 'ranking',
  summary: 'Rank intersections or responsible units for a month by compliance, with bands and red and black flags',
  usage: '[--month YYYY-MM] [--by intersection|unit] [--category CATEGORY] [--json]',
  options: { month: { type: 'string' }, by: { type: 'string' }, category: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const month = stringOpt(args, 'month') ?? currentMonth(config.defaultTimeZone);
    if (!parseMonth(month)) throw new CrosswatchError('USAGE', `--month expects YYYY-MM, got ${JSON.stringify(month)}`);
    const by = stringOpt(args, 'by') ?? 'intersection';
    if (by !== 'intersection' && by !== 'unit') throw new CrosswatchError('USAGE', `--by expects intersection or unit, got ${JSON.stringify(by)}`);
    const category = stringOpt(args, 'category');
    if (category !== undefined && !(CATEGORIES as readonly string[]).includes(category)) {
      throw new CrosswatchError('USAGE', `--category expects one of ${CATEGORIES.join(', ')}, got ${JSON.stringify(category)}`);
    }
    const rules = { minExposures: config.ratingMinExposures, flagCount: config.flagCount };
    const r = await withDatabase(config, log, (db) => monthRatings(db.pool, rules, month, by as RankBy, category as Category | undefined));
    if (args.values['json'] === true) {
      // As GET /api/ratings gives it: the database id stays inside.
      out(JSON.stringify({ ...r, items: r.items.map(({ id: _id, ...item }) => item) }, null, 2));
      return 0;
    }
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    out(`Ranking of ${by === 'unit' ? 'responsible units' : 'intersections'}, ${month}, ${category ?? 'all categories'} (violations after reviewers' rejections):`);
    out(
      formatTable(
        ['rank', by === 'unit' ? 'unit' : 'intersection', 'band', 'flag', 'compliance (95% CI)', 'exposures (n)', 'violations', 'windows'],
        r.items.map((i) => [
          i.rank === null ? '-' : String(i.rank),
          by === 'unit' ? i.key : `${i.key} ${i.name}`,
          i.band,
          i.redFlag ? 'red' : i.blackFlag ? 'black' : '',
          i.compliance.rate === null ? 'n/a' : `${pct(i.compliance.rate)} (${pct(i.compliance.interval!.low)}–${pct(i.compliance.interval!.high)})`,
          String(i.compliance.exposures),
          String(i.compliance.violations),
          String(i.windows),
        ]),
      ),
    );
    out(r.rules.text);
    return 0;
  },
};
