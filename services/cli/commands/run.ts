// `crosswatch run --plan ID`: queue a plan's windows for the workers.
// `crosswatch run status ID [--watch]`: where the run stands.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { withDatabase } from '../../db/index.ts';
import { startRun } from '../../queue/enqueue.ts';
import { withQueue } from '../../queue/open.ts';
import { runStatus, type RunStatus } from '../../queue/status.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';
import { startProgress } from '../progress.ts';

export const runCommand: Command = {
  name: 'run',
  summary: "Queue a plan's windows as pg-boss jobs for the workers (once per plan: repeating it queues nothing new)",
  usage: '--plan ID [--json]',
  options: { plan: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    if (args.positionals.length > 0) throw new CrosswatchError('USAGE', `unexpected ${JSON.stringify(args.positionals.join(' '))}\nusage: crosswatch run --plan ID, or crosswatch run status ID`);
    const planId = stringOpt(args, 'plan', true);
    if (!/^\d{1,18}$/.test(planId)) throw new CrosswatchError('USAGE', `--plan expects a plan id (a positive integer), got ${JSON.stringify(planId)}`);
    const started = await withQueue(config, log, (db, boss) => startRun(db.pool, boss, planId, config));
    if (args.values['json'] === true) {
      out(JSON.stringify({ run: Number(started.run.id), plan: Number(planId), created: started.created, queued: started.queued, already_queued: started.alreadyQueued, total: started.total }, null, 2));
      return 0;
    }
    const what = started.created ? `Run ${started.run.id} of plan ${planId} created` : `Plan ${planId} already has run ${started.run.id} (${started.run.status})`;
    out(
      [
        `${what}: ${started.queued} window(s) queued now, ${started.alreadyQueued} queued before, ${started.total} in the plan.`,
        `Workers process it: crosswatch worker [--concurrency K]   (as many as you like, on any machine with this database)`,
        `Follow it: crosswatch run status ${started.run.id} --watch`,
      ].join('\n'),
    );
    return 0;
  },
};

export const runStatusCommand: Command = {
  name: 'run status',
  summary: 'Show a run: windows done, failed, running and queued, footage hours per wall hour, time left; --watch follows it with a progress bar',
  usage: 'ID [--watch] [--interval SECONDS] [--json]',
  options: { watch: { type: 'boolean' }, interval: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const id = args.positionals[0];
    if (!id || args.positionals.length > 1) throw new CrosswatchError('USAGE', 'expects one run id\nusage: crosswatch run status ID [--watch]');
    const intervalMs = numberOpt(args, 'interval', { default: 2, min: 0.2, max: 3600 }) * 1000;
    const status = await withDatabase(config, log, async (db) => {
      let s = await runStatus(db.pool, id);
      if (args.values['watch'] !== true || s.status === 'done') return s;
      const progress = startProgress(log, `run ${id}`, s.windows.total, 'windows');
      let shown = 0;
      const show = (x: RunStatus) => {
        const finished = x.windows.done + x.windows.failed;
        progress.tick(finished - shown, `${x.windows.failed} failed, ${x.windows.running} running, ${x.etaSeconds === null ? 'eta n/a' : `${duration(x.etaSeconds)} left`}`);
        shown = finished;
      };
      try {
        show(s);
        while (s.status !== 'done') {
          await new Promise((r) => setTimeout(r, intervalMs));
          s = await runStatus(db.pool, id);
          show(s);
        }
      } finally {
        progress.stop();
      }
      return s;
    });
    out(args.values['json'] === true ? JSON.stringify(statusJson(status), null, 2) : formatStatus(status));
    return 0;
  },
};

export function statusJson(s: RunStatus) {
  return {
    run: Number(s.id),
    plan: s.planId === null ? null : Number(s.planId),
    kind: s.kind,
    status: s.status,
    reason: s.reason,
    windows: s.windows,
    covered_hours: s.coveredSeconds / 3600,
    planned_hours: s.plannedSeconds / 3600,
    wall_hours: s.wallSeconds / 3600,
    footage_hours_per_wall_hour: s.footageHoursPerWallHour,
    eta_seconds: s.etaSeconds,
    rate_based_on_windows: s.finishedWindows,
    started_at: s.startedAt?.toISOString() ?? null,
    finished_at: s.finishedAt?.toISOString() ?? null,
    failures: s.failures.map((f) => ({ seq: f.seq, camera: f.cameraCode, from: f.startsAt.toISOString(), attempts: f.attempts, reason: f.reason })),
  };
}

export function formatStatus(s: RunStatus): string {
  const w = s.windows;
  const lines = [
    `Run ${s.id} (plan ${s.planId ?? '-'}, ${s.kind}): ${s.status}${s.reason ? ` (${s.reason})` : ''}`,
    `windows: ${w.total} total: ${w.done} done, ${w.failed} failed, ${w.running} running, ${w.queued} pending`,
    `footage: ${hours(s.coveredSeconds)} h covered by the done windows, of ${hours(s.plannedSeconds)} h planned`,
  ];
  if (s.footageHoursPerWallHour === null) lines.push('throughput: n/a (no window finished yet)');
  else lines.push(`throughput: ${s.footageHoursPerWallHour.toFixed(2)} h of footage per hour of wall time (${s.finishedWindows} windows finished in ${duration(s.wallSeconds)})`);
  if (s.status !== 'done') lines.push(s.etaSeconds === null ? 'time left: n/a until a window finishes' : `time left: about ${duration(s.etaSeconds)} at the rate so far (from ${s.finishedWindows} finished windows)`);
  if (s.failures.length > 0) {
    lines.push(`failed windows (${w.failed}${w.failed > s.failures.length ? `, first ${s.failures.length} shown` : ''}):`);
    for (const f of s.failures) lines.push(`  #${f.seq} ${f.cameraCode} at ${f.startsAt.toISOString()} (${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.reason}`);
  }
  return lines.join('\n');
}

function hours(seconds: number): string {
  return (seconds / 3600).toFixed(seconds < 3600 ? 3 : 2);
}

export function duration(seconds: number): string {
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
