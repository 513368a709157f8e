// Reads what onnxruntime-node does not expose: the model's custom
// metadata_props (Ultralytics `names`/`stride`, Crosswatch `crosswatch.layout`).
// Only the top level of ModelProto is walked; the graph is skipped as a view.
import { readFields } from './protobuf.ts';

const MODEL_METADATA_PROPS = 14;
const MODEL_GRAPH = 7;

export interface ModelInfo {
  metadata: Record<string, string>;
  hasGraph: boolean;
}

/** Throws on bytes that are not a protobuf message (the caller names the file). */
export function readModelInfo(bytes: Uint8Array): ModelInfo {
  const metadata: Record<string, string> = {};
  let hasGraph = false;
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (const f of readFields(bytes)) {
    if (f.field === MODEL_GRAPH && f.bytes) hasGraph = true;
    if (f.field !== MODEL_METADATA_PROPS || !f.bytes) continue;
    let key = '';
    let value = '';
    for (const e of readFields(f.bytes)) {
      if (e.field === 1 && e.bytes) key = dec.decode(e.bytes);
      if (e.field === 2 && e.bytes) value = dec.decode(e.bytes);
    }
    metadata[key] = value;
  }
  return { metadata, hasGraph };
}
