// Clips on disk: real ffmpeg, decoded back with ffprobe; the sidecar and the
// sites file next to them.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Value } from '@sinclair/typebox/value';
import { loadConfig } from '../../../services/config.ts';
import { mediaBinaries } from '../../../services/media/binaries.ts';
import { SitesSchema } from '../../../pipelines/sites/schema.ts';
import { writeClip, type GroundTruth } from '../../../pipelines/sim/index.ts';

const { ffmpeg, ffprobe } = mediaBinaries(loadConfig());
const dir = mkdtempSync(path.join(tmpdir(), 'sim-clip-test-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

function probe(file: string): { width: number; height: number; fps: string; frames: number; duration: number } {
  const out = execFileSync(ffprobe, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,r_frame_rate,nb_read_frames:format=duration', '-of', 'json', file], { encoding: 'utf8' });
  const j = JSON.parse(out) as { streams: { width: number; height: number; r_frame_rate: string; nb_read_frames: string }[]; format: { duration: string } };
  const s = j.streams[0]!;
  return { width: s.width, height: s.height, fps: s.r_frame_rate, frames: Number(s.nb_read_frames), duration: Number(j.format.duration) };
}

const CASES = [
  { name: 'day 720p 25 fps', seconds: 2, conditions: 'day', width: 1280, height: 720, fps: 25 },
  { name: 'night rain 1080p 15 fps', seconds: 2, conditions: 'night,rain,shake', width: 1920, height: 1080, fps: 15 },
];

for (const c of CASES) {
  t.test(`a ${c.name} clip decodes to its stated size, rate and length`, async (t) => {
    const out = path.join(dir, c.name.replace(/\W+/g, '-'));
    const w = await writeClip({ seed: 9, seconds: c.seconds, conditions: c.conditions, width: c.width, height: c.height, fps: c.fps, out, ffmpegPath: ffmpeg });
    const p = probe(w.video);
    t.equal(p.width, c.width);
    t.equal(p.height, c.height);
    t.equal(p.fps, `${c.fps}/1`);
    t.equal(p.frames, c.seconds * c.fps);
    t.ok(Math.abs(p.duration - c.seconds) < 0.1, `duration ${p.duration}`);
    const gt = JSON.parse(gunzipSync(readFileSync(w.groundTruth)).toString('utf8')) as GroundTruth;
    t.equal(gt.format, 'crosswatch-gt/1');
    t.equal(gt.frameCount, p.frames);
    t.equal(gt.frames.length, p.frames);
    t.same([gt.width, gt.height, gt.fps], [c.width, c.height, c.fps]);
    t.same(gt.conditions.slice(0, 1), [c.conditions.split(',')[0]]);
    const sites = JSON.parse(readFileSync(w.sites!, 'utf8'));
    t.ok(Value.Check(SitesSchema, sites), 'sites file matches the schema');
    t.equal(sites.intersections[0].cameras[0].code, gt.cameraCode);
  });
}

t.test('an encode that fails midway rejects and leaves nothing under the clip\'s names', async (t) => {
  const sub = mkdtempSync(path.join(dir, 'fail-'));
  // x264 refuses the preset when ffmpeg opens the encoder, after the first frames are in the pipe.
  await t.rejects(writeClip({ seed: 9, seconds: 2, width: 320, height: 180, fps: 10, out: path.join(sub, 'broken'), ffmpegPath: ffmpeg, preset: 'no-such-preset' }), /ffmpeg failed writing/);
  t.same(readdirSync(sub), [], 'no video, ground truth, sites file or partial left');
});
