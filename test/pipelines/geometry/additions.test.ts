import t from 'tap';
import { crossingParam, pointSegmentDistance } from '../../../pipelines/geometry/segment.ts';
import { distanceToPolygon } from '../../../pipelines/geometry/polygon.ts';
import { boxHeight, expandBox, iou } from '../../../pipelines/geometry/box.ts';
import type { Point, Segment } from '../../../pipelines/types.ts';

const seg: Segment = [[0, 0], [10, 0]];
const dist: [string, Point, number][] = [
  ['above the middle', [5, 3], 3],
  ['beyond the end', [13, 4], 5],
  ['on it', [2, 0], 0],
];
for (const [name, p, d] of dist) t.test(`pointSegmentDistance: ${name}`, async (t) => t.equal(pointSegmentDistance(seg, p), d));

t.test('crossingParam: where a path meets the line, along the segment', async (t) => {
  t.equal(crossingParam(seg, [5, -2], [5, 2]), 0.5);
  t.equal(crossingParam(seg, [12, -1], [16, 1]), 1.4, 'beyond the end');
  t.equal(crossingParam(seg, [0, 1], [5, 1]), null, 'parallel');
});

t.test('distanceToPolygon', async (t) => {
  const sq: Point[] = [[0, 0], [10, 0], [10, 10], [0, 10]];
  t.equal(distanceToPolygon([5, 5], sq), 0);
  t.equal(distanceToPolygon([13, 5], sq), 3);
});

t.test('expandBox and boxHeight', async (t) => {
  const b = { x1: 0, y1: 0, x2: 10, y2: 20 };
  t.same(expandBox(b, 0.5), { x1: -5, y1: -10, x2: 15, y2: 30 });
  t.equal(boxHeight(b), 20);
  const c = { x1: 12, y1: 0, x2: 22, y2: 20 };
  t.equal(iou(b, c), 0);
  t.ok(iou(expandBox(b, 0.5), expandBox(c, 0.5)) > 0, 'buffered boxes overlap');
});
