// Fixtures for the batch tests: twin clips in the NVR layout with their
// calibrated sites, and a detector model that sees nothing (the queue tests
// are about jobs, not detections), written to a temp folder.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeClip } from '../../../pipelines/sim/index.ts';
import type { SitesFile } from '../../../pipelines/sites/schema.ts';
import { crosswatchModel } from '../../pipelines/detect/layout-models.ts';
import { binaries } from '../../helpers/clips.ts';

export interface TwinCamera {
  seed: number;
  cameraCode: string;
  intersectionCode: string;
}

/**
 * One rendered clip per camera (320×180, 10 fps), copied to each local time
 * of `date`: ROOT/<camera>/<date>/<HH-MM-SS>.mp4. Returns the sites of all
 * cameras (calibrated for that size) and the files written.
 */
export async function twinFootage(root: string, o: { cameras: TwinCamera[]; date: string; times: string[]; seconds: number; timeZone?: string }): Promise<{ sites: SitesFile; files: string[] }> {
  const files: string[] = [];
  const intersections: SitesFile['intersections'] = [];
  for (const cam of o.cameras) {
    const dir = path.join(root, cam.cameraCode, o.date);
    mkdirSync(dir, { recursive: true });
    const clip = await writeClip({
      out: path.join(root, '.renders', cam.cameraCode),
      ffmpegPath: binaries.ffmpeg,
      seed: cam.seed,
      seconds: o.seconds,
      width: 320,
      height: 180,
      fps: 10,
      cameraCode: cam.cameraCode,
      intersectionCode: cam.intersectionCode,
      timeZone: o.timeZone ?? 'Asia/Shanghai',
      preset: 'ultrafast',
      writeSites: false,
    });
    for (const time of o.times) {
      const file = path.join(dir, `${time}.mp4`);
      copyFileSync(clip.video, file);
      files.push(file);
    }
    intersections.push(...clip.clip.sites.intersections);
  }
  return { sites: { format: 'crosswatch-sites/1', intersections }, files };
}

/** A crosswatch-layout ONNX model with no detections, for windows that only need to run. */
export function nullModel(dir: string): string {
  const file = path.join(dir, 'null-detector.onnx');
  writeFileSync(file, crosswatchModel([]));
  return file;
}
