import t from 'tap';
import { nms } from '../../../pipelines/detect/nms.ts';
import { Candidates } from '../../../pipelines/detect/types.ts';
import { iou } from '../../../pipelines/geometry/box.ts';

function rng(seed: number) {
  let a = seed;
  return () => ((a = (a * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function randomCandidates(n: number, seed: number, classes = 3, spread = 200): Candidates {
  const r = rng(seed);
  const c = new Candidates();
  for (let i = 0; i < n; i++) {
    const x = r() * spread, y = r() * spread, w = 5 + r() * 40, h = 5 + r() * 40;
    c.push(x, y, x + w, y + h, Math.round(r() * 1000) / 1000, Math.floor(r() * classes), 0); // rounded: ties happen
  }
  return c;
}

/** Textbook greedy NMS: repeatedly take the best, drop all same-class boxes overlapping it. */
function bruteForce(c: Candidates, thr: number, maxDet: number, cross = 1): number[] {
  const alive = Array.from({ length: c.count }, (_, i) => i);
  alive.sort((a, b) => c.score[b]! - c.score[a]! || a - b);
  const box = (i: number) => ({ x1: c.x1[i]!, y1: c.y1[i]!, x2: c.x2[i]!, y2: c.y2[i]! });
  const keep: number[] = [];
  const dead = new Set<number>();
  for (const i of alive) {
    if (dead.has(i)) continue;
    keep.push(i);
    for (const j of alive) if (j !== i && iou(box(i), box(j)) > (c.cls[j] === c.cls[i] ? thr : cross)) dead.add(j);
  }
  return keep.slice(0, maxDet);
}

const cases: [string, number, number, number, number][] = [
  // name, candidates, seed, iou threshold, max detections
  ['sparse', 50, 1, 0.5, 300],
  ['dense one class', 400, 2, 0.45, 300],
  ['strict threshold', 300, 3, 0.1, 300],
  ['loose threshold', 300, 4, 0.9, 300],
  ['capped', 500, 5, 0.5, 20],
  ['thousands', 3000, 6, 0.5, 300],
];
for (const [name, n, seed, thr, maxDet] of cases) {
  t.test(`matches brute force: ${name}`, async (t) => {
    const c = randomCandidates(n, seed, name === 'dense one class' ? 1 : 3);
    t.same(Array.from(nms(c, { iouThreshold: thr, maxDetections: maxDet })), bruteForce(c, thr, maxDet));
  });
}

t.test('class-aware: overlapping boxes of different classes both stay', async (t) => {
  const c = new Candidates();
  c.push(0, 0, 10, 10, 0.9, 0, 0);
  c.push(0, 0, 10, 10, 0.8, 1, 0);
  c.push(1, 0, 11, 10, 0.7, 0, 0);
  t.same(Array.from(nms(c, { iouThreshold: 0.5, maxDetections: 10 })), [0, 1]);
});

t.test('cross-class overlap: matches brute force, and drops the weaker reading of one road user', async (t) => {
  for (const [seed, cross] of [[7, 0.7], [8, 0.5], [9, 0.9]] as const) {
    const c = randomCandidates(800, seed, 4);
    t.same(Array.from(nms(c, { iouThreshold: 0.5, crossClassIou: cross, maxDetections: 300 })), bruteForce(c, 0.5, 300, cross), `seed ${seed}, cross ${cross}`);
  }
  const c = new Candidates();
  c.push(0, 0, 10, 20, 0.9, 2, 0); // a rider as non_motor
  c.push(0, 1, 10, 20, 0.6, 3, 0); // the same rider as pedestrian (IoU 0.95)
  c.push(8, 0, 18, 20, 0.5, 3, 0); // a pedestrian beside the bicycle (IoU 0.11)
  t.same(Array.from(nms(c, { iouThreshold: 0.5, crossClassIou: 0.7, maxDetections: 10 })), [0, 2]);
  t.same(Array.from(nms(c, { iouThreshold: 0.5, maxDetections: 10 })), [0, 1, 2], 'off by default');
});

t.test('stays fast with 8400 candidates', async (t) => {
  const c = randomCandidates(8400, 7, 4, 640);
  const t0 = performance.now();
  const kept = nms(c, { iouThreshold: 0.5, maxDetections: 300 });
  const ms = performance.now() - t0;
  t.ok(kept.length > 0 && kept.length <= 300);
  t.ok(ms < 100, `took ${ms.toFixed(1)} ms`);
});

t.test('empty input', async (t) => {
  t.equal(nms(new Candidates(), { iouThreshold: 0.5, maxDetections: 10 }).length, 0);
});
