// Evidence from the window's own decode: on a twin clip judged with the
// ground-truth detector, every moment's frame comes from the archive (no
// seek), the JPEGs keep their layout and show the same scene as evidence
// made from full-resolution seeks, and turning the archive off (or an
// archive that lost a frame) falls back to seeks. The archive never changes
// what is judged.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { writeClip } from '../../../pipelines/sim/index.ts';
import type { Calibration } from '../../../pipelines/sites/schema.ts';
import type { FootageSegment } from '../../../pipelines/decode/index.ts';
import { processWindow, type ProcessWindowOptions, type WindowOutcome } from '../../../pipelines/window/process-window.ts';
import { composeWindowEvidence } from '../../../pipelines/window/evidence.ts';
import { oracleDetector } from '../../faults/helpers/oracle.ts';
import { binaries } from '../../helpers/clips.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-window-evidence-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));

const seconds = 16;
const written = await writeClip({
  out: path.join(tmp, 'clip'),
  ffmpegPath: binaries.ffmpeg,
  seed: 3,
  seconds,
  width: 640,
  height: 360,
  fps: 10,
  cameraCode: 'CAM-E',
  intersectionCode: 'IX-E',
  timeZone: 'Asia/Shanghai',
  start: new Date('2025-03-03T00:00:00Z'),
  preset: 'ultrafast',
  writeSites: false,
  behaviour: { redLightRun: 1, nonMotorRedRun: 1, jaywalkPerMinute: 20, demand: 2 },
});
const gt = written.clip.groundTruth;
const calibration = written.clip.sites.intersections[0]!.cameras[0]!.calibration as Calibration;
const t0 = Date.parse(gt.start);
const segments: FootageSegment[] = [{ path: written.video, startsAt: t0, endsAt: t0 + seconds * 1000, fps: gt.fps, width: gt.width, height: gt.height }];
// The default model's input: a 512×288 detector image, wide enough for the archive.
const shape = { inputSpec: { name: 'images', width: 512, height: 288, layout: 'NHWC' as const, dtype: 'uint8' as const, range: '0-255' as const, maxBatch: 1 }, layout: 'crosswatch' as const, modelClasses: [] };
const detector = oracleDetector(shape, [{ startsAt: t0, endsAt: t0 + seconds * 1000, gt }]);
const base: ProcessWindowOptions = { cameraCode: 'CAM-E', calibration, resolution: { width: gt.width, height: gt.height }, t0, t1: t0 + seconds * 1000, segments, detector, ffmpegPath: binaries.ffmpeg, sampleFps: 8 };
const ctx = { cameraCode: 'CAM-E', timeZone: 'Asia/Shanghai', windowId: 'w1', calibration, segments, ffmpegPath: binaries.ffmpeg };

const archived = await processWindow(base);
const sought = await processWindow({ ...base, evidenceArchive: false });

const judged = (o: WindowOutcome) => ({ counts: o.judgement.counts, violations: o.judgement.violations });

t.test('the archive does not change what is judged', async (t) => {
  t.ok(archived.judgement.violations.length >= 2, `violations to show (${archived.judgement.violations.length})`);
  t.same(judged(archived), judged(sought));
  const a = archived.evidenceArchive!;
  t.equal(a.archived + a.skipped, archived.framesAnalysed, 'every analysed frame encoded or let go');
  // A short clip crowded with violations: most frames are someone's moment, yet not all.
  t.ok(a.skipped > 0 && a.archived < archived.framesAnalysed, `only the rules' candidates encoded: ${a.archived} of ${archived.framesAnalysed} frames`);
  t.equal(sought.evidenceArchive, undefined);
  t.equal(sought.evidenceFrames.size, 0);
});

t.test('every moment from the decode; the same picture as full-resolution seeks', async (t) => {
  const fromDecode = await composeWindowEvidence(archived, ctx);
  const fromSeeks = await composeWindowEvidence(sought, ctx);
  t.equal(fromDecode.length, archived.judgement.violations.length);
  t.same(fromDecode.map((e) => e.fromDecode), fromDecode.map(() => 3), 'no seek needed');
  t.same(fromSeeks.map((e) => e.fromDecode), fromSeeks.map(() => 0));
  for (const [i, e] of fromDecode.slice(0, 4).entries()) {
    const a = await sharp(e.jpeg).raw().toBuffer({ resolveWithObject: true });
    const b = await sharp(fromSeeks[i]!.jpeg).raw().toBuffer({ resolveWithObject: true });
    if (process.env.EVIDENCE_OUT) {
      await sharp(e.jpeg).toFile(path.join(process.env.EVIDENCE_OUT, `decode-${i}.jpg`));
      await sharp(fromSeeks[i]!.jpeg).toFile(path.join(process.env.EVIDENCE_OUT, `seek-${i}.jpg`));
    }
    t.same([a.info.width, a.info.height], [640 * 3 + 8, 360 + 60], 'three 640-wide panels and the stamp band');
    t.same([a.info.width, a.info.height], [b.info.width, b.info.height]);
    // Same scene, boxes and stamps; the archive's 512×288 frames are only softer (downscaled, then JPEG).
    let diff = 0;
    let signed = 0;
    for (let k = 0; k < a.data.length; k++) {
      diff += Math.abs(a.data[k]! - b.data[k]!);
      signed += a.data[k]! - b.data[k]!;
    }
    const mean = diff / a.data.length;
    const bias = signed / a.data.length;
    t.ok(mean < 10 && Math.abs(bias) < 1.5, `violation ${i}: mean difference ${mean.toFixed(2)} levels, bias ${bias.toFixed(2)}, from the seek-made image`);
  }
});

t.test('a moment the archive lost is fetched by a seek', async (t) => {
  const v = archived.judgement.violations[0]!;
  const frames = new Map(archived.evidenceFrames);
  frames.delete(v.moments[1].frameIndex);
  const out = await composeWindowEvidence({ ...archived, evidenceFrames: frames }, ctx);
  const first = out.find((e) => e.violation === v)!;
  t.equal(first.fromDecode, 2);
  t.equal((await sharp(first.jpeg).metadata()).width, 640 * 3 + 8);
});

t.test('a detector image narrower than ARCHIVE_MIN_WIDTH: no archive, evidence by seeks', async (t) => {
  const small = oracleDetector({ ...shape, inputSpec: { ...shape.inputSpec, width: 320, height: 180 } }, [{ startsAt: t0, endsAt: t0 + seconds * 1000, gt }]);
  const o = await processWindow({ ...base, detector: small, t1: t0 + 6000 });
  t.equal(o.evidenceArchive, undefined);
  t.equal(o.evidenceFrames.size, 0);
});
