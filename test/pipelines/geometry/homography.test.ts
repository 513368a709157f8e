import t from 'tap';
import { fitHomography, planeMap, type PointPair } from '../../../pipelines/geometry/homography.ts';
import type { Point } from '../../../pipelines/types.ts';

// A pinhole camera 6 m up a pole, looking 15° down along +y, 1000 px focal
// length, principal point (640, 360): ground (x, y) → image, by hand.
const cam = (x: number, y: number): Point => {
  const tilt = (15 * Math.PI) / 180;
  const [h, f] = [6, 1000];
  const depth = y * Math.cos(tilt) + h * Math.sin(tilt);
  const up = y * Math.sin(tilt) - h * Math.cos(tilt);
  return [640 + (f * x) / depth, 360 - (f * up) / depth];
};
const survey = (pts: Point[]): PointPair[] => pts.map((g) => ({ from: cam(g[0], g[1]), to: g }));
const corners: Point[] = [[-7, 10], [7, 10], [7, 14], [-7, 14]];

t.test('four surveyed corners fix the ground: other road points map to their metres', async (t) => {
  const map = planeMap(survey(corners))!;
  t.ok(map);
  for (const g of [[0, 12], [-3, 30], [5, 60], [10, 8]] as Point[]) {
    const m = map(cam(g[0], g[1]))!;
    t.ok(Math.hypot(m[0] - g[0], m[1] - g[1]) < 1e-6, `(${g.join(', ')}) maps back to within a micrometre: got ${m.map((v) => v.toFixed(4)).join(', ')}`);
  }
});

t.test('a walker 40 m out covering 1.3 m in depth moves a few pixels, and 1.3 m on the map', async (t) => {
  const map = planeMap(survey(corners))!;
  const [a, b] = [cam(2, 40), cam(2, 41.3)];
  t.ok(Math.abs(a[1] - b[1]) < 8, `image: ${Math.abs(a[1] - b[1]).toFixed(1)} px`);
  const [ga, gb] = [map(a)!, map(b)!];
  t.ok(Math.abs(Math.hypot(gb[0] - ga[0], gb[1] - ga[1]) - 1.3) < 1e-6);
});

t.test('more than four points: least squares through slightly noisy ones', async (t) => {
  const pts: Point[] = [...corners, [0, 20], [-5, 25], [6, 18]];
  const pairs = survey(pts).map((p, i) => ({ from: [p.from[0] + (i % 2 ? 0.3 : -0.3), p.from[1]] as Point, to: p.to }));
  const map = planeMap(pairs)!;
  const m = map(cam(0, 16))!;
  t.ok(Math.hypot(m[0], m[1] - 16) < 0.05, `within 5 cm: ${m.map((v) => v.toFixed(3)).join(', ')}`);
});

t.test('points that do not fix a plane give none', async (t) => {
  t.equal(fitHomography(survey(corners.slice(0, 3))), undefined, 'three points');
  t.equal(fitHomography(survey([[0, 10], [1, 10], [2, 10], [0, 14]])), undefined, 'three of four on one line');
  const same = survey(corners);
  t.equal(fitHomography(same.map((p) => ({ from: same[0]!.from, to: p.to }))), undefined, 'one image point for all');
});

t.test('the sky does not map: a point above the horizon is off the road', async (t) => {
  const map = planeMap(survey(corners))!;
  t.ok(map([640, 360 - 1000 * Math.tan((15 * Math.PI) / 180) + 5]), 'just below the horizon: far road');
  t.equal(map([640, 360 - 1000 * Math.tan((15 * Math.PI) / 180) - 5]), undefined, 'just above it');
  t.equal(map([640, 0]), undefined, 'the top of the picture');
});
