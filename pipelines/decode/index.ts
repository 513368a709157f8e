// Public face of the decode stage (see README section "Decode").
export { decodeWindow, windowDecodeArgs, DEFAULT_QUEUE_SIZE, DEFAULT_SAMPLE_FPS, type DecodeWindowOptions, type WindowDecode } from './window.ts';
export { extractFrame, extractMoments, segmentAt, type ExtractOptions, type FullFrame } from './extract.ts';
export { buildDecodeArgs, filterGraph, pieceCommand, type PieceArgsOptions, type PieceCommand } from './args.ts';
export { planWindow, slotOf, slotStart, type Piece, type WindowPlan } from './plan.ts';
export { letterboxFor, packedLayout, clampRect, type PackedLayout } from './layout.ts';
export type * from './types.ts';
