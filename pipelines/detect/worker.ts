// The same Detector, run in a worker thread. onnxruntime-node's session.run()
// blocks the JavaScript event loop for the whole inference (ARCHITECTURE.md,
// performance notes), which would stop the ffmpeg pipe from draining; in a
// worker, decoding and inference overlap. detect() copies the frames to the
// worker (structured clone of each frame's whole ArrayBuffer), so the caller
// may reuse its buffers at once; detectMoving() transfers the buffers there
// and back instead: measured on 2 cores, 18 µs a frame instead of 300-370 µs
// of main-thread copying, and no clones left for the worker's GC to find.
import { Worker } from 'node:worker_threads';
import { CrosswatchError, type ErrorCode } from '../errors.ts';
import type { Detection, Frame } from '../types.ts';
import type { DetectorOptions } from './detector.ts';
import type { Detector, InputSpec, LayoutName, LetterboxedFrame, MovedResult } from './types.ts';

export type WorkerRequest = { id: number; type: 'detect'; batch: readonly (Frame | LetterboxedFrame)[]; moved?: boolean } | { id: number; type: 'close' };
export type WorkerReply =
  | { type: 'ready'; inputSpec: InputSpec; layout: LayoutName; modelClasses: string[] }
  | { id: number; type: 'result'; result: Detection[][]; buffers?: ArrayBuffer[] }
  | { id?: number; type: 'error'; error: SerialError };
export interface SerialError {
  message: string;
  code?: ErrorCode;
  details?: unknown;
}

export function serialError(err: unknown): SerialError {
  const e = err as Error & { code?: ErrorCode; details?: unknown };
  return { message: e?.message ?? String(err), code: err instanceof CrosswatchError ? e.code : undefined, details: e?.details };
}

function revive(e: SerialError): Error {
  return e.code ? new CrosswatchError(e.code, e.message, { details: e.details }) : new Error(e.message);
}

/** Loads the detector inside a new worker thread; one worker (and session) per call. */
export async function loadDetectorInWorker(model: string | Uint8Array, opts: DetectorOptions = {}): Promise<Detector> {
  const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { model, opts } });
  const pending = new Map<number, { resolve: (r: MovedResult) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let failed: Error | undefined;

  const ready = await new Promise<Extract<WorkerReply, { type: 'ready' }>>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', (m: WorkerReply) => (m.type === 'ready' ? resolve(m) : reject(m.type === 'error' ? revive(m.error) : new Error('unexpected reply'))));
  }).catch(async (err) => {
    await worker.terminate();
    throw err;
  });

  const failAll = (err: Error) => {
    failed ??= err; // keep the first reason ("closed" before the exit it causes)
    for (const p of pending.values()) p.reject(failed);
    pending.clear();
  };
  worker.on('message', (m: WorkerReply) => {
    if (m.type === 'ready' || m.id === undefined) return;
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.type === 'result') p?.resolve({ detections: m.result, buffers: m.buffers ?? [] });
    else if (m.type === 'error') p?.reject(revive(m.error));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`detector worker exited (code ${code})`)));

  const request = (batch: readonly (Frame | LetterboxedFrame)[], moved: boolean): Promise<MovedResult> => {
    if (failed) return Promise.reject(failed);
    const transfer = moved ? distinctBuffers(batch) : [];
    // A detached buffer (moved away already, or a view of one) is dropped by
    // postMessage without an error, so the reply would never come.
    const gone = batch.find((f) => f.data.buffer.byteLength === 0);
    if (gone) return Promise.reject(new RangeError(`frame ${gone.index}: its buffer is detached (already moved to a detector?)`));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      try {
        worker.postMessage({ id, type: 'detect', batch, moved } satisfies WorkerRequest, transfer);
      } catch (err) {
        pending.delete(id);
        reject(err as Error);
      }
    });
  };

  return {
    inputSpec: ready.inputSpec,
    layout: ready.layout,
    modelClasses: ready.modelClasses,
    async detect(batch) {
      return (await request(batch, false)).detections;
    },
    detectMoving: (batch) => request(batch, true),
    async close() {
      if (failed) return;
      failed = new Error('detector is closed');
      await worker.terminate();
    },
  };
}

/** The ArrayBuffers under a batch's frames, each once, in first-use order (a transfer list may not name one twice). */
export function distinctBuffers(batch: readonly Frame[]): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const f of batch) seen.add(f.data.buffer as ArrayBuffer);
  return [...seen];
}
