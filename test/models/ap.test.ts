import t from 'tap';
import { ApAccumulator, averagePrecision, ioa, iou } from '../../models/training/ap.ts';
import type { Box } from '../../pipelines/types.ts';

const b = (x1: number, y1: number, x2: number, y2: number): Box => ({ x1, y1, x2, y2 });

t.test('iou and ioa', (t) => {
  t.equal(iou(b(0, 0, 10, 10), b(0, 0, 10, 10)), 1);
  t.equal(iou(b(0, 0, 10, 10), b(10, 0, 20, 10)), 0);
  t.equal(iou(b(0, 0, 10, 10), b(5, 0, 15, 10)), 50 / 150);
  t.equal(ioa(b(0, 0, 10, 10), b(5, 0, 100, 100)), 0.5);
  t.end();
});

t.test('averagePrecision, all-point interpolation', (t) => {
  const rows: { name: string; dets: { score: number; tp: boolean }[]; positives: number; ap: number }[] = [
    { name: 'perfect', dets: [{ score: 0.9, tp: true }, { score: 0.8, tp: true }], positives: 2, ap: 1 },
    { name: 'half recall', dets: [{ score: 0.9, tp: true }], positives: 2, ap: 0.5 },
    { name: 'fp ranked first', dets: [{ score: 0.9, tp: false }, { score: 0.8, tp: true }], positives: 1, ap: 0.5 },
    // precision envelope: P at R=1/3 is max(1, ...) = 1; at 2/3 it is max(2/3 (rank 3), 3/5...) ...
    {
      name: 'VOC example',
      dets: [
        { score: 0.9, tp: true },
        { score: 0.8, tp: false },
        { score: 0.7, tp: true },
        { score: 0.6, tp: false },
        { score: 0.5, tp: true },
      ],
      positives: 4,
      // recall steps at ranks 1, 3, 5: precisions 1, 2/3, 3/5
      ap: 0.25 * 1 + 0.25 * (2 / 3) + 0.25 * 0.6,
    },
    { name: 'no detections', dets: [], positives: 3, ap: 0 },
    { name: 'order given does not matter', dets: [{ score: 0.1, tp: false }, { score: 0.9, tp: true }], positives: 1, ap: 1 },
  ];
  for (const r of rows) t.ok(Math.abs(averagePrecision(r.dets, r.positives) - r.ap) < 1e-9, r.name);
  t.ok(Number.isNaN(averagePrecision([{ score: 1, tp: false }], 0)), 'no positives gives NaN');
  t.end();
});

t.test('ApAccumulator matching', (t) => {
  const acc = new ApAccumulator(2);
  const gt = [{ box: b(0, 0, 10, 10), cls: 0 }, { box: b(50, 50, 60, 70), cls: 1 }];
  acc.add(
    [
      { box: b(1, 0, 10, 10), cls: 0, score: 0.9 }, // tp
      { box: b(0, 0, 10, 11), cls: 0, score: 0.8 }, // duplicate: fp
      { box: b(50, 50, 60, 70), cls: 0, score: 0.95 }, // wrong class: fp for class 0
      { box: b(51, 50, 60, 70), cls: 1, score: 0.7 }, // tp
      { box: b(201, 201, 209, 209), cls: 1, score: 0.99 }, // on an ignore region: dropped
    ],
    gt,
    [b(200, 200, 210, 210)],
  );
  const [c0, c1] = acc.result();
  t.equal(c0!.positives, 1);
  t.equal(c0!.detections, 3);
  t.ok(Math.abs(c0!.ap50 - 0.5) < 1e-9, 'class 0: tp ranked after one fp');
  t.equal(c1!.ap50, 1, 'ignored detection is neither tp nor fp');
  t.equal(c1!.detections, 1);
  acc.add([], [{ box: b(0, 0, 5, 5), cls: 1 }]);
  t.equal(acc.result()[1]!.ap50, 0.5, 'a missed box halves recall');
  acc.reset();
  t.ok(Number.isNaN(acc.result()[0]!.ap50));
  t.end();
});
