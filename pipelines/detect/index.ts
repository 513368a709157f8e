// The detect stage's public surface.
export { loadDetector, type DetectorOptions } from './detector.ts';
export { letterbox, toModel, toSource, letterboxFilter, PAD_VALUE, type Letterbox, type PadAlign } from './letterbox.ts';
export { measureLatency, median } from './latency.ts';
export { parseModelConfig, loadModelConfig, siblingConfigPath, type ModelConfig } from './model-config.ts';
export { COCO_CLASSES, DEFAULT_CLASS_MAP } from './class-map.ts';
export { defaultThreads, EXECUTION_PROVIDERS, CUDA_INSTALL_HINT, type ExecutionProvider } from './session.ts';
export { letterboxRgb } from './preprocess.ts';
export { LAYOUTS, type Detector, type InputSpec, type LayoutName, type LetterboxedFrame, type Size } from './types.ts';
export { loadDetectorInWorker } from './worker.ts';
