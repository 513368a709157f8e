// `npm run demo`: Crosswatch's main job end to end on embedded defaults.
// Renders a small synthetic recordings archive (the digital twin), imports
// its sites, catalogues the footage, judges every recorded window with the
// default detector, and prints per-intersection compliance beside the
// twin's ground truth. Everything lands in the embedded database under
// CROSSWATCH_DATA_DIR (default ./var), so `crosswatch serve` can show it.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../services/config.ts';
import { log } from '../services/log.ts';
import { withDatabase } from '../services/db/index.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { importSites, readSitesFile } from '../services/sites/import.ts';
import { scanFootage } from '../services/catalog/scan.ts';
import { openDetector } from '../services/window/detector.ts';
import { runWindow, type WindowReport } from '../services/window/run-window.ts';
import { startProgress } from '../services/cli/progress.ts';
import { writeArchive } from '../pipelines/sim/archive-write.ts';
import { readGroundTruth } from '../pipelines/sim/index.ts';
import { complianceRate } from '../pipelines/stats/rates.ts';
import { CATEGORIES, type Category } from '../pipelines/types.ts';

const { values } = parseArgs({
  options: {
    intersections: { type: 'string', default: '4' },
    'clips-per-day': { type: 'string', default: '3' },
    days: { type: 'string', default: '1' },
    'clip-seconds': { type: 'string', default: '40' },
    month: { type: 'string', default: '2025-03' },
    seed: { type: 'string', default: '7' },
  },
});

const config = loadConfig();
log.level = config.logLevel;
const out = (s = '') => process.stdout.write(s + '\n');

async function main(): Promise<void> {
  const started = Date.now();
  const { ffmpeg, ffprobe } = mediaBinaries(config);
  const archive = path.join(config.dataDir, 'demo', 'recordings');
  const opts = {
    intersections: Number(values.intersections),
    clipsPerDay: Number(values['clips-per-day']),
    days: Number(values.days),
    clipSeconds: Number(values['clip-seconds']),
    month: values.month!,
    seed: Number(values.seed),
  };
  out(`Crosswatch demo: ${opts.intersections} intersections, ${opts.days} day(s) x ${opts.clipsPerDay} clips of ${opts.clipSeconds} s, data in ${config.dataDir}`);

  out('\n1/4 Rendering the recordings archive with the digital twin');
  if (!existsSync(path.join(archive, 'sites.json'))) {
    const total = opts.intersections * opts.days * opts.clipsPerDay;
    const bar = startProgress(log, 'render', total, 'clips');
    await writeArchive({ ...opts, out: archive, ffmpegPath: ffmpeg, timeZone: config.defaultTimeZone, onClip: (c) => bar.tick(1, c.relPath) });
    bar.stop();
  } else out(`   reusing ${archive}`);

  const { detector, modelVersion } = await openDetector(config);
  try {
    await withDatabase(config, log, async ({ pool }) => {
      out('\n2/4 Importing sites and cataloguing footage');
      const sites = await readSitesFile(path.join(archive, 'sites.json'));
      const imported = await importSites(pool, sites, config.defaultTimeZone);
      const scan = await scanFootage(pool, archive, { ffprobe, concurrency: config.catalogConcurrency, defaultTimeZone: config.defaultTimeZone, log });
      out(`   ${sites.intersections.length} intersections (${imported.intersections.inserted} new), ${scan.files} files catalogued`);

      out('\n3/4 Judging every recorded window (decode, detect, track, rules, evidence)');
      const clips = await listClips(archive);
      const bar = startProgress(log, 'windows', clips.length, 'windows');
      const reports: { clip: Clip; report: WindowReport }[] = [];
      for (const clip of clips) {
        const report = await runWindow(
          { cameraCode: clip.camera, from: clip.start, to: new Date(clip.start.getTime() + clip.seconds * 1000) },
          { pool, detector, modelVersion, ffmpegPath: ffmpeg, evidenceDir: config.evidenceDir, sampleFps: config.sampleFps, log },
        );
        reports.push({ clip, report });
        bar.tick(1, `${clip.camera} ${report.status}`);
      }
      bar.stop();

      out('\n4/4 Compliance per intersection: Crosswatch vs the twin\'s ground truth');
      await printComparison(reports);
      const footage = reports.reduce((s, r) => s + r.report.coveredSeconds, 0);
      const processing = reports.reduce((s, r) => s + r.report.durationMs, 0) / 1000;
      out(`\n${reports.length} windows, ${(footage / 60).toFixed(1)} min of footage judged in ${processing.toFixed(1)} s (${(footage / processing).toFixed(1)}x realtime); demo took ${((Date.now() - started) / 1000).toFixed(0)} s.`);
      out(`Evidence images: ${config.evidenceDir}`);
    });
  } finally {
    await detector.close();
  }
}

interface Clip {
  camera: string;
  start: Date;
  seconds: number;
  groundTruth: string;
}

/** Every clip of the archive, with its start from the ground truth (UTC). */
async function listClips(root: string): Promise<Clip[]> {
  const clips: Clip[] = [];
  for (const camera of (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory())) {
    for (const day of await readdir(path.join(root, camera.name))) {
      for (const f of (await readdir(path.join(root, camera.name, day))).filter((n) => n.endsWith('.gt.json.gz'))) {
        const file = path.join(root, camera.name, day, f);
        const gt = await readGroundTruth(file);
        clips.push({ camera: camera.name, start: new Date(gt.start), seconds: gt.frameCount / gt.fps, groundTruth: file });
      }
    }
  }
  return clips.sort((a, b) => a.camera.localeCompare(b.camera) || a.start.getTime() - b.start.getTime());
}

async function printComparison(reports: { clip: Clip; report: WindowReport }[]): Promise<void> {
  const byCamera = new Map<string, { found: Record<Category, [number, number]>; truth: Record<Category, [number, number]>; seconds: number; failed: number }>();
  for (const { clip, report } of reports) {
    const gt = await readGroundTruth(clip.groundTruth);
    const row = byCamera.get(clip.camera) ?? {
      found: Object.fromEntries(CATEGORIES.map((c) => [c, [0, 0]])) as Record<Category, [number, number]>,
      truth: Object.fromEntries(CATEGORIES.map((c) => [c, [0, 0]])) as Record<Category, [number, number]>,
      seconds: 0,
      failed: 0,
    };
    if (report.status === 'failed') row.failed++;
    row.seconds += report.coveredSeconds;
    for (const c of CATEGORIES) {
      row.found[c][0] += report.counts?.[c].exposures ?? 0;
      row.found[c][1] += report.counts?.[c].violations ?? 0;
      row.truth[c][0] += gt.counts[c].exposures;
      row.truth[c][1] += gt.counts[c].violations;
    }
    byCamera.set(clip.camera, row);
  }
  const pct = (e: number, v: number) => {
    const r = complianceRate(e, v, 0);
    return r.rate === null ? '   n/a' : `${(100 * r.rate).toFixed(1).padStart(5)}% [${(100 * r.interval!.low).toFixed(0)}-${(100 * r.interval!.high).toFixed(0)}%]`;
  };
  out('camera       category              found viol/exp  compliance (95% CI)   truth viol/exp  compliance');
  for (const [camera, row] of byCamera) {
    for (const c of CATEGORIES) {
      const [fe, fv] = row.found[c];
      const [te, tv] = row.truth[c];
      out(`${camera.padEnd(12)} ${c.padEnd(20)} ${`${fv}/${fe}`.padStart(14)}  ${pct(fe, fv).padEnd(20)} ${`${tv}/${te}`.padStart(14)}  ${pct(te, tv)}`);
    }
    out(`${''.padEnd(12)} footage ${(row.seconds / 60).toFixed(1)} min${row.failed ? `, ${row.failed} window(s) failed` : ''}`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  log.error({ err }, 'demo failed');
  process.exitCode = 1;
});
