// Where a window's time goes, without the database: processWindow (decode,
// detect, signals, tracker, rules) and composeWindowEvidence timed apart on
// the benchmark's twin clip, with the machine's load beside each figure.
//
//   node --import tsx scripts/bench-phases.ts [--seconds 60] [--reps 3] [--dir var/bench] [--model PATH]
//                                             [--archive on|off|both] [--ort-threads N]
//   node --cpu-prof --cpu-prof-dir var/prof --import tsx scripts/bench-phases.ts --seconds 60 --reps 1
//
// Needs the clip `npm run bench` renders (var/bench/twin-1280x720-…).
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadDetectorInWorker } from '../pipelines/detect/index.ts';
import type { FootageSegment } from '../pipelines/decode/index.ts';
import { processWindow } from '../pipelines/window/process-window.ts';
import { composeWindowEvidence } from '../pipelines/window/evidence.ts';
import { loadConfig } from '../services/config.ts';
import { mediaBinaries } from '../services/media/binaries.ts';
import { median, round } from './bench-lib.ts';
import { clipCalibration, clipMeta, ensureClip, PROJECT_ROOT } from './bench-fixture.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    reps: { type: 'string', default: '3' },
    dir: { type: 'string' },
    model: { type: 'string' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '720' },
    // on: evidence frames from the window's decode (default); off: every evidence frame by seeking; both: alternate, off first.
    archive: { type: 'string', default: 'on' },
    'ort-threads': { type: 'string' },
  },
});
const config = loadConfig();
const { ffmpeg } = mediaBinaries(config);
const seconds = Number(values.seconds);
const reps = Number(values.reps);
const dir = path.resolve(values.dir ?? path.join(PROJECT_ROOT, 'var', 'bench'));
const clip = await ensureClip(dir, Number(values.width), Number(values.height), seconds, (l) => process.stderr.write(l + '\n'));
const meta = await clipMeta(clip);
const calibration = await clipCalibration(clip, meta.cameraCode);
const t0 = meta.start.getTime();
const segments: FootageSegment[] = [{ path: clip.video, startsAt: t0, endsAt: t0 + clip.seconds * 1000, fps: clip.fps, width: clip.width, height: clip.height }];
const detector = await loadDetectorInWorker(path.resolve(values.model ?? config.modelPath), values['ort-threads'] ? { intraOpNumThreads: Number(values['ort-threads']) } : {});
/** CPU seconds per thread (/proc/self/task): the main thread, the rest by name and id. */
const threadCpu = (): Map<string, number> => {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      const name = tid === String(process.pid) ? 'main' : `${comm}:${tid}`;
      const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended
    }
  }
  return out;
};
const load = () => os.loadavg()[0]!.toFixed(2);
/** CPU seconds of this process (all threads) and of its waited-for children (ffmpeg): load-independent, unlike wall time. */
const cpu = () => {
  const u = process.cpuUsage();
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const tick = 100;
  return { self: (u.user + u.system) / 1e6, children: (Number(f[13]) + Number(f[14])) / tick };
};
const rows: { archive: boolean; window_s: number; evidence_s: number; violations: number; rss_mb: number; cpu_s: number }[] = [];
try {
  for (let r = 0; r < reps * (values.archive === 'both' ? 2 : 1); r++) {
    const archiveOn = values.archive === 'both' ? r % 2 === 1 : values.archive !== 'off';
    const a = performance.now();
    const ta = threadCpu();
    const ca = cpu();
    const la = load();
    const outcome = await processWindow({
      cameraCode: meta.cameraCode,
      calibration,
      resolution: { width: clip.width, height: clip.height },
      t0,
      t1: t0 + seconds * 1000,
      segments,
      detector,
      ffmpegPath: ffmpeg,
      sampleFps: config.sampleFps,
      ...(archiveOn ? {} : { evidenceArchive: false as const }),
    });
    const b = performance.now();
    const cb = cpu();
    const tb = threadCpu();
    const evidence = await composeWindowEvidence(outcome, { cameraCode: meta.cameraCode, timeZone: meta.timeZone, windowId: 'bench', calibration, segments, ffmpegPath: ffmpeg });
    const c = performance.now();
    const cc = cpu();
    const cpuLine = `cpu: window ${(cb.self - ca.self).toFixed(1)} s node + ${(cb.children - ca.children).toFixed(1)} s ffmpeg, evidence ${(cc.self - cb.self).toFixed(1)} s node + ${(cc.children - cb.children).toFixed(1)} s ffmpeg`;
    const row = { archive: archiveOn, window_s: round((b - a) / 1000), evidence_s: round((c - b) / 1000), violations: evidence.length, rss_mb: round(process.memoryUsage.rss() / 2 ** 20, 1), cpu_s: round(cc.self - ca.self + cc.children - ca.children, 2) };
    const perThread = [...tb].map(([k, v]) => [k, v - (ta.get(k) ?? 0)] as const).filter(([, v]) => v >= 0.1).sort((x, y) => y[1] - x[1]);
    const fromDecode = evidence.reduce((n, e) => n + e.fromDecode, 0);
    rows.push(row);
    console.log(`rep ${r + 1} (archive ${archiveOn ? 'on' : 'off'}, ${fromDecode}/${3 * evidence.length} moments from the decode): processWindow ${row.window_s} s, evidence ${row.evidence_s} s for ${row.violations} violation(s), ${outcome.framesAnalysed} frames, rss ${row.rss_mb} MB; ${cpuLine} (window by thread: ${perThread.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}); load ${la} → ${load()}`);
  }
} finally {
  await detector.close();
}
for (const on of [false, true]) {
  const rs = rows.filter((r) => r.archive === on);
  if (rs.length === 0) continue;
  const m = (f: (r: (typeof rs)[number]) => number) => round(median(rs.map(f)), 2);
  console.log(`archive ${on ? 'on ' : 'off'}, median of ${rs.length}: processWindow ${m((r) => r.window_s)} s, evidence ${m((r) => r.evidence_s)} s, CPU ${m((r) => r.cpu_s)} s (${seconds} s of ${clip.width}x${clip.height})`);
}
console.log(`${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
