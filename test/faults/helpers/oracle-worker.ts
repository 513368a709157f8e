// A window worker process for the fault suite: the same composition as
// `crosswatch worker` (services/queue/worker.ts over the configured database,
// pg-boss with supervision, the real window pipeline, ffmpeg and evidence
// writing), with the oracle detector in place of the model's detections.
//   env: the usual CROSSWATCH_* / DATABASE_URL settings, CW_ORACLE_GT (ground truth file),
//        CROSSWATCH_FAULT (services/window/faults.ts) to crash at a chosen point.
import { loadConfig } from '../../../services/config.ts';
import { openDatabase } from '../../../services/db/index.ts';
import { log } from '../../../services/log.ts';
import { mediaBinaries } from '../../../services/media/binaries.ts';
import { openBoss } from '../../../services/queue/boss.ts';
import { startWindowWorker } from '../../../services/queue/worker.ts';
import { openDetector } from '../../../services/window/detector.ts';
import { oracleDetector } from './oracle.ts';
import { oracleSegments } from './footage.ts';

const config = loadConfig();
log.level = config.logLevel;
const real = await openDetector(config);
const db = await openDatabase(config, log, { handleSignals: false });
const detector = oracleDetector(real.detector, await oracleSegments(db.pool, process.env['CW_ORACLE_GT']!));
const boss = await openBoss(db.url, log, { worker: true, maintenanceIntervalSeconds: 1 });
const worker = await startWindowWorker({
  pool: db.pool,
  boss,
  detector,
  modelVersion: real.modelVersion,
  ffmpegPath: mediaBinaries(config).ffmpeg,
  evidenceDir: config.evidenceDir,
  sampleFps: config.sampleFps,
  log,
  concurrency: 1,
  pollSeconds: config.workerPollSeconds,
});
process.stdout.write(`oracle worker ${worker.name} ready\n`);
const stop = async () => {
  await worker.stop(2000);
  await real.detector.close();
  await db.close();
  process.stdout.write(`oracle worker stopped: ${worker.finished()} window(s) finished\n`);
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
