// The process's one detector: the configured model in a worker thread (its
// session.run blocks an event loop for the whole inference), with its version.
import type { Config } from '../config.ts';
import { defaultThreads, loadDetectorInWorker, type Detector } from '../../pipelines/detect/index.ts';
import { modelVersion } from './model-version.ts';

export interface LoadedDetector {
  detector: Detector;
  modelVersion: string;
  /** ONNX Runtime intra-op threads the session runs on. */
  threads: number;
}

export interface ThreadChoice {
  threads?: number;
  windowsAtOnce?: number;
}

/**
 * ONNX Runtime threads: `opts.threads`, else the configured detectorThreads,
 * else the cores left after one per window in progress (defaultThreads).
 */
export function detectorThreads(config: Partial<Pick<Config, 'detectorThreads'>>, opts: ThreadChoice = {}): number {
  return opts.threads ?? config.detectorThreads ?? defaultThreads(opts.windowsAtOnce ?? 1);
}

export async function openDetector(
  config: Pick<Config, 'modelPath'> & Partial<Pick<Config, 'executionProvider' | 'detectorThreads'>>,
  opts: ThreadChoice = {},
): Promise<LoadedDetector> {
  const threads = detectorThreads(config, opts);
  const detector = await loadDetectorInWorker(config.modelPath, {
    intraOpNumThreads: threads,
    ...(config.executionProvider && config.executionProvider !== 'cpu' ? { executionProvider: config.executionProvider } : {}),
  });
  return { detector, modelVersion: await modelVersion(config.modelPath), threads };
}
