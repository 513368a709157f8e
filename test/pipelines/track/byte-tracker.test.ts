import t from 'tap';
import { ByteTracker, type ByteTrackerOptions } from '../../../pipelines/track/byte-tracker.ts';
import type { Box, TrackPoint } from '../../../pipelines/types.ts';
import { hidden, moving, render, scoreTracking, type Actor } from './synthetic.ts';

const FPS = 8;

interface Row {
  name: string;
  actors: Actor[];
  frames: number;
  options?: Partial<ByteTrackerOptions>;
  /** Ground truth for coverage when detections are withheld (defaults to the detection box). */
  truth?: (a: Actor, k: number) => Box | null;
  maxSwitches: number;
  minCoverage: number;
  /** Exactly this many ids over the run (each actor one id). */
  ids?: number;
}

const still = (x: number, y: number, w: number, h: number) => moving(x, y, w, h, 0, 0);
// 720p image; a car about 144×90 px, a motorcycle 60×60, a cyclist 40×80, a pedestrian 30×80.
const rows: Row[] = [
  { name: 'straight car at 50 km/h', actors: [{ box: moving(0, 400, 144, 90, 56, 0) }], frames: 20, maxSwitches: 0, minCoverage: 0.9, ids: 1 },
  { name: 'car towards the camera, growing', actors: [{ box: (k) => ({ x1: 600 - 3 * k, y1: 200 + 12 * k, x2: 680 + 3 * k, y2: 250 + 16 * k }) }], frames: 25, maxSwitches: 0, minCoverage: 0.9, ids: 1 },
  { name: 'fast car, 90 px a frame', actors: [{ box: moving(0, 400, 144, 90, 90, 0) }], frames: 14, maxSwitches: 0, minCoverage: 0.85, ids: 1 },
  { name: 'motorcycle, 48 px a frame (more than its width in 1.25 frames)', actors: [{ box: moving(0, 400, 60, 60, 48, 0), cls: 'non_motor' }], frames: 25, maxSwitches: 0, minCoverage: 0.9, ids: 1 },
  {
    name: 'crossing pedestrians, the rear one hidden while they overlap',
    actors: [
      { box: moving(100, 400, 30, 80, 6, 0), cls: 'pedestrian' },
      { box: hidden(moving(400, 405, 30, 80, -6, 0), 22, 28), cls: 'pedestrian' },
    ],
    truth: (a, k) => (a.box(k) ? a.box(k) : null),
    frames: 50, maxSwitches: 0, minCoverage: 0.9, ids: 2,
  },
  {
    name: 'crossing cars at speed',
    actors: [{ box: moving(0, 400, 144, 90, 50, 0) }, { box: moving(1100, 420, 144, 90, -50, 0) }],
    frames: 22, maxSwitches: 0, minCoverage: 0.8, ids: 2,
  },
  {
    name: 'two motorcycles side by side',
    actors: [{ box: moving(0, 400, 60, 60, 48, 0), cls: 'non_motor' }, { box: moving(0, 470, 60, 60, 48, 0), cls: 'non_motor' }],
    frames: 25, maxSwitches: 0, minCoverage: 0.9, ids: 2,
  },
  {
    name: 'two pedestrians walking together, 4 px apart',
    actors: [{ box: moving(100, 400, 30, 80, 5, 1), cls: 'pedestrian' }, { box: moving(134, 402, 30, 80, 5, 1), cls: 'pedestrian' }],
    frames: 40, maxSwitches: 0, minCoverage: 0.9, ids: 2,
  },
  {
    name: 'adjacent lanes, different speeds, overtaking',
    actors: [{ box: moving(0, 400, 144, 90, 30, 0) }, { box: moving(0, 480, 144, 90, 55, 0) }],
    frames: 22, maxSwitches: 0, minCoverage: 0.85, ids: 2,
  },
  {
    name: 'moving car occluded for 4 frames (half a second)',
    actors: [{ box: hidden(moving(0, 400, 144, 90, 40, 0), 10, 13) }],
    frames: 28, maxSwitches: 0, minCoverage: 0.9, ids: 1,
  },
  {
    name: 'waiting car behind a passing bus for 0.75 s near the line',
    actors: [{ box: hidden(still(600, 380, 144, 90), 8, 13) }, { box: hidden(moving(-300, 300, 400, 220, 70, 0), 0, 3), cls: 'large_vehicle' }],
    frames: 30, maxSwitches: 0, minCoverage: 0.85, ids: 2,
  },
  {
    name: 'detection missing, then low score while half hidden',
    actors: [{ box: hidden(moving(0, 400, 144, 90, 30, 0), 10, 10), score: (k) => (k >= 11 && k <= 16 ? 0.3 : 0.85) }],
    frames: 28, maxSwitches: 0, minCoverage: 0.9, ids: 1,
  },
  {
    name: 'stop and go queue, three cars',
    actors: [0, 1, 2].map((i) => ({ box: (k: number) => { const x = 100 + i * 160 + (k < 10 ? 20 * k : k < 20 ? 200 : 200 + 25 * (k - 20)); return { x1: x, y1: 400, x2: x + 144, y2: 490 }; } })),
    frames: 32, maxSwitches: 0, minCoverage: 0.9, ids: 3,
  },
  {
    name: 'night: scores waver across the threshold every frame',
    actors: [{ box: moving(0, 400, 144, 90, 30, 0), score: (k) => (k % 2 ? 0.65 : 0.3) }],
    frames: 30, maxSwitches: 0, minCoverage: 0.85, ids: 1,
  },
  {
    name: 'a one-frame false positive never becomes a track',
    actors: [{ box: (k) => (k === 5 ? { x1: 10, y1: 10, x2: 50, y2: 50 } : null) }],
    frames: 10, maxSwitches: 0, minCoverage: 0, ids: 0,
  },
];

for (const row of rows) {
  t.test(row.name, async (t) => {
    const tracker = new ByteTracker({ fps: FPS, ...row.options });
    const out = render(row.actors, row.frames, FPS).map((f) => tracker.update(f));
    const s = scoreTracking(row.actors, out, row.truth);
    t.ok(s.idSwitches <= row.maxSwitches, `id switches ${s.idSwitches} <= ${row.maxSwitches}`);
    t.ok(s.coverage >= row.minCoverage, `coverage ${s.coverage.toFixed(2)} >= ${row.minCoverage}`);
    if (row.ids !== undefined) t.equal(new Set(out.flat().map((p) => p.trackId)).size, row.ids, 'ids over the run');
  });
}

t.test('plain IoU (bufferRatio 0) loses fast two-wheelers at 8 fps: why the buffer exists', async (t) => {
  const actors: Actor[] = [{ box: moving(0, 400, 60, 60, 48, 0), cls: 'non_motor' }];
  const frames = render(actors, 25, FPS);
  const plain = new ByteTracker({ fps: FPS, bufferRatio: 0 });
  const buffered = new ByteTracker({ fps: FPS });
  t.ok(scoreTracking(actors, frames.map((f) => plain.update(f))).coverage < 0.1);
  t.ok(scoreTracking(actors, frames.map((f) => buffered.update(f))).coverage > 0.9);
});

t.test('class by score-weighted vote over the life of a track (bicycle ↔ motorcycle flips)', async (t) => {
  const actors: Actor[] = [{ box: moving(0, 400, 60, 60, 20, 0), cls: (k) => (k % 3 === 0 ? 'vehicle' : 'non_motor'), score: (k) => (k % 3 === 0 ? 0.9 : 0.6) }];
  const tracker = new ByteTracker({ fps: FPS });
  const out = render(actors, 30, FPS).map((f) => tracker.update(f));
  const ids = new Set(out.flat().map((p) => p.trackId));
  t.equal(ids.size, 1, 'flips do not split the track');
  t.equal(tracker.classOf([...ids][0]!), 'non_motor');
  t.ok(out.flat().some((p) => p.cls === 'vehicle'), 'points keep their frame class');
});

t.test('track states: new → tracked → lost → removed after the buffer', async (t) => {
  const tracker = new ByteTracker({ fps: FPS, trackBufferSeconds: 0.5 });
  const frames = render([{ box: hidden(still(100, 100, 100, 80), 3, 100) }], 12, FPS);
  const states: string[] = [];
  for (const f of frames) {
    tracker.update(f);
    states.push(tracker.snapshot().map((s) => s.state).join(',') || '-');
  }
  t.same(states.slice(0, 5), ['new', 'tracked', 'tracked', 'lost', 'lost']);
  t.same(states.slice(3, 7), ['lost', 'lost', 'lost', 'lost'], 'kept for 0.5 s = 4 frames');
  t.equal(states[7], '-', 'then removed');
});

t.test('ids run from 1 per instance, and reset() starts over', async (t) => {
  const frames = render([{ box: moving(0, 0, 50, 50, 5, 0) }, { box: moving(0, 300, 50, 50, 5, 0) }], 5, FPS);
  const a = new ByteTracker({ fps: FPS });
  const b = new ByteTracker({ fps: FPS });
  const ids = (tr: ByteTracker) => [...new Set(frames.flatMap((f) => tr.update(f)).map((p: TrackPoint) => p.trackId))].sort();
  t.same(ids(a), [1, 2]);
  t.same(ids(b), [1, 2], 'no shared counter');
  a.reset();
  t.same(ids(a), [1, 2]);
});

t.test('a dropped frame is predicted over two steps', async (t) => {
  const actors: Actor[] = [{ box: moving(0, 400, 60, 60, 40, 0) }];
  const frames = render(actors, 20, FPS).filter((f) => f.frameIndex !== 9 && f.frameIndex !== 10);
  const tracker = new ByteTracker({ fps: FPS });
  t.equal(new Set(frames.flatMap((f) => tracker.update(f)).map((p) => p.trackId)).size, 1);
});

t.test('rejects a non-positive fps', async (t) => {
  t.throws(() => new ByteTracker({ fps: 0 }), RangeError);
});
