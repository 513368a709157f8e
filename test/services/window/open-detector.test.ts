// The worker's detector gets a core less per window in progress (ffmpeg's),
// unless the threads are configured; checked on real ONNX Runtime sessions.
import t from 'tap';
import os from 'node:os';
import path from 'node:path';
import { defaultThreads } from '../../../pipelines/detect/index.ts';
import { openDetector } from '../../../services/window/detector.ts';

const modelPath = path.resolve(import.meta.dirname, '../../../models/crosswatch-det.onnx');
const cores = os.availableParallelism();

t.test('default threads leave a core to each window, 1 to 4', async (t) => {
  t.equal(defaultThreads(1), Math.max(1, Math.min(4, cores - 1)));
  t.equal(defaultThreads(2), Math.max(1, Math.min(4, cores - 2)));
  t.equal(defaultThreads(64), 1, 'never below one thread');
  t.ok(defaultThreads(0) <= 4, 'never above four');
});

t.test('openDetector: explicit, configured, then by windows at once', async (t) => {
  const cases: [Parameters<typeof openDetector>[0], Parameters<typeof openDetector>[1], number][] = [
    [{ modelPath }, { threads: 2 }, 2],
    [{ modelPath, detectorThreads: 3 }, { windowsAtOnce: 8 }, 3],
    [{ modelPath }, { windowsAtOnce: 64 }, 1],
    [{ modelPath }, {}, defaultThreads(1)],
  ];
  for (const [config, opts, want] of cases) {
    const d = await openDetector(config, opts);
    try {
      t.equal(d.threads, want, JSON.stringify({ detectorThreads: config.detectorThreads, ...opts }));
      // The session runs: one blank frame through it.
      const { width, height } = d.detector.inputSpec;
      const [dets] = await d.detector.detect([{ index: 0, t: 0, width, height, data: new Uint8Array(width * height * 3), source: { width: 1280, height: 720 } }]);
      t.ok(Array.isArray(dets));
    } finally {
      await d.detector.close();
    }
  }
});
