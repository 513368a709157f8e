// H.264 encoder sink: raw RGB24 frames piped into ffmpeg (libx264, yuv420p)
// through fluent-ffmpeg. Frames are drawn into a few recycled buffers
// (buffer()) written straight to ffmpeg's stdin: the renderer waits only
// for a free buffer, so drawing the next frames overlaps encoding, memory
// stays flat however fast frames are drawn, and no 2.7 MB buffer a frame is
// left to the garbage collector. The ffmpeg path is passed in: pipelines
// never look up binaries themselves.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ffmpeg from 'fluent-ffmpeg';
import type { FrameSink } from './render.ts';

export interface EncoderOptions {
  ffmpegPath: string;
  out: string;
  width: number;
  height: number;
  fps: number;
  /** x264 quality (lower is better); 23 normal, ~34 visibly compressed. */
  crf?: number;
  /** x264 preset (default veryfast). */
  preset?: string;
  /**
   * x264 options on top of the preset, in -x264-params syntax ("key=value:key=value").
   * Default: TWIN_X264_PARAMS with the default preset, none with any other; '' for the preset alone.
   */
  x264Params?: string;
}

/**
 * The twin's tuning of veryfast: subme 1 (one SAD subpixel refinement pass
 * instead of veryfast's SATD passes) and no 4x4 intra search (8x8 and 16x16
 * only). Sensor grain and rain give every macroblock a residual, so these
 * searches ran on the whole frame and were most of x264's time at night.
 * Measured on 6 s 720p25 clips (2 cores): ffmpeg CPU day -25%, night -43%,
 * night+rain -46%; luma PSNR against the rendered frames within 0.25 dB of
 * plain veryfast (moving road users included); files 4-10% larger. The
 * rendered frames are the same either way.
 */
export const TWIN_X264_PARAMS = 'subme=1:partitions=i8x8';
const DEFAULT_PRESET = 'veryfast';

/** The x264 options an encoder with these options runs with. */
export function x264ParamsOf(o: Pick<EncoderOptions, 'preset' | 'x264Params'>): string {
  return o.x264Params ?? ((o.preset ?? DEFAULT_PRESET) === DEFAULT_PRESET ? TWIN_X264_PARAMS : '');
}

export interface Encoder extends FrameSink {
  /** The next frame buffer to draw into (one of a few, recycled once ffmpeg has it). */
  buffer(): Promise<Uint8Array>;
  /** Closes the input and resolves when ffmpeg has written the file. */
  finish(): Promise<void>;
}

/**
 * Frame buffers in flight: one being drawn, the rest queued for ffmpeg's
 * stdin. Enough to keep ffmpeg fed while the next frame is drawn; raising it
 * only holds more memory (2.7 MB a frame at 720p).
 */
const POOL_FRAMES = 4;

export function startEncoder(o: EncoderOptions): Encoder {
  const frameBytes = o.width * o.height * 3;
  const pool = new Set<Uint8Array>();
  const free: Uint8Array[] = [];
  const waiting: (() => void)[] = [];
  const wake = () => waiting.splice(0).forEach((w) => w());
  let failure: Error | null = null;
  let stdin: Writable | null = null;
  const params = x264ParamsOf(o);
  const done = new Promise<void>((resolve, reject) => {
    const command = ffmpeg('pipe:0')
      .setFfmpegPath(o.ffmpegPath)
      .inputFormat('rawvideo')
      .inputOptions(['-pix_fmt rgb24', `-s ${o.width}x${o.height}`, `-r ${o.fps}`])
      .videoCodec('libx264')
      .outputOptions([`-preset ${o.preset ?? DEFAULT_PRESET}`, ...(params ? [`-x264-params ${params}`] : []), `-crf ${o.crf ?? 23}`, '-pix_fmt yuv420p', '-movflags +faststart', `-r ${o.fps}`, '-an'])
      .format('mp4')
      .on('start', () => {
        stdin = (command as unknown as { ffmpegProc: { stdin: Writable } }).ffmpegProc.stdin;
        // EPIPE when ffmpeg dies: reported through 'error' below with ffmpeg's own message.
        stdin.on('error', () => {});
        wake();
      })
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        failure = new Error(`ffmpeg failed writing ${o.out}: ${err.message}\n${(stderr ?? '').split('\n').slice(-6).join('\n')}`, { cause: err });
        reject(failure);
        wake();
      })
      .on('end', () => resolve())
      .save(o.out);
  });
  done.catch(() => {});
  /** ffmpeg's stdin once it runs (fluent-ffmpeg spawns it after probing its capabilities). */
  async function input(): Promise<Writable> {
    while (!stdin) {
      if (failure) throw failure;
      await new Promise<void>((w) => waiting.push(w));
    }
    return stdin;
  }
  return {
    async buffer() {
      for (;;) {
        if (failure) throw failure;
        const b = free.pop();
        if (b) return b;
        if (pool.size < POOL_FRAMES) {
          const fresh = Buffer.allocUnsafe(frameBytes);
          pool.add(fresh);
          return fresh;
        }
        await new Promise<void>((w) => waiting.push(w));
      }
    },
    async write(frame: Uint8Array) {
      if (failure) throw failure;
      const s = await input();
      if (pool.has(frame)) {
        // No copy: the buffer goes back to the pool once libuv has written all of it to the pipe.
        s.write(frame, (err) => {
          if (err) return;
          free.push(frame);
          wake();
        });
        return;
      }
      // A buffer of the caller's own: handed over as it is; wait for the pipe to drain so memory stays flat.
      if (!s.write(frame)) await Promise.race([once(s, 'drain'), done]);
    },
    async finish() {
      const s = await input();
      s.end();
      await done;
    },
  };
}
