// Which adapter reads this model's outputs, and what its classes are called.
// Sources, first one wins: the model config's `layout`, the model's metadata
// (`crosswatch.layout`, Ultralytics `end2end`), then the concrete output
// shapes (taken from the warm-up run, so dynamic dimensions are resolved).
import { CrosswatchError } from '../errors.ts';
import { ADAPTERS, SHAPE_DETECTABLE, type Adapter } from './adapters/index.ts';
import { COCO_CLASSES } from './class-map.ts';
import type { ModelConfig } from './model-config.ts';
import { LAYOUTS, type LayoutName, type Size } from './types.ts';

export interface NamedShape {
  name: string;
  dims: readonly number[];
}

export interface ResolvedLayout {
  adapter: Adapter;
  classes: string[];
  strides: number[];
}

export interface LayoutInputs {
  source: string;
  outputs: readonly NamedShape[];
  metadata: Readonly<Record<string, string>>;
  config: ModelConfig;
  input: Size;
}

export function resolveLayout(m: LayoutInputs): ResolvedLayout {
  const strides = m.config.strides ?? stridesFromMetadata(m.metadata);
  const ctx = { input: m.input, strides };
  const shapes = m.outputs.map((o) => o.dims);
  const named = namedLayout(m);
  let adapter: Adapter;
  let nc: number | undefined;
  if (named) {
    adapter = ADAPTERS[named.layout];
    nc = adapter.match(shapes, ctx);
    if (nc === undefined) {
      throw invalid(m, `its outputs ${describe(m.outputs)} do not fit layout "${named.layout}" (named by ${named.by}), which expects ${adapter.expects}`);
    }
  } else {
    const fits = SHAPE_DETECTABLE.map((l) => ADAPTERS[l]).filter((a) => a.match(shapes, ctx) !== undefined);
    if (fits.length === 0) {
      throw invalid(m, `its outputs ${describe(m.outputs)} (input ${m.input.width}x${m.input.height}) match no known layout; known layouts:\n${knownLayouts()}`);
    }
    if (fits.length > 1) {
      throw invalid(m, `its outputs ${describe(m.outputs)} fit several layouts (${fits.map((a) => a.name).join(', ')}); name one as "layout" in the model config`);
    }
    adapter = fits[0]!;
    nc = adapter.match(shapes, ctx)!;
  }
  const classes = classNames(m, nc);
  return { adapter, classes, strides };
}

function namedLayout(m: LayoutInputs): { layout: LayoutName; by: string } | undefined {
  if (m.config.layout) return { layout: m.config.layout, by: 'the model config' };
  const meta = m.metadata['crosswatch.layout'];
  if (meta !== undefined) {
    if (!(LAYOUTS as readonly string[]).includes(meta)) {
      throw invalid(m, `its metadata crosswatch.layout "${meta}" is not one of ${LAYOUTS.join(', ')}`);
    }
    return { layout: meta as LayoutName, by: 'the model metadata' };
  }
  if (/^true$/i.test(m.metadata.end2end ?? '')) return { layout: 'end2end', by: 'the model metadata end2end' };
  return undefined;
}

function classNames(m: LayoutInputs, nc: number): string[] {
  const fromMeta = metadataClasses(m);
  const names = m.config.classes ?? fromMeta?.names ?? (nc === 80 || nc === 0 ? [...COCO_CLASSES] : undefined);
  const from = m.config.classes ? 'the model config classes' : fromMeta ? `the model metadata ${fromMeta.key}` : 'COCO';
  if (!names) {
    throw invalid(m, `it has ${nc} classes but no class names; give "classes" in the model config`);
  }
  if (nc > 0 && names.length !== nc) {
    throw invalid(m, `its outputs carry ${nc} classes but ${from} lists ${names.length}`);
  }
  return names;
}

function metadataClasses(m: LayoutInputs): { names: string[]; key: string } | undefined {
  const cw = m.metadata['crosswatch.classes'];
  if (cw !== undefined) {
    try {
      const v: unknown = JSON.parse(cw);
      if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return { names: v, key: 'crosswatch.classes' };
    } catch {
      // fall through to the error below
    }
    throw invalid(m, `its metadata crosswatch.classes is not a JSON array of strings`);
  }
  const names = m.metadata.names;
  return names === undefined ? undefined : { names: parseUltralyticsNames(names), key: 'names' };
}

/** Ultralytics writes names as a Python dict repr: `{0: 'person', 1: 'bicycle'}`. */
export function parseUltralyticsNames(repr: string): string[] {
  const out: string[] = [];
  const re = /(\d+)\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")/g;
  for (const m of repr.matchAll(re)) out[Number(m[1])] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1');
  return Array.from(out, (n, i) => n ?? `class${i}`);
}

/** Ultralytics `stride` metadata is the largest stride: 32 → P3–P5, 64 → P3–P6. */
function stridesFromMetadata(meta: Readonly<Record<string, string>>): number[] {
  const max = Number(meta.stride);
  return max === 64 ? [8, 16, 32, 64] : [8, 16, 32];
}

function describe(outputs: readonly NamedShape[]): string {
  return outputs.map((o) => `${o.name} [${o.dims.join(', ')}]`).join(', ') || '(none)';
}

function knownLayouts(): string {
  return Object.values(ADAPTERS)
    .map((a) => `  ${a.name}: ${a.expects}`)
    .join('\n');
}

function invalid(m: LayoutInputs, why: string): CrosswatchError {
  return new CrosswatchError('MODEL_INVALID', `model ${m.source}: ${why}`, {
    details: { source: m.source, outputs: m.outputs, layouts: LAYOUTS },
  });
}
