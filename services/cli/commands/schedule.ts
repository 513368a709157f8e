// `crosswatch schedule`: register (or with CROSSWATCH_NIGHTLY_CRON=off remove)
// the nightly cron; `--run-now [--date D]` plans and queues a night at once.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { withQueue } from '../../queue/open.ts';
import { nightlyZone, previousLocalDay, registerNightly, runNightly } from '../../scheduler/nightly.ts';
import { stringOpt, type Command } from '../command.ts';
import { formatTable } from './sites.ts';

export const scheduleCommand: Command = {
  name: 'schedule',
  summary: 'Register the nightly cron (plan K windows per camera from the previous day and queue them); --run-now does one night at once',
  usage: '[--run-now [--date YYYY-MM-DD]] [--json]',
  options: { 'run-now': { type: 'boolean' }, date: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const runNow = args.values['run-now'] === true;
    const dateOpt = stringOpt(args, 'date');
    if (dateOpt !== undefined && !runNow) throw new CrosswatchError('USAGE', '--date goes with --run-now');
    const zone = nightlyZone(config);
    const result = await withQueue(config, log, async (db, boss) => {
      const schedule = await registerNightly(boss, config, log);
      if (!runNow) return { schedule, night: null };
      const date = dateOpt ?? previousLocalDay(zone, Date.now());
      return { schedule, night: await runNightly(db.pool, boss, config, date, log) };
    });
    if (args.values['json'] === true) {
      out(JSON.stringify({ schedule: result.schedule, night: result.night && { ...result.night.plan, run: result.night.run && Number(result.night.run.run.id), queued: result.night.run?.queued ?? 0 } }, null, 2));
      return 0;
    }
    const lines = [
      result.schedule.cron === null
        ? 'Nightly schedule removed (CROSSWATCH_NIGHTLY_CRON=off).'
        : `Nightly schedule: "${result.schedule.cron}" in ${result.schedule.timeZone}; ${config.nightlyWindowsPerCamera} window(s) of ${config.windowMinutes} min per camera from the previous day, hours ${config.nightlyHours}. Workers (crosswatch worker) fire and process it.`,
    ];
    const night = result.night;
    if (night) {
      const p = night.plan;
      lines.push('', `Night ${p.date}: plan ${p.planId}${p.created ? '' : ' (already planned)'}, ${p.windows} window(s) from ${p.cameras.length} camera(s)`);
      lines.push(formatTable(['camera', 'intersection', 'eligible (h)', 'room (windows)', 'drawn (windows)'], p.cameras.map((c) => [c.cameraCode, c.intersectionCode, c.eligibleHours.toFixed(2), String(c.maxWindows), `${c.drawn} of ${c.asked}`])));
      lines.push(night.run ? `Run ${night.run.run.id}: ${night.run.queued} window(s) queued now, ${night.run.alreadyQueued} before. Follow it: crosswatch run status ${night.run.run.id} --watch` : 'Nothing to queue: no footage inside the hours that day.');
    }
    out(lines.join('\n'));
    return 0;
  },
};
