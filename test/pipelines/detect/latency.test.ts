import t from 'tap';
import { loadDetector } from '../../../pipelines/detect/detector.ts';
import { measureLatency, median } from '../../../pipelines/detect/latency.ts';
import { coco, flatFrame, ultralyticsModel } from './layout-models.ts';

t.test('median', async (t) => {
  t.equal(median([3, 1, 2]), 2);
  t.equal(median([4, 1, 2, 3]), 2.5);
});

t.test('measureLatency returns a positive median per frame', async (t) => {
  const d = await loadDetector(ultralyticsModel([{ x1: 1, y1: 1, x2: 9, y2: 9, cls: coco('car'), score: 0.9 }]), { intraOpNumThreads: 1 });
  const ms = await measureLatency(d, [flatFrame(0), flatFrame(1)], 3);
  t.ok(ms > 0 && ms < 1000, `${ms} ms`);
  await t.rejects(measureLatency(d, [], 1), RangeError);
  await d.close();
});
