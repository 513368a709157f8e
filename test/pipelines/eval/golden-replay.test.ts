// Golden replay (OpenDataCam's spec/server/Opendatacam.spec.js idea): the
// real detector's output on twin footage, recorded once, replayed through
// the tracker and the rules; the violations must be the ground truth's events
// for that stretch (matched as the accuracy eval matches them: category, road
// user by box overlap, time within 1.5 s). An accuracy regression in the
// tracker or the rules shows here without running a detector.
// Fixtures: test/fixtures/make-golden.ts (which clip and stretch is inside each).
import t from 'tap';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeRecording, replayWindow, type DetectionRecording } from '../../../pipelines/eval/replay.ts';
import { matchEvents, type TruthEvent } from '../../../pipelines/eval/match-events.ts';
import type { Calibration } from '../../../pipelines/sites/schema.ts';
import type { Category } from '../../../pipelines/types.ts';

interface Golden {
  source: { clip: string; fromS: number; toS: number };
  fps: number;
  calibration: Calibration;
  recording: DetectionRecording;
  events: { category: Category; actorId: number; t: number; boxes: [number, number, number, number, number][] }[];
}

const load = (name: string) => JSON.parse(gunzipSync(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url))).toString('utf8')) as Golden;

const cases: { file: string; categories: Category[] }[] = [
  { file: 'golden-day-runners-jaywalkers.json.gz', categories: ['jaywalk', 'jaywalk', 'red_light', 'red_light'] },
  { file: 'golden-day-nonmotor-overrun.json.gz', categories: ['non_motor_red_light', 'red_light', 'stop_line_overrun'] },
];

for (const c of cases) {
  t.test(c.file, async (t) => {
    const g = load(c.file);
    const frames = decodeRecording(g.recording);
    const judged = replayWindow({ calibration: g.calibration, fps: g.fps, frames });
    const truths: TruthEvent[] = g.events.map((e) => ({
      category: e.category,
      actorId: e.actorId,
      t: e.t,
      boxAt: (time) => {
        const b = e.boxes.find(([bt]) => Math.abs(bt - time) < 1);
        return b ? { x1: b[1], y1: b[2], x2: b[3], y2: b[4] } : undefined;
      },
    }));
    t.same(g.events.map((e) => e.category).sort(), c.categories, 'the stretch holds the events it was chosen for');
    const m = matchEvents(judged.violations, truths);
    const show = (v: { category: string; t: number }) => `${v.category} at ${((v.t - frames[0]!.t) / 1000).toFixed(2)} s`;
    t.same(m.falsePositives.map(show), [], 'no violation the ground truth lacks');
    t.same(m.falseNegatives.map(show), [], 'every ground-truth event found');
    for (const [cat, n] of Object.entries(judged.counts)) t.ok(n.violations <= n.exposures, `${cat}: violations within exposures`);
  });
}

t.test('a recording survives encode → JSON → decode exactly (no rounding: the rules compare at sub-pixel margins)', async (t) => {
  const g = load('golden-day-nonmotor-overrun.json.gz');
  // Values as a detector gives them, off any rounding grid.
  const frames = decodeRecording(g.recording).map((f) => ({
    ...f,
    detections: f.detections.map((d) => ({ ...d, box: { x1: d.box.x1 + 1 / 3, y1: d.box.y1 + 1 / 7, x2: d.box.x2 + 0.0123, y2: d.box.y2 - 1e-6 }, score: Math.fround(d.score * 0.987654) })),
  }));
  t.ok(frames.some((f) => f.detections.length > 0), 'frames with detections');
  const { encodeRecording } = await import('../../../pipelines/eval/replay.ts');
  t.same(decodeRecording(JSON.parse(JSON.stringify(encodeRecording(g.recording.start, frames)))), frames);
});
