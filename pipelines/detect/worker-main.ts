// Worker-thread side of loadDetectorInWorker: one detector, requests in order.
import { parentPort, workerData } from 'node:worker_threads';
import { loadDetector, type DetectorOptions } from './detector.ts';
import { distinctBuffers, serialError, type WorkerReply, type WorkerRequest } from './worker.ts';

const port = parentPort!;
const { model, opts } = workerData as { model: string | Uint8Array; opts: DetectorOptions };
const send = (m: WorkerReply) => port.postMessage(m);

try {
  const detector = await loadDetector(model, opts);
  send({ type: 'ready', inputSpec: detector.inputSpec, layout: detector.layout, modelClasses: [...detector.modelClasses] });
  port.on('message', async (req: WorkerRequest) => {
    if (req.type === 'close') return void (await detector.close());
    try {
      const result = await detector.detect(req.batch);
      if (!req.moved) send({ id: req.id, type: 'result', result });
      else {
        // The frames came transferred: hand their buffers back the same way.
        const buffers = distinctBuffers(req.batch);
        port.postMessage({ id: req.id, type: 'result', result, buffers } satisfies WorkerReply, buffers);
      }
    } catch (err) {
      send({ id: req.id, type: 'error', error: serialError(err) });
    }
  });
} catch (err) {
  send({ type: 'error', error: serialError(err) });
}
