// What the benchmark runs on: a twin clip (rendered once, reused from the
// bench folder), and a database where that clip's site is imported and its
// footage catalogued exactly as production does it (sites import, catalog
// scan), so services/window/run-window.ts finds it like any recording.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { link, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { readGroundTruth } from '../pipelines/sim/index.ts';
import type { Calibration } from '../pipelines/sites/schema.ts';
import { wallTimeAt } from '../pipelines/time/zone.ts';
import { scanFootage } from '../services/catalog/scan.ts';
import { importSites, readSitesFile } from '../services/sites/import.ts';
import type { Logger } from '../services/log.ts';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');
export const CLIP_SEED = 1;
export const CLIP_FPS = 25;

export interface BenchClip {
  video: string;
  sites: string;
  groundTruth: string;
  width: number;
  height: number;
  fps: number;
  seconds: number;
}

export interface ClipMeta {
  start: Date;
  timeZone: string;
  cameraCode: string;
}

const clipName = (w: number, h: number, seconds: number) => `twin-${w}x${h}-${CLIP_FPS}fps-${seconds}s-seed${CLIP_SEED}`;

/** A clip of at least `seconds` at width × height in `dir`: the shortest one there, else a new render (in a child process, so its memory is not the bench's). */
export async function ensureClip(dir: string, width: number, height: number, seconds: number, log: (line: string) => void): Promise<BenchClip> {
  const want = Math.ceil(seconds);
  const re = new RegExp(`^twin-${width}x${height}-${CLIP_FPS}fps-(\\d+)s-seed${CLIP_SEED}\\.mp4$`);
  const found = existsSync(dir)
    ? readdirSync(dir)
        .map((f) => re.exec(f))
        .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) >= want)
        .map((m) => Number(m[1]))
        .sort((a, b) => a - b)
        .find((s) => existsSync(path.join(dir, `${clipName(width, height, s)}.sites.json`)))
    : undefined;
  const secs = found ?? want;
  const base = path.join(dir, clipName(width, height, secs));
  if (found === undefined) {
    log(`rendering ${base}.mp4 (${secs} s of ${width}x${height} at ${CLIP_FPS} fps; reused by later runs)`);
    await mkdir(dir, { recursive: true });
    const args = ['sim', 'clip', '--seed', String(CLIP_SEED), '--seconds', String(secs), '--out', base, '--width', String(width), '--height', String(height), '--fps', String(CLIP_FPS)];
    await runChild(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'crosswatch.js'), ...args], { LOG_LEVEL: 'warn' });
  }
  const clip = { video: `${base}.mp4`, sites: `${base}.sites.json`, groundTruth: `${base}.gt.json.gz`, width, height, fps: CLIP_FPS, seconds: secs };
  await clipMeta(clip); // here, in the parent: the case processes read the small sidecar
  return clip;
}

/**
 * Start, zone and camera of the clip. They sit in its ground truth, whose
 * parsed frames (tens of MB for 5 minutes) would stay in the heap of the
 * process that measures its RSS; so they are read once and kept beside the
 * clip as <clip>.meta.json.
 */
export async function clipMeta(clip: BenchClip): Promise<ClipMeta> {
  const sidecar = clip.groundTruth.replace(/\.gt\.json\.gz$/, '.meta.json');
  // A sidecar older than the ground truth belongs to an earlier render.
  if (existsSync(sidecar) && statSync(sidecar).mtimeMs >= statSync(clip.groundTruth).mtimeMs) {
    const m = JSON.parse(await readFile(sidecar, 'utf8')) as { start: string; timeZone: string; cameraCode: string };
    return { start: new Date(m.start), timeZone: m.timeZone, cameraCode: m.cameraCode };
  }
  const gt = await readGroundTruth(clip.groundTruth);
  const meta = { start: new Date(gt.start), timeZone: gt.timeZone, cameraCode: gt.cameraCode };
  await writeFile(sidecar, JSON.stringify(meta) + '\n');
  return meta;
}

/** The calibration of the clip's camera, from its sites file. */
export async function clipCalibration(clip: BenchClip, cameraCode: string): Promise<Calibration> {
  const sites = JSON.parse(await readFile(clip.sites, 'utf8')) as { intersections: { cameras: { code: string; calibration: Calibration }[] }[] };
  for (const i of sites.intersections) for (const c of i.cameras) if (c.code === cameraCode) return c.calibration;
  throw new Error(`${clip.sites} has no camera ${cameraCode}`);
}

/**
 * Imports the clip's sites and catalogues it as ROOT/<camera>/<date>/<time>.mp4
 * (a hard link: the catalog walks plain files only).
 */
export async function prepareFootage(pool: pg.Pool, clip: BenchClip, root: string, log: Logger, ffprobe: string): Promise<ClipMeta> {
  const meta = await clipMeta(clip);
  await importSites(pool, await readSitesFile(clip.sites), meta.timeZone);
  const w = wallTimeAt(meta.timeZone, meta.start.getTime());
  const p2 = (n: number) => String(n).padStart(2, '0');
  const dir = path.join(root, meta.cameraCode, `${w.year}-${p2(w.month)}-${p2(w.day)}`);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${p2(w.hour)}-${p2(w.minute)}-${p2(w.second)}.mp4`);
  if (!existsSync(file)) await link(clip.video, file);
  await scanFootage(pool, root, { ffprobe, concurrency: 1, defaultTimeZone: meta.timeZone, log });
  return meta;
}

export function runChild(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.slice(0, 3).join(' ')} … exited with ${code}:\n${err.slice(-3000)}`))));
  });
}
