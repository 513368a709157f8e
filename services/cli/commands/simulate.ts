// `crosswatch simulate --month YYYY-MM`: pre-assessment from the processed
// windows of the month; prints and stores expected score, 5–95% band, pass
// probability and the costliest windows per intersection and city-wide.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import type { LengthPolicy, ScoreEstimate } from '../../../pipelines/assessment/index.ts';
import { withDatabase } from '../../db/index.ts';
import { loadScoringRule } from '../../simulate/rule-file.ts';
import { simulateMonth, type Simulation } from '../../simulate/simulate.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';
import { formatTable } from './sites.ts';

export const simulateCommand: Command = {
  name: 'simulate',
  summary: "Pre-assessment: Monte Carlo of the assessors' draw over the month's processed windows (score, 5–95% band, pass probability)",
  usage: '--month YYYY-MM [--windows N] [--minutes L] [--draws D] [--seed S] [--rule FILE] [--length-policy match|thin] [--min-windows M] [--json]',
  options: {
    month: { type: 'string' },
    windows: { type: 'string' },
    minutes: { type: 'string' },
    draws: { type: 'string' },
    seed: { type: 'string' },
    rule: { type: 'string' },
    'length-policy': { type: 'string' },
    'min-windows': { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, { config, log, out }) {
    const month = stringOpt(args, 'month', true);
    const lengthPolicy = stringOpt(args, 'length-policy') ?? 'match';
    if (lengthPolicy !== 'match' && lengthPolicy !== 'thin') throw new CrosswatchError('USAGE', `--length-policy expects match or thin, got ${JSON.stringify(lengthPolicy)}`);
    const seedText = stringOpt(args, 'seed') ?? `simulate/${month}`;
    const rule = await loadScoringRule(stringOpt(args, 'rule') ?? config.scoringRuleFile);
    const minWindows = stringOpt(args, 'min-windows') === undefined ? {} : { minWindows: numberOpt(args, 'min-windows', { min: 1, integer: true }) };
    const sim = await withDatabase(config, log, (db) =>
      simulateMonth(db.pool, {
        month,
        windows: numberOpt(args, 'windows', { default: 20, min: 1, max: 10_000, integer: true }),
        windowMinutes: numberOpt(args, 'minutes', { default: config.windowMinutes, min: 0.001, max: 1440 }),
        draws: numberOpt(args, 'draws', { default: 10_000, min: 1, max: 1_000_000, integer: true }),
        seed: /^-?\d{1,15}$/.test(seedText) ? Number(seedText) : seedText,
        rule,
        lengthPolicy: lengthPolicy as LengthPolicy,
        ...minWindows,
      }),
    );
    out(args.values['json'] === true ? JSON.stringify({ id: Number(sim.id), month: sim.month, windows_found: sim.windowsFound, ...sim.assessment }, null, 2) : format(sim));
    return 0;
  },
};

function format(sim: Simulation): string {
  const a = sim.assessment;
  const p = a.parameters;
  const city = a.city;
  const lines = [
    `Pre-assessment of ${sim.month} (simulation ${sim.id}): rests on ${city.windowsUsed} processed window(s) of ${p.windowMinutes} min (${sim.windowsFound} done windows found, ${city.windowsExcluded} of other lengths left out)`,
    `assessment: ${p.windows} windows city-wide, ${p.intersectionWindows} per intersection; ${p.draws} simulated draws, seed ${p.seed}; rule: start ${p.rule.start}, floor ${p.rule.floor}, pass mark ${p.rule.passMark}, deductions ${Object.entries(p.rule.deductions).map(([c, x]) => `${c} ${x}`).join(', ')}`,
    '',
    formatTable(
      ['target', 'windows used', 'expected score (± s.e.)', '5–95% band', 'pass probability (± s.e.)', 'expected deduction'],
      [row('city', city), ...a.intersections.map((i) => (i.estimate ? row(i.intersectionCode, i.estimate) : [i.intersectionCode, '-', `refused: ${i.refusal}`, '', '', '']))],
    ),
  ];
  const costly = city.costliestWindows.filter((w) => w.expectedDeduction > 0).slice(0, 10);
  if (costly.length > 0) {
    lines.push('', 'Costliest windows city-wide (points per assessment on average):');
    lines.push(
      formatTable(
        ['window', 'intersection', 'camera', 'from (UTC)', 'points per draw', 'draws per assessment', 'expected points', 'share'],
        costly.map((w) => [w.id, w.intersectionCode, w.cameraCode ?? '', w.from === undefined ? '' : new Date(w.from).toISOString(), w.deductionPerDraw.toFixed(2), w.drawsPerAssessment.toFixed(3), w.expectedDeduction.toFixed(3), `${(100 * w.share).toFixed(1)}%`]),
      ),
    );
  }
  return lines.join('\n');
}

function row(target: string, e: ScoreEstimate): string[] {
  return [
    target,
    String(e.windowsUsed),
    `${e.expectedScore.toFixed(2)} (± ${e.scoreStdError.toFixed(2)})`,
    `${e.band.p5.toFixed(1)} – ${e.band.p95.toFixed(1)}`,
    `${(100 * e.passProbability).toFixed(1)}% (± ${(100 * e.passProbabilityStdError).toFixed(1)})`,
    e.expectedDeduction.toFixed(2),
  ];
}
