// The adapter registry, in the order shape-based detection tries them.
// `crosswatch` is last and never matched by shape alone (see layout.ts).
import type { LayoutName } from '../types.ts';
import type { Adapter } from './adapter.ts';
import { ultralytics } from './ultralytics.ts';
import { yolov5 } from './yolov5.ts';
import { yolox } from './yolox.ts';
import { end2end } from './end2end.ts';
import { crosswatch } from './crosswatch.ts';

export const ADAPTERS: Readonly<Record<LayoutName, Adapter>> = { ultralytics, yolov5, yolox, end2end, crosswatch };
/** Layouts that can be recognised from output shapes without metadata. */
export const SHAPE_DETECTABLE: readonly LayoutName[] = ['ultralytics', 'yolov5', 'yolox', 'end2end'];
export type { Adapter, OutputTensor, Decoder, DecodeSpec, MatchContext } from './adapter.ts';
