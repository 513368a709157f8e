// The process's one detector: the configured model in a worker thread (its
// session.run blocks an event loop for the whole inference), with its version.
import type { Config } from '../config.ts';
import { loadDetectorInWorker, type Detector } from '../../pipelines/detect/index.ts';
import { modelVersion } from './model-version.ts';

export interface LoadedDetector {
  detector: Detector;
  modelVersion: string;
}

/** ONNX Runtime threads: the cores left after ffmpeg's share (at least one). */
export async function openDetector(config: Pick<Config, 'modelPath'> & Partial<Pick<Config, 'executionProvider'>>, opts: { threads?: number } = {}): Promise<LoadedDetector> {
  const detector = await loadDetectorInWorker(config.modelPath, {
    ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    ...(config.executionProvider && config.executionProvider !== 'cpu' ? { executionProvider: config.executionProvider } : {}),
  });
  return { detector, modelVersion: await modelVersion(config.modelPath) };
}
