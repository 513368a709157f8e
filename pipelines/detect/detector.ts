// loadDetector: model file (+ optional config) → Detector. Composes the
// session, the layout adapter, the class map, NMS, the rider merge and the
// letterbox mapping. One session per model per process: loading the same
// model again returns a handle on the same session (sessions hold the
// weights and thread pool; two of them would compete for the same cores).
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { CrosswatchError, formatIssues } from '../errors.ts';
import { ROAD_USER_CLASSES, type Detection, type Frame } from '../types.ts';
import { type Decoder, type OutputTensor } from './adapters/index.ts';
import { resolveClassMap, type ResolvedClassMap } from './class-map.ts';
import { resolveLayout } from './layout.ts';
import { letterbox, toSource, type Letterbox, type PadAlign } from './letterbox.ts';
import { loadModelConfig, parseModelConfig, siblingConfigPath, type ModelConfig } from './model-config.ts';
import { nms } from './nms.ts';
import { letterboxRgb, toInputTensor } from './preprocess.ts';
import { mergeRiders } from './rider.ts';
import { openModel, readInputSpec, readModelFile, type SessionTuning } from './session.ts';
import { Candidates, type Detector, type InputSpec, type LayoutName, type LetterboxedFrame } from './types.ts';

export interface DetectorOptions extends SessionTuning {
  /**
   * The model config: an object, a path, or absent to use `<model>.json`
   * beside the model file when there is one.
   */
  config?: ModelConfig | string;
  /** Overrides the config's score_threshold (default 0.25). */
  scoreThreshold?: number;
  /** Overrides the config's nms_iou (default 0.5). */
  nmsIou?: number;
}

/**
 * Defaults and their trade-offs:
 * - score 0.25: lower finds more distant, small road users but feeds the
 *   tracker more false boxes; the tracker's two-stage association copes with
 *   low-score boxes better than with missing ones.
 * - NMS IoU 0.5: queued cars seen from a pole camera overlap heavily; a lower
 *   value merges neighbours, a higher one leaves duplicates of one car.
 */
const DEFAULTS = { scoreThreshold: 0.25, nmsIou: 0.5, crossClassIou: 1, maxDetections: 300, riderMerge: true, riderIoa: 0.5, riderScoreRatio: 0.5, letterbox: 'center' as PadAlign };

const shared = new Map<string, { detector: Promise<DetectorCore>; refs: number }>();

/** Loads (or reuses) a detector. `model` is a path, or ONNX bytes (never shared). */
export async function loadDetector(model: string | Uint8Array, opts: DetectorOptions = {}): Promise<Detector> {
  if (typeof model !== 'string') return handle(await createCore(model, '<bytes>', opts), () => undefined);
  const key = JSON.stringify([path.resolve(model), opts]);
  let entry = shared.get(key);
  if (!entry) {
    entry = { detector: createCore(model, model, opts), refs: 0 };
    shared.set(key, entry);
    entry.detector.catch(() => shared.delete(key));
  }
  entry.refs++;
  const e = entry;
  return handle(await e.detector, () => {
    if (--e.refs === 0) shared.delete(key);
    return e.refs;
  });
}

function handle(core: DetectorCore, release: () => number | undefined): Detector {
  let closed = false;
  return {
    inputSpec: core.inputSpec,
    layout: core.layout,
    modelClasses: core.modelClasses,
    detect: (batch) => {
      if (closed) return Promise.reject(new Error('detector is closed'));
      return core.detect(batch);
    },
    async close() {
      if (closed) return;
      closed = true;
      const left = release();
      if (!left) await core.session.release();
    },
  };
}

function resolveConfig(model: string | Uint8Array, source: string, opts: DetectorOptions): ModelConfig {
  if (typeof opts.config === 'string') return loadModelConfig(opts.config);
  if (opts.config) return parseModelConfig(opts.config, 'options.config');
  if (typeof model === 'string') {
    const sibling = siblingConfigPath(source);
    if (sibling !== source && existsSync(sibling)) return loadModelConfig(sibling);
  }
  return {};
}

async function createCore(model: string | Uint8Array, source: string, opts: DetectorOptions): Promise<DetectorCore> {
  const config = resolveConfig(model, source, opts);
  const bytes = typeof model === 'string' ? await readModelFile(model) : model;
  const { session, metadata } = await openModel(bytes, source, opts);
  try {
    const spec = readInputSpec(session, source, config.input);
    const outputNames = session.outputNames;
    // Warm-up at load: the first run allocates buffers and finishes graph
    // optimisations, and it gives the concrete output shapes the layout
    // detection needs (declared shapes may be symbolic).
    const warm = await runOnce(session, spec, outputNames, [blank(spec)], source);
    const layout = resolveLayout({
      source,
      outputs: outputNames.map((name, i) => ({ name, dims: warm[i]!.dims })),
      metadata,
      config,
      input: spec,
    });
    const { map, issues } = resolveClassMap(layout.classes, config.class_map);
    if (issues.length > 0) {
      throw new CrosswatchError('MODEL_INVALID', `model ${source}: class map is invalid:\n${formatIssues(issues)}`, { details: { path: source, issues } });
    }
    const params = {
      scoreThreshold: opts.scoreThreshold ?? config.score_threshold ?? DEFAULTS.scoreThreshold,
      nmsIou: opts.nmsIou ?? config.nms_iou ?? DEFAULTS.nmsIou,
      crossClassIou: config.cross_class_iou ?? DEFAULTS.crossClassIou,
      maxDetections: config.max_detections ?? DEFAULTS.maxDetections,
      riderMerge: config.rider_merge ?? DEFAULTS.riderMerge,
      riderIoa: config.rider_ioa ?? DEFAULTS.riderIoa,
      riderScoreRatio: config.rider_score_ratio ?? DEFAULTS.riderScoreRatio,
      align: config.letterbox ?? DEFAULTS.letterbox,
    };
    // YOLOX exports normalise nothing: they were trained on 0..255 floats.
    const inputSpec: InputSpec = { ...spec, range: config.input_range ?? (layout.adapter.name === 'yolox' ? '0-255' : '0-1') };
    const decoder = layout.adapter.decoder({
      input: spec,
      strides: layout.strides,
      numClasses: layout.classes.length,
      scoreThreshold: params.scoreThreshold,
      toOurs: map.toOurs,
    });
    return new DetectorCore(session, source, inputSpec, outputNames, layout.adapter.name, layout.classes, decoder, map, params);
  } catch (err) {
    await session.release();
    throw err;
  }
}

function blank(spec: InputSpec): Frame {
  return { index: -1, t: 0, width: spec.width, height: spec.height, data: new Uint8Array(spec.width * spec.height * 3) };
}

async function runOnce(session: ort.InferenceSession, spec: InputSpec, outputNames: readonly string[], frames: readonly Frame[], source: string): Promise<OutputTensor[]> {
  const input = toInputTensor(frames, spec);
  const results = await session.run({ [spec.name]: new ort.Tensor(spec.dtype, input.data, input.dims) });
  return outputNames.map((name) => {
    const t = results[name]!;
    if (t.type !== 'float32') {
      throw new CrosswatchError('MODEL_INVALID', `model ${source}: output ${name} is ${t.type}; detector outputs must be float32`, { details: { path: source } });
    }
    return { data: t.data as Float32Array, dims: t.dims };
  });
}

class DetectorCore {
  private readonly candidates = new Candidates();

  constructor(
    readonly session: ort.InferenceSession,
    private readonly source: string,
    readonly inputSpec: InputSpec,
    private readonly outputNames: readonly string[],
    readonly layout: LayoutName,
    readonly modelClasses: readonly string[],
    private readonly decode: Decoder,
    private readonly classMap: ResolvedClassMap,
    private readonly params: { scoreThreshold: number; nmsIou: number; crossClassIou: number; maxDetections: number; riderMerge: boolean; riderIoa: number; riderScoreRatio: number; align: PadAlign },
  ) {}

  async detect(batch: readonly (Frame | LetterboxedFrame)[]): Promise<Detection[][]> {
    const out: Detection[][] = [];
    const step = Math.min(this.inputSpec.maxBatch, Math.max(1, batch.length));
    for (let start = 0; start < batch.length; start += step) {
      const prepared = batch.slice(start, start + step).map((f) => this.prepare(f));
      const outputs = await runOnce(this.session, this.inputSpec, this.outputNames, prepared.map((p) => p.frame), this.source);
      // Decode → NMS → riders → source pixels runs synchronously per item, so
      // the shared candidate buffer is never interleaved between calls.
      prepared.forEach((p, b) => out.push(this.postprocess(outputs, b, p.lb)));
    }
    return out;
  }

  private prepare(f: Frame | LetterboxedFrame): { frame: Frame; lb: Letterbox } {
    const spec = this.inputSpec;
    if ('source' in f) return { frame: f, lb: letterbox(f.source, spec, this.params.align) };
    const lb = letterbox(f, spec, this.params.align);
    return { frame: f.width === spec.width && f.height === spec.height ? f : letterboxRgb(f, lb), lb };
  }

  private postprocess(outputs: readonly OutputTensor[], b: number, lb: Letterbox): Detection[] {
    const c = this.candidates;
    c.reset();
    this.decode(outputs, b, c);
    if (c.count === 0) return [];
    let keep = nms(c, { iouThreshold: this.params.nmsIou, crossClassIou: this.params.crossClassIou, maxDetections: this.params.maxDetections });
    if (this.params.riderMerge) keep = mergeRiders(c, keep, this.classMap, { minIoa: this.params.riderIoa, minScoreRatio: this.params.riderScoreRatio });
    const dets: Detection[] = [];
    for (const i of keep) {
      const box = toSource({ x1: c.x1[i]!, y1: c.y1[i]!, x2: c.x2[i]!, y2: c.y2[i]! }, lb);
      if (box.x2 <= box.x1 || box.y2 <= box.y1) continue; // entirely in the padding
      dets.push({ box, cls: ROAD_USER_CLASSES[c.cls[i]!]!, score: c.score[i]! });
    }
    return dets;
  }
}

