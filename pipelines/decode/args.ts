// The ffmpeg command for one piece of a window, built in one place so the
// pipeline and the benchmark (`-f null -`) run exactly the same seek and
// filter chain.
//
// Sampling uses `select` rather than the fps filter: select passes real
// source frames with their own timestamps (read back through showinfo), and
// a corrupt or missing stretch stays missing, where fps would duplicate the
// last good frame over it and hide the loss. After lost data the decoder
// still outputs the frames that reference it, smeared by error concealment;
// select drops those too, until the next keyframe.
import type { PackedLayout } from './layout.ts';
import type { Piece } from './plan.ts';
import { SLOT_EPSILON } from './plan.ts';
import type { Rect } from './types.ts';

export interface PieceArgsOptions {
  t0: number;
  sampleFps: number;
  layout: PackedLayout;
  /** RGB of the letterbox padding; YOLO models expect 114 grey. */
  padColour?: readonly [number, number, number];
  /** Decoder and filter threads; 0 lets ffmpeg choose. */
  threads?: number;
}

export interface PieceCommand {
  input: string;
  inputOptions: string[];
  filterGraph: string;
  /** Output options up to (not including) the target; map, sync and format. */
  outputOptions: string[];
}

// Frames past the window's end are dropped by select; reading this much
// beyond it only makes sure the last frame before t1 is decoded at all.
const READ_MARGIN_S = 0.5;

export function pieceCommand(piece: Piece, o: PieceArgsOptions): PieceCommand {
  const threads = String(o.threads ?? 0);
  const durationS = (piece.to - piece.from) / 1000 + READ_MARGIN_S;
  return {
    input: piece.segment.path,
    inputOptions: ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-threads', threads, '-ss', secs(piece.seekS), '-t', secs(durationS)],
    filterGraph: filterGraph(piece, o),
    outputOptions: ['-filter_complex_threads', threads, '-map', '[out]', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24'],
  };
}

/** The whole argument list; `output` is `pipe:1` for the pipeline, or `-f null -` style for the benchmark. */
export function buildDecodeArgs(piece: Piece, o: PieceArgsOptions, output: 'pipe' | 'null' = 'pipe'): string[] {
  const c = pieceCommand(piece, o);
  const target = output === 'pipe' ? ['pipe:1'] : ['-f', 'null', '-'];
  return [...c.inputOptions, '-i', c.input, '-filter_complex', c.filterGraph, ...c.outputOptions, ...target];
}

/**
 * select → split → (detector branch, one branch per signal head) → stack.
 * Times inside the graph are seconds since the seek point; OFF shifts them
 * to seconds since the window start, where slots are counted.
 */
export function filterGraph(piece: Piece, o: PieceArgsOptions): string {
  const { layout } = o;
  const off = secs((piece.from - o.t0) / 1000);
  const fromS = secs((piece.from - o.t0) / 1000);
  const toS = secs((piece.to - o.t0) / 1000);
  const select = selectFilter(off, fromS, toS, o.sampleFps, DISCONTINUITY_FRAMES / piece.segment.fps);
  const branches = 2 + layout.cells.length;
  const head = `[0:v]${select},split=${branches}[ts][d]${layout.cells.map((_, i) => `[s${i}]`).join('')}`;
  // showinfo prints each selected frame's pts; on a 2×2 crop its checksums
  // cost nothing, where on the packed frame they cost ~8 % of the decode.
  const chains = [head, '[ts]crop=2:2:0:0,showinfo,nullsink', `[d]${detChain(o)}[det]`];
  chains.push(...stripChains(layout));
  const stackInputs = ['[det]', ...layout.shelves.map((_, i) => `[shelf${i}]`)];
  chains.push(stackInputs.length > 1 ? `${stackInputs.join('')}vstack=inputs=${stackInputs.length}[out]` : `[det]null[out]`);
  return chains.join(';');
}

/**
 * Source frames further apart than this many nominal frame intervals mean
 * data was lost. Lowering it catches a single lost frame but risks dropping
 * up to a GOP of good frames from a file whose rate merely varies.
 */
export const DISCONTINUITY_FRAMES = 2.5;

/**
 * Keep the first source frame of each slot inside [from, to), skipping
 * frames decoded after a timestamp jump until a keyframe. Variable 0 (st/ld,
 * kept between frames) holds "references lost".
 */
function selectFilter(off: string, fromS: string, toS: string, fps: number, gapS: number): string {
  const s = `(t+${off})`;
  const slot = (time: string) => `floor(${time}*${fps}+${SLOT_EPSILON})`;
  const healthy = `(1-st(0,if(key,0,if(gt(t-prev_t,${gapS.toFixed(6)}),1,ld(0)))))`;
  const newSlot = `if(isnan(prev_selected_t),1,gt(${slot(s)},${slot(`(prev_selected_t+${off})`)}))`;
  return `select='${healthy}*gte(${s},${fromS}-${SLOT_EPSILON})*lt(${s},${toS})*${newSlot}'`;
}

function detChain(o: PieceArgsOptions): string {
  const { det, width, detHeight } = o.layout;
  // Scale and RGB conversion in one swscale pass; pad after the conversion so
  // the pad colour is exact RGB, not a YUV approximation of it.
  return [
    crop(det.crop),
    `scale=${det.scaledWidth}:${det.scaledHeight}:flags=bilinear`,
    'format=rgb24',
    `pad=${width}:${detHeight}:${det.padX}:${det.padY}:color=0x${hex(o.padColour ?? [114, 114, 114])}`,
  ].join(',');
}

/** One chain per head; each cell padded to its shelf's height, the last one of a shelf also to the strip's width. */
function stripChains(layout: PackedLayout): string[] {
  const chains: string[] = [];
  let i = 0;
  layout.shelves.forEach((shelf, s) => {
    const labels: string[] = [];
    shelf.cells.forEach((cell, k) => {
      const last = k === shelf.cells.length - 1;
      const padW = last ? layout.width - cell.x : cell.width;
      const scale = cell.width === cell.source.width && cell.height === cell.source.height ? '' : `scale=${cell.width}:${cell.height}:flags=bicubic,`;
      chains.push(`[s${i}]${crop(cell.source)},${scale}format=rgb24,pad=${padW}:${shelf.height}:0:0:color=black[c${i}]`);
      labels.push(`[c${i}]`);
      i++;
    });
    chains.push(labels.length > 1 ? `${labels.join('')}hstack=inputs=${labels.length}[shelf${s}]` : `${labels[0]}null[shelf${s}]`);
  });
  return chains;
}

// exact=1: keep odd offsets instead of rounding them to the chroma grid, so a
// box found in the crop maps back to the right full-resolution pixel.
function crop(r: Rect): string {
  return `crop=${r.width}:${r.height}:${r.x}:${r.y}:exact=1`;
}

function hex(rgb: readonly [number, number, number]): string {
  return rgb.map((c) => Math.max(0, Math.min(255, Math.round(c))).toString(16).padStart(2, '0')).join('');
}

/** Seconds with millisecond precision, never in exponent notation. */
function secs(s: number): string {
  return (Math.round(s * 1000) / 1000).toFixed(3);
}
