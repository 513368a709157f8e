// `crosswatch rollup [--date D | --from D --to D | --month M]`: refresh the
// daily rollups of those local days and the month-to-date ratings, print them.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { parseMonth, formatDate } from '../../../pipelines/time/calendar.ts';
import { withDatabase } from '../../db/index.ts';
import type { RatingRow } from '../../rollup/queries.ts';
import { monthRatings, refreshRollups, type RollupResult } from '../../rollup/refresh.ts';
import { previousLocalDay } from '../../scheduler/nightly.ts';
import { stringOpt, type Command } from '../command.ts';
import { formatTable } from './sites.ts';

export const rollupCommand: Command = {
  name: 'rollup',
  summary: 'Refresh daily rollups per intersection and category (default: yesterday) and the month-to-date ratings',
  usage: '[--date YYYY-MM-DD | --from YYYY-MM-DD --to YYYY-MM-DD | --month YYYY-MM] [--json]',
  options: { date: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, month: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const range = readRange(stringOpt(args, 'date'), stringOpt(args, 'from'), stringOpt(args, 'to'), stringOpt(args, 'month'), config.defaultTimeZone);
    const { result, ratings } = await withDatabase(config, log, async (db) => {
      const result = await refreshRollups(db.pool, range);
      const ratings = (await Promise.all(result.months.map((m) => monthRatings(db.pool, m)))).flat();
      return { result, ratings };
    });
    out(args.values['json'] === true ? JSON.stringify({ ...result, ratings }, null, 2) : format(result, ratings));
    return 0;
  },
};

function readRange(date?: string, from?: string, to?: string, month?: string, zone = 'UTC'): { from: string; to: string } {
  const given = [date, from ?? to, month].filter((x) => x !== undefined).length;
  if (given > 1) throw new CrosswatchError('USAGE', 'give one of --date, --from/--to or --month');
  if (month !== undefined) {
    const m = parseMonth(month);
    if (!m) throw new CrosswatchError('USAGE', `--month expects YYYY-MM, got ${JSON.stringify(month)}`);
    return { from: formatDate(m.first), to: formatDate(m.last) };
  }
  if (from !== undefined || to !== undefined) {
    if (from === undefined || to === undefined) throw new CrosswatchError('USAGE', '--from and --to go together');
    return { from, to };
  }
  const day = date ?? previousLocalDay(zone, Date.now());
  return { from: day, to: day };
}

function format(r: RollupResult, ratings: RatingRow[]): string {
  const lines = [`Rollups refreshed for ${r.from} – ${r.to}: ${r.windows} done window(s) over ${r.intersectionDays} intersection-day(s); ratings of ${r.months.join(', ')} refreshed.`];
  const all = ratings.filter((x) => x.category === 'all');
  if (all.length === 0) return [...lines, 'No processed windows in those months yet.'].join('\n');
  const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)}%`);
  lines.push('', 'Month-to-date ratings (all categories; violations after reviewers\' rejections):');
  lines.push(
    formatTable(
      ['month', 'intersection', 'through', 'windows', 'footage (h)', 'exposures (n)', 'violations', 'compliance (95% CI)', 'violations/h'],
      all.map((x) => [
        x.month,
        x.intersection_code,
        x.through_day,
        String(x.windows),
        (x.covered_seconds / 3600).toFixed(2),
        String(x.exposures),
        String(x.violations),
        x.compliance_rate === null ? 'n/a (no exposures)' : `${pct(x.compliance_rate)} (${pct(x.ci_low)}–${pct(x.ci_high)})`,
        x.violations_per_hour === null ? 'n/a' : x.violations_per_hour.toFixed(2),
      ]),
    ),
  );
  return lines.join('\n');
}
