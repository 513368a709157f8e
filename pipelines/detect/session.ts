// Loading a model file into an ONNX Runtime session, and reading what the
// model wants as input. Errors name the file: a missing file, bytes that are
// not ONNX, a graph ONNX Runtime rejects, an input we cannot feed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { CrosswatchError } from '../errors.ts';
import { readModelInfo } from '../../models/onnx/metadata.ts';
import type { InputSpec, Size } from './types.ts';

export interface SessionTuning {
  /**
   * Threads one inference uses. More threads cut latency until they compete
   * with ffmpeg decoding and the other stages for cores; on the 2-core
   * reference machine 2 is fastest for inference alone, 1 leaves a core to
   * decoding when both run at once. Default: defaultThreads().
   */
  intraOpNumThreads?: number;
  /**
   * ONNX Runtime execution provider (default 'cpu'). 'cuda' needs
   * onnxruntime-node's CUDA binaries, which its npm package does not ship:
   * see cudaProviderFile() and README, "Performance and sizing".
   */
  executionProvider?: ExecutionProvider;
  /**
   * Let idle intra-op threads spin-wait for work (ONNX Runtime's default).
   * Default off here: the detector shares its cores with ffmpeg, and on the
   * 2-core reference machine spinning threads burned 17-20 ms of CPU per
   * 2-thread inference instead of 7 ms, CPU that decoding needed
   * (README, "Performance and sizing"). Raising it may shave latency on idle, dedicated cores.
   */
  spinning?: boolean;
}

export const EXECUTION_PROVIDERS = ['cpu', 'cuda'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

/** How a GPU deployment gets the CUDA provider (quoted in the error and in README, "Performance and sizing"). */
export const CUDA_INSTALL_HINT =
  'onnxruntime-node ships only the CPU provider in its npm package; on a machine with an NVIDIA GPU (CUDA 12, cuDNN 9) that may download, ' +
  'run `node node_modules/onnxruntime-node/script/install --onnxruntime-node-install=cuda12` (or `ONNXRUNTIME_NODE_INSTALL=cuda12 npm rebuild onnxruntime-node`), ' +
  'then check that libonnxruntime_providers_cuda.so is in onnxruntime-node/bin/napi-v6/linux/x64; or set CROSSWATCH_EXECUTION_PROVIDER=cpu';

/** Where onnxruntime-node looks for its CUDA provider library (Linux x64 only). */
export function cudaProviderFile(): string {
  const pkg = createRequire(import.meta.url).resolve('onnxruntime-node/package.json');
  return path.join(path.dirname(pkg), 'bin', 'napi-v6', `${process.platform}`, `${process.arch}`, 'libonnxruntime_providers_cuda.so');
}

/**
 * Intra-op threads for a process's one detector: a core for each window's
 * ffmpeg, the rest (1 to 4) for inference. A second thread on a core that
 * ffmpeg also wants gains nothing: on the 2-core reference machine (`npm run
 * bench`, 5 min of 720p25, alternating runs) a window took 22.1–22.7 s and
 * 40–42 CPU seconds with 1 thread, 22.2–24.9 s and 42–46 with 2, though
 * inference alone is faster on 2 (13.4–14.5 s against 16.3–16.9).
 */
export function defaultThreads(windowsAtOnce = 1): number {
  return Math.max(1, Math.min(4, os.availableParallelism() - windowsAtOnce));
}

/**
 * Session options: all graph optimisations (constant folding, conv+activation
 * fusion: paid once at load), sequential execution (detectors are a chain of
 * layers, parallel execution only adds scheduling), one inter-op thread,
 * memory arena and pattern on (shapes repeat run after run), idle threads
 * sleeping rather than spinning (SessionTuning.spinning).
 */
export function sessionOptions(t: SessionTuning): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: [t.executionProvider ?? 'cpu'],
    intraOpNumThreads: t.intraOpNumThreads ?? defaultThreads(),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    enableCpuMemArena: true,
    enableMemPattern: true,
    // Session config entries (onnxruntime_session_options_config_keys.h); onnxruntime-node 1.30 applies them.
    extra: { session: { intra_op: { allow_spinning: t.spinning ? '1' : '0' } } },
  };
}

export interface LoadedModel {
  session: ort.InferenceSession;
  metadata: Record<string, string>;
}

/** Reads a model file; a missing or unreadable file names the path. */
export async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    const why = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message;
    throw new CrosswatchError('MODEL_INVALID', `cannot read model ${path}: ${why}`, { cause, details: { path } });
  }
}

/** Parses metadata and opens a session; corrupt bytes are reported against `source`. */
export async function openModel(bytes: Uint8Array, source: string, tuning: SessionTuning): Promise<LoadedModel> {
  let metadata: Record<string, string>;
  try {
    const info = readModelInfo(bytes);
    if (!info.hasGraph) throw new Error('no graph in the file');
    metadata = info.metadata;
  } catch (cause) {
    throw modelError(`model ${source} is not an ONNX model (corrupt or truncated?)`, source, cause);
  }
  const provider = tuning.executionProvider ?? 'cpu';
  if (provider === 'cuda') checkCudaProvider(source);
  try {
    return { session: await ort.InferenceSession.create(bytes, sessionOptions(tuning)), metadata };
  } catch (cause) {
    if (provider === 'cuda') {
      throw new CrosswatchError('MODEL_INVALID', `ONNX Runtime cannot load model ${source} with the CUDA execution provider: ${(cause as Error).message}. ${CUDA_INSTALL_HINT}`, {
        cause,
        details: { path: source, executionProvider: provider },
      });
    }
    throw modelError(`ONNX Runtime cannot load model ${source}`, source, cause);
  }
}

/** Fails before ONNX Runtime does (its own message names a missing .so only) when the CUDA files are absent. */
function checkCudaProvider(source: string): void {
  const file = process.platform === 'linux' && process.arch === 'x64' ? cudaProviderFile() : undefined;
  if (file && existsSync(file)) return;
  const where = file ? `${file} is missing` : `onnxruntime-node has no CUDA provider for ${process.platform}/${process.arch}`;
  throw new CrosswatchError('MODEL_INVALID', `cannot load model ${source} with execution provider "cuda" (CROSSWATCH_EXECUTION_PROVIDER): ${where}. ${CUDA_INSTALL_HINT}`, {
    details: { path: source, executionProvider: 'cuda' },
  });
}

function modelError(what: string, source: string, cause: unknown): CrosswatchError {
  return new CrosswatchError('MODEL_INVALID', `${what}: ${(cause as Error).message}`, {
    cause,
    details: { path: source },
  });
}

/**
 * Input size, layout and dtype from the model's input metadata. An image
 * input is [B, H, W, 3] (NHWC) or [B, 3, H, W] (NCHW); dynamic H and W
 * need `configured` (the model config's `input`).
 */
export function readInputSpec(session: ort.InferenceSession, source: string, configured?: Size): InputSpec {
  const bad = (why: string) => new CrosswatchError('MODEL_INVALID', `model ${source}: ${why}`, { details: { path: source } });
  const metas = session.inputMetadata;
  if (metas.length !== 1) throw bad(`expected one image input, found ${metas.length} (${metas.map((m) => m.name).join(', ')})`);
  const m = metas[0]!;
  if (!m.isTensor) throw bad(`input ${m.name} is not a tensor`);
  const shape = m.shape;
  if (m.type !== 'uint8' && m.type !== 'float32') throw bad(`input ${m.name} has type ${m.type}; supported: uint8, float32`);
  const layout = shape.length === 4 && shape[3] === 3 ? 'NHWC' : shape.length === 4 && shape[1] === 3 ? 'NCHW' : undefined;
  if (!layout) throw bad(`input ${m.name} has shape [${shape.join(', ')}]; expected [B, H, W, 3] or [B, 3, H, W]`);
  const [hDim, wDim] = layout === 'NHWC' ? [shape[1], shape[2]] : [shape[2], shape[3]];
  const height = typeof hDim === 'number' ? hDim : configured?.height;
  const width = typeof wDim === 'number' ? wDim : configured?.width;
  if (height === undefined || width === undefined) {
    throw bad(`input ${m.name} has dynamic size [${shape.join(', ')}]; give "input": {"width", "height"} in the model config`);
  }
  if (configured && (configured.width !== width || configured.height !== height)) {
    throw bad(`the model config's input ${configured.width}x${configured.height} contradicts the model's ${width}x${height}`);
  }
  const b = shape[0];
  return { name: m.name, width, height, layout, dtype: m.type, maxBatch: typeof b === 'number' && b > 0 ? b : Infinity, range: '0-1' };
}
