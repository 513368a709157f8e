// Detections → ByteTracker → rules, the shape of the golden replay to come:
// the tracker's ids, not the scenario's, feed the rules.
import t from 'tap';
import { ByteTracker } from '../../../pipelines/track/byte-tracker.ts';
import { judgeWindow } from '../../../pipelines/rules/index.ts';
import type { RulesFrame } from '../../../pipelines/rules/types.ts';
import { junction, scenario, type ActorSpec } from './fixtures.ts';

function replay(actors: ActorSpec[], signals: Parameters<typeof scenario>[1], seconds: number): RulesFrame[] {
  const tracker = new ByteTracker({ fps: 8 });
  return scenario(actors, signals, seconds).map((f) => ({
    ...f,
    tracks: tracker.update({ frameIndex: f.frameIndex, t: f.t, detections: f.tracks.map((p) => ({ box: p.box, cls: p.cls, score: p.score })) }),
  }));
}

t.test('runner, waiting car hidden by a bus, pedestrian on don\'t-walk', async (t) => {
  const actors: ActorSpec[] = [
    { id: 1, path: [[0, 640, 603], [2.5, 640, 103]] },
    // Waits at the line through red, hidden 0.75 s, leaves on green.
    { id: 2, path: [[0, 480, 560], [1, 480, 460], [5, 480, 460], [6.5, 480, 100]], hidden: [[2, 2.75]] },
    { id: 3, cls: 'pedestrian', path: [[0, 120, 365], [8, 504, 365]] },
  ];
  const frames = replay(actors, { S: [[0, 'red'], [5, 'green']], P1: [[0, 'red']] }, 8);
  const r = judgeWindow({ calibration: junction(), fps: 8, frames });
  t.same(r.violations.map((v) => v.category).sort(), ['jaywalk', 'red_light']);
  t.same(r.counts.red_light, { exposures: 2, violations: 1 }, 'the runner and the waiter faced red');
  t.same(r.unjudged, []);
  t.same(r.counts.jaywalk, { exposures: 1, violations: 1 });
  t.equal(new Set(frames.flatMap((f) => f.tracks.map((p) => p.trackId))).size, 3, 'the bus occlusion did not split the waiting car');
});

t.test('night: low, wavering scores, flickering boxes, signal unreadable now and then away from the crossing', async (t) => {
  const night = { score: (k: number) => (k % 2 ? 0.65 : 0.3), jitter: (k: number): [number, number] => [k % 3 - 1, k % 2 ? -3 : 3] };
  const actors: ActorSpec[] = [
    { id: 1, path: [[0, 640, 603], [2.5, 640, 103]], ...night },
    { id: 3, cls: 'pedestrian', path: [[0, 120, 550], [8, 504, 550]], ...night },
  ];
  const bloom: [number, 'red' | 'unknown'][] = [[0, 'red'], [0.25, 'unknown'], [0.5, 'red'], [2, 'unknown'], [2.25, 'red']];
  const frames = replay(actors, { S: bloom, P1: [[0, 'red']] }, 8);
  const r = judgeWindow({ calibration: junction(), fps: 8, frames });
  t.same(r.violations.map((v) => [v.category, v.zoneId]).sort(), [['jaywalk', 'carriageway'], ['red_light', 'north']]);
  t.same(r.unjudged, []);
});
