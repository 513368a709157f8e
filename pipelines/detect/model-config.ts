// The optional model config JSON beside a model (`yolov8n.onnx` →
// `yolov8n.json`) or passed in: what the model file cannot say about itself.
// Every problem is reported with its JSON path, all at once.
import { readFileSync } from 'node:fs';
import { CrosswatchError, formatIssues, type PathIssue } from '../errors.ts';
import { LAYOUTS, type LayoutName } from './types.ts';
import type { PadAlign } from './letterbox.ts';

export interface ModelConfig {
  /** Output layout; found from shapes and metadata when absent. */
  layout?: LayoutName;
  /** Model class names by id; from metadata (Ultralytics `names`) or COCO (80 classes) when absent. */
  classes?: string[];
  /** Model class name → road-user class; classes not named are dropped. Default: COCO + our own names. */
  class_map?: Record<string, string>;
  score_threshold?: number;
  nms_iou?: number;
  /** Overlap above which a box gives way to a higher-scored box of another class (default 1: never). */
  cross_class_iou?: number;
  max_detections?: number;
  /** Input size for models whose input height/width are dynamic. */
  input?: { width: number; height: number };
  /** Grid strides for YOLOX/YOLOv5 shape checks and YOLOX decoding; default [8, 16, 32]. */
  strides?: number[];
  letterbox?: PadAlign;
  /**
   * Merge a person riding a two-wheeler into it (see rider.ts; default true).
   * Off for models trained to box the rider with the two-wheeler as one
   * road user (the default model): there a person box is someone on foot,
   * and merging only loses pedestrians standing by bicycles.
   */
  rider_merge?: boolean;
  /** Rider merge threshold (see rider.ts). */
  rider_ioa?: number;
  /** Rider merge: the two-wheeler's least score as a share of the person's (see rider.ts; default 0.5). */
  rider_score_ratio?: number;
  /** Float inputs: "0-1" (bytes / 255) or "0-255". Default "0-255" for YOLOX, "0-1" otherwise. */
  input_range?: '0-1' | '0-255';
}

type Check = (v: unknown, path: string, issues: PathIssue[]) => void;

/** The model config file beside a model: `<model>.json` for `<model>.onnx`. */
export function siblingConfigPath(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '') + '.json';
}

const fraction = (lo: 'open' | 'closed'): Check => (v, path, issues) => {
  if (typeof v !== 'number' || !(lo === 'open' ? v > 0 : v >= 0) || v > 1) {
    issues.push({ path, message: `must be a number ${lo === 'open' ? '> 0' : '>= 0'} and <= 1` });
  }
};
const boolean: Check = (v, path, issues) => {
  if (typeof v !== 'boolean') issues.push({ path, message: 'must be true or false' });
};
const positiveInt: Check = (v, path, issues) => {
  if (!Number.isInteger(v) || (v as number) < 1) issues.push({ path, message: 'must be an integer >= 1' });
};
const oneOf = (values: readonly string[]): Check => (v, path, issues) => {
  if (typeof v !== 'string' || !values.includes(v)) issues.push({ path, message: `must be one of ${values.map((s) => `"${s}"`).join(', ')}` });
};
const stringArray: Check = (v, path, issues) => {
  if (!Array.isArray(v) || v.length === 0) return void issues.push({ path, message: 'must be a non-empty array of class names' });
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s === '') issues.push({ path: `${path}/${i}`, message: 'must be a non-empty string' });
  });
};
const stringRecord: Check = (v, path, issues) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return void issues.push({ path, message: 'must be an object of model class → road-user class' });
  for (const [k, s] of Object.entries(v)) {
    if (typeof s !== 'string') issues.push({ path: `${path}/${k}`, message: 'must be a string' });
  }
};
const size: Check = (v, path, issues) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return void issues.push({ path, message: 'must be { "width": ..., "height": ... }' });
  const o = v as Record<string, unknown>;
  for (const k of ['width', 'height']) positiveInt(o[k], `${path}/${k}`, issues);
  for (const k of Object.keys(o)) if (k !== 'width' && k !== 'height') issues.push({ path: `${path}/${k}`, message: 'unknown key' });
};
const strides: Check = (v, path, issues) => {
  if (!Array.isArray(v) || v.length === 0) return void issues.push({ path, message: 'must be a non-empty array of integers' });
  v.forEach((s, i) => positiveInt(s, `${path}/${i}`, issues));
};

const FIELDS: Record<keyof ModelConfig, Check> = {
  layout: oneOf(LAYOUTS),
  classes: stringArray,
  class_map: stringRecord,
  score_threshold: fraction('closed'),
  nms_iou: fraction('open'),
  cross_class_iou: fraction('open'),
  max_detections: positiveInt,
  input: size,
  strides,
  letterbox: oneOf(['center', 'top-left']),
  rider_merge: boolean,
  rider_ioa: fraction('open'),
  rider_score_ratio: fraction('closed'),
  input_range: oneOf(['0-1', '0-255']),
};

/** Checks the shape of a parsed config; throws MODEL_INVALID naming every bad path. */
export function parseModelConfig(value: unknown, source: string): ModelConfig {
  const issues: PathIssue[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path: '', message: 'must be a JSON object' });
  } else {
    for (const [k, v] of Object.entries(value)) {
      const check = FIELDS[k as keyof ModelConfig];
      if (check) check(v, `/${k}`, issues);
      else issues.push({ path: `/${k}`, message: `unknown key (known: ${Object.keys(FIELDS).join(', ')})` });
    }
  }
  if (issues.length > 0) throw configError(source, issues);
  return value as ModelConfig;
}

export function configError(source: string, issues: PathIssue[]): CrosswatchError {
  return new CrosswatchError('MODEL_INVALID', `model config ${source} is invalid:\n${formatIssues(issues)}`, { details: { source, issues } });
}

/** Reads and validates a config file; a missing or unparsable file names the path. */
export function loadModelConfig(path: string): ModelConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new CrosswatchError('MODEL_INVALID', `cannot read model config ${path}: ${(cause as Error).message}`, { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CrosswatchError('MODEL_INVALID', `model config ${path} is not JSON: ${(cause as Error).message}`, { cause });
  }
  return parseModelConfig(json, path);
}
