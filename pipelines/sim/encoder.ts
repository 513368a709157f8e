// H.264 encoder sink: raw RGB24 frames piped into ffmpeg (libx264, yuv420p)
// through fluent-ffmpeg, waiting for 'drain' so memory stays flat however
// fast frames are drawn. The ffmpeg path is passed in: pipelines never look
// up binaries themselves.
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
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
  preset?: string;
}

export interface Encoder extends FrameSink {
  /** Closes the input and resolves when ffmpeg has written the file. */
  finish(): Promise<void>;
}

export function startEncoder(o: EncoderOptions): Encoder {
  const input = new PassThrough({ highWaterMark: o.width * o.height * 3 * 2 });
  let failure: Error | null = null;
  const done = new Promise<void>((resolve, reject) => {
    ffmpeg(input)
      .setFfmpegPath(o.ffmpegPath)
      .inputFormat('rawvideo')
      .inputOptions(['-pix_fmt rgb24', `-s ${o.width}x${o.height}`, `-r ${o.fps}`])
      .videoCodec('libx264')
      .outputOptions([`-preset ${o.preset ?? 'veryfast'}`, `-crf ${o.crf ?? 23}`, '-pix_fmt yuv420p', '-movflags +faststart', `-r ${o.fps}`, '-an'])
      .format('mp4')
      .on('error', (err: Error, _stdout: string | null, stderr: string | null) => {
        failure = new Error(`ffmpeg failed writing ${o.out}: ${err.message}\n${(stderr ?? '').split('\n').slice(-6).join('\n')}`, { cause: err });
        input.destroy();
        reject(failure);
      })
      .on('end', () => resolve())
      .save(o.out);
  });
  done.catch(() => {});
  return {
    async write(frame: Uint8Array) {
      if (failure) throw failure;
      // The frame buffer is handed over, not reused, so no copy is needed.
      if (!input.write(frame)) await Promise.race([once(input, 'drain'), done]);
    },
    async finish() {
      input.end();
      await done;
    },
  };
}
