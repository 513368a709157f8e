// `crosswatch worker`: process queued windows until stopped (SIGINT/SIGTERM:
// finish the windows in progress, then exit; a second signal aborts them and
// pg-boss gives them to another worker). Also registers and serves the
// nightly schedule unless --skip-nightly.
import { openDatabase } from '../../db/index.ts';
import { mediaBinaries } from '../../media/binaries.ts';
import { openBoss, QUEUES } from '../../queue/boss.ts';
import { refreshAfterRun } from '../../queue/after-run.ts';
import { startWindowWorker } from '../../queue/worker.ts';
import { registerNightly, workNightly } from '../../scheduler/nightly.ts';
import { openDetector } from '../../window/detector.ts';
import { numberOpt, type Command } from '../command.ts';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Process queued windows (pg-boss jobs) with one detector shared by K windows at once; serves the nightly schedule too',
  usage: '[--concurrency K] [--exit-when-idle] [--skip-nightly] [--drain SECONDS]',
  options: { concurrency: { type: 'string' }, 'exit-when-idle': { type: 'boolean' }, 'skip-nightly': { type: 'boolean' }, drain: { type: 'string' } },
  async run(args, { config, log, out }) {
    const concurrency = numberOpt(args, 'concurrency', { default: config.workerConcurrency, min: 1, max: 64, integer: true });
    const drainMs = numberOpt(args, 'drain', { default: 60, min: 0, max: 86_400 }) * 1000;
    const { ffmpeg } = mediaBinaries(config);
    // The model first: a missing model file fails here, before any job is taken.
    const { detector, modelVersion, threads } = await openDetector(config, { windowsAtOnce: concurrency });
    const db = await openDatabase(config, log, { handleSignals: false }).catch(async (err) => {
      await detector.close();
      throw err;
    });
    let finished = 0;
    try {
      // Lost jobs (a worker killed mid-window) are found by maintenance: look a few times per expiry period.
      const maintenanceIntervalSeconds = Math.max(1, Math.min(120, Math.floor(config.jobExpireSeconds / 4)));
      const boss = await openBoss(db.url, log, { worker: true, maintenanceIntervalSeconds });
      if (args.values['skip-nightly'] !== true) {
        await registerNightly(boss, config, log);
        await workNightly(db.pool, boss, config, log, config.workerPollSeconds);
      }
      const worker = await startWindowWorker({
        pool: db.pool,
        boss,
        detector,
        modelVersion,
        ffmpegPath: ffmpeg,
        evidenceDir: config.evidenceDir,
        sampleFps: config.sampleFps,
        log,
        concurrency,
        pollSeconds: config.workerPollSeconds,
        onRunFinished: async (runId) => void (await refreshAfterRun(db.pool, runId, log)),
      });
      out(`worker ${worker.name}: ${concurrency} window(s) at once, model ${modelVersion} on ${threads} ONNX Runtime thread(s)${args.values['exit-when-idle'] === true ? ', exits when the queue is empty' : ''}`);
      const idle = args.values['exit-when-idle'] === true ? async () => worker.busy() === 0 && (await queued(boss)) === 0 : null;
      const stop = untilStopped(() => worker.abort(), idle, config.workerPollSeconds * 1000);
      try {
        const reason = await stop.reason;
        log.info({ reason, busy: worker.busy() }, 'worker stopping');
        await worker.stop(drainMs);
      } finally {
        stop.dispose();
      }
      finished = worker.finished();
    } finally {
      await detector.close().catch(() => undefined);
      await db.close();
    }
    out(`worker stopped: ${finished} window(s) finished by this process`);
    return 0;
  },
};

/** Jobs not yet finished in the window queues (created, retry or active). */
async function queued(boss: Awaited<ReturnType<typeof openBoss>>): Promise<number> {
  const [a, b] = await Promise.all([boss.getQueueSize(QUEUES.window, { before: 'completed' }), boss.getQueueSize(QUEUES.windowFailed, { before: 'completed' })]);
  return a + b;
}

/**
 * `reason` resolves on the first SIGINT/SIGTERM (a second one calls `abort`),
 * or when `idle` holds twice in a row (two checks, so a job between fetches
 * is seen). pg-boss takes no signals itself; dispose() removes ours.
 */
function untilStopped(abort: () => void, idle: (() => Promise<boolean>) | null, checkMs: number): { reason: Promise<string>; dispose(): void } {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const reason = new Promise<string>((resolve) => {
    onSignal = (signal) => {
      if (stopping) return abort();
      stopping = true;
      clearTimeout(timer);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (!idle) return;
    let idleChecks = 0;
    const check = async () => {
      if (stopping) return;
      idleChecks = (await idle().catch(() => false)) ? idleChecks + 1 : 0;
      if (idleChecks >= 2) {
        stopping = true;
        resolve('idle');
        return;
      }
      timer = setTimeout(check, checkMs);
    };
    timer = setTimeout(check, checkMs);
  });
  return {
    reason,
    dispose() {
      clearTimeout(timer);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
