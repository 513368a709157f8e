// Every calibrated signal head of one camera, read frame by frame: raw lamp
// readings in, accepted states out, one filter per head. All filters share the
// same look-ahead, so a frame's states are decided for every head at once.
import type { Calibration } from '../sites/schema.ts';
import type { SignalColour, SignalFrame } from '../types.ts';
import { readLamps, type HeadKind, type Orientation, type RgbView, DEFAULT_LAMP_OPTIONS, type LampReaderOptions } from './lamp-reader.ts';
import { SignalStateFilter, DEFAULT_FILTER_OPTIONS, type StateFilterOptions } from './state-filter.ts';

export interface SignalHead {
  id: string;
  kind: HeadKind;
  orientation: Orientation;
  region: { x: number; y: number; width: number; height: number };
}

/** The heads a calibration names: every approach's vehicle heads, every crosswalk's pedestrian head. */
export function signalHeads(calibration: Calibration): SignalHead[] {
  const vehicle = calibration.approaches.flatMap((a) =>
    a.signals.map((s) => ({ id: s.id, kind: 'vehicle' as const, orientation: s.orientation, region: s.region })),
  );
  const pedestrian = calibration.crosswalks.map((c) => ({
    id: c.signal.id,
    kind: 'pedestrian' as const,
    orientation: c.signal.orientation,
    region: c.signal.region,
  }));
  return [...vehicle, ...pedestrian];
}

interface FrameKey {
  frameIndex: number;
  t: number;
}

export class SignalBank {
  private readonly filters: Map<string, SignalStateFilter<FrameKey>>;

  constructor(
    readonly heads: readonly SignalHead[],
    private readonly lampOptions: LampReaderOptions = DEFAULT_LAMP_OPTIONS,
    filterOptions: StateFilterOptions = DEFAULT_FILTER_OPTIONS,
  ) {
    this.filters = new Map(heads.map((h) => [h.id, new SignalStateFilter<FrameKey>(filterOptions)]));
  }

  /** Raw reading of every head in one frame; a head missing from `views` reads `unknown`. */
  read(views: ReadonlyMap<string, RgbView>): Record<string, SignalColour> {
    const out: Record<string, SignalColour> = {};
    for (const h of this.heads) {
      const view = views.get(h.id);
      out[h.id] = view ? readLamps(view, h.kind, h.orientation, this.lampOptions).colour : 'unknown';
    }
    return out;
  }

  /** Feeds one frame's raw readings; returns the frames now decided, in order. */
  push(key: FrameKey, readings: Record<string, SignalColour>): SignalFrame[] {
    // A camera with no heads still yields one (empty) frame per frame.
    if (this.filters.size === 0) return [{ frameIndex: key.frameIndex, t: key.t, states: {} }];
    return this.collect((f, h) => f.push(key, readings[h] ?? 'unknown'));
  }

  finish(): SignalFrame[] {
    return this.collect((f) => f.finish());
  }

  private collect(step: (f: SignalStateFilter<FrameKey>, headId: string) => { item: FrameKey; colour: SignalColour }[]): SignalFrame[] {
    const frames: SignalFrame[] = [];
    for (const [headId, filter] of this.filters) {
      step(filter, headId).forEach((d, i) => {
        const frame = (frames[i] ??= { frameIndex: d.item.frameIndex, t: d.item.t, states: {} });
        frame.states[headId] = d.colour;
      });
    }
    return frames;
  }
}
