// What the speed script needs: the render stages, without the file writing.
export { simulateClip, renderFrames } from './render.ts';
export { startEncoder, x264ParamsOf } from './encoder.ts';
export { lookOf } from './conditions.ts';
