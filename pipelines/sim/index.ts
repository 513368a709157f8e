// The intersection digital twin: synthetic pole-camera footage of a
// signalised junction with exact ground truth and its own sites file.
//
//   simulateClip(options)        -> simulation, scene, groundTruth, sites (pure, no pixels)
//   renderClip(options, sink)    -> the same, with every RGB24 frame pushed into sink
//   writeClip({ ...options, out, ffmpegPath }) -> OUT.mp4, OUT.gt.json.gz, OUT.sites.json
//   sitesFor({ seed, layout?, width?, height? }) -> the sites file of a layout
export { simulateClip, renderClip, renderFrames, localHour, DEFAULT_START, type ClipOptions, type SimulatedClip, type FrameSink } from './render.ts';
export { writeClip, writeGroundTruth, readGroundTruth, clipPaths, type WriteClipOptions, type WrittenClip } from './clip.ts';
export { startEncoder, TWIN_X264_PARAMS, type EncoderOptions, type Encoder } from './encoder.ts';
export { truthInWindow, type CategoryTally } from './window-truth.ts';
export { GT_FORMAT, type GroundTruth, type GtBoxRow, type GtActor, type GtEvent, type GtExposure } from './ground-truth.ts';
export { parseConditions, conditionWords, CONDITION_WORDS, type Conditions, type Light } from './conditions.ts';
export { LAYOUTS, LAYOUT_NAMES, chooseLayout, type LayoutSpec } from './layout.ts';
export { DEFAULT_BEHAVIOUR, demandAt, type BehaviourConfig } from './behaviour.ts';
export { DEFAULT_TIMINGS, colourAt, timeline, type SignalTimings, type SignalPlan } from './signals.ts';
export { sitesFor } from './sites-for.ts';
