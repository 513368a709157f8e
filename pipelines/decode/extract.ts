// Full-resolution frames for evidence, fetched after the fact: a short
// accurate seek per moment. Evidence normally comes from the window's own
// decode (pipelines/window/evidence-archive.ts keeps each analysed frame's
// detector image as JPEG); these seeks serve the moments it does not hold
// (a detector input too small to show, a frame evicted from its budget)
// and the tests. Keeping full-resolution frames instead would not fit: a
// 5 s ring at 8 fps of 1080p RGB is 250 MB, over the worker's whole budget.
import ffmpeg from 'fluent-ffmpeg';
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { CrosswatchError } from '../errors.ts';
import { StderrTail } from './showinfo.ts';
import type { FootageSegment } from './types.ts';

export interface FullFrame {
  /** The source frame's own time, ms UTC (the decoder's DecodedFrame.t for the same frame). */
  t: number;
  width: number;
  height: number;
  /** RGB24, width × height × 3. */
  data: Buffer;
}

export interface ExtractOptions {
  ffmpegPath: string;
  threads?: number;
  signal?: AbortSignal;
}

const SHOWINFO_FRAME = /\] n:\s*0\s+pts:\s*-?\d+\s+pts_time:(-?[0-9.eE+-]+).*?\bs:(\d+)x(\d+)/;

/**
 * The source frame nearest to `t`: the first at or after t less half a frame
 * interval, so a time the decoder reported (rounded to the ms) finds its own
 * frame again.
 */
export function extractFrame(segment: FootageSegment, t: number, o: ExtractOptions): Promise<FullFrame> {
  const seekS = Math.max(0, (t - segment.startsAt) / 1000 - 0.5 / segment.fps);
  const seek = (Math.floor(seekS * 1000) / 1000).toFixed(3);
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new CrosswatchError('ABORTED', `frame extraction from ${segment.path} was aborted`));
    const chunks: Buffer[] = [];
    const tail = new StderrTail();
    let info: { ptsTime: number; width: number; height: number } | undefined;
    let proc: ChildProcess | undefined;
    const sink = new Writable({
      emitClose: false,
      write(chunk: Buffer, _e, done) {
        chunks.push(chunk);
        done();
      },
    });
    const onAbort = () => proc?.kill('SIGKILL');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (err: Error | null) => {
      o.signal?.removeEventListener('abort', onAbort);
      const data = Buffer.concat(chunks);
      if (o.signal?.aborted) return reject(new CrosswatchError('ABORTED', `frame extraction from ${segment.path} was aborted`));
      if (err || !info || data.length !== info.width * info.height * 3) {
        const why = err ? err.message.split('\n')[0] : `no frame at ${new Date(t).toISOString()} (${data.length} bytes)`;
        return reject(new CrosswatchError('DECODE_FAILED', `extracting a frame from ${segment.path} at ${seek} s failed: ${why}\n${tail}`, { cause: err ?? undefined, details: { path: segment.path, t } }));
      }
      resolve({ t: Math.round(segment.startsAt + Number(seek) * 1000 + info.ptsTime * 1000), width: info.width, height: info.height, data });
    };
    ffmpeg()
      .setFfmpegPath(o.ffmpegPath)
      .input(segment.path)
      .inputOptions(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-threads', String(o.threads ?? 0), '-ss', seek])
      .outputOptions(['-vf', 'showinfo', '-frames:v', '1', '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24'])
      .output(sink, { end: true })
      .on('start', function (this: unknown) {
        proc = (this as { ffmpegProc: ChildProcess }).ffmpegProc;
        if (o.signal?.aborted) proc.kill('SIGKILL');
      })
      .on('stderr', (line: string) => {
        const m = SHOWINFO_FRAME.exec(line);
        if (m) info = { ptsTime: Number(m[1]), width: Number(m[2]), height: Number(m[3]) };
        else tail.add(line);
      })
      .on('error', (err: Error) => finish(err))
      // stdout may still be draining into the sink when ffmpeg exits.
      .on('end', () => (sink.writableFinished ? finish(null) : sink.once('finish', () => finish(null))))
      .run();
  });
}

/** The segment holding time t: the one the decoder would have used (earliest start wins an overlap). */
export function segmentAt(segments: readonly FootageSegment[], t: number): FootageSegment | undefined {
  return [...segments].sort((a, b) => a.startsAt - b.startsAt).find((s) => t >= s.startsAt && t < s.endsAt);
}

/** Full frames for a violation's moments, one short seek each, in order. */
export async function extractMoments(segments: readonly FootageSegment[], times: readonly number[], o: ExtractOptions): Promise<FullFrame[]> {
  const frames: FullFrame[] = [];
  for (const t of times) {
    const segment = segmentAt(segments, t);
    if (!segment) throw new CrosswatchError('FOOTAGE_MISSING', `no segment holds ${new Date(t).toISOString()}`, { details: { t } });
    frames.push(await extractFrame(segment, t, o));
  }
  return frames;
}
