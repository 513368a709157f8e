// Several evidence frames from one seek: the frames extractFrame would give
// for each time, from a single ffmpeg that seeks to the first and decodes on
// to the last. A seek decodes from the keyframe before it (up to a GOP: 10 s
// of footage with x264's defaults), so three seeks per violation cost three
// GOPs; with the trained model on a busy 720p minute, evidence took longer
// than judging the window (README, "Performance and sizing").
import ffmpeg from 'fluent-ffmpeg';
import type { ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { CrosswatchError } from '../errors.ts';
import { segmentAt, type ExtractOptions, type FullFrame } from './extract.ts';
import { StderrTail } from './showinfo.ts';
import type { FootageSegment } from './types.ts';

const SHOWINFO_ANY = /\] n:\s*(\d+)\s+pts:\s*-?\d+\s+pts_time:(-?[0-9.eE+-]+).*?\bs:(\d+)x(\d+)/;

/** Where extractFrame seeks for t: half a frame early, floored to the ms. */
export function seekFor(segment: FootageSegment, t: number): number {
  const s = Math.max(0, (t - segment.startsAt) / 1000 - 0.5 / segment.fps);
  return Math.floor(s * 1000) / 1000;
}

/**
 * One ffmpeg for `times` (any order) inside one segment: frame i is the
 * first source frame at or after seekFor(times[i]), the frame extractFrame
 * finds. Frames come back in the order of `times`; equal frames are shared.
 */
export function extractRun(segment: FootageSegment, times: readonly number[], o: ExtractOptions): Promise<FullFrame[]> {
  if (times.length === 0) return Promise.resolve([]);
  const seeks = times.map((t) => seekFor(segment, t));
  const start = Math.min(...seeks);
  // Offsets from the run's seek point, where the filter's t starts.
  const rel = [...new Set(seeks.map((s) => Math.round((s - start) * 1000) / 1000))].sort((a, b) => a - b);
  const last = rel[rel.length - 1]!;
  // The first frame at or after each offset: the previous frame is before it (or there is none).
  const select = rel.map((a) => `gte(t,${a.toFixed(3)})*(isnan(prev_t)+lt(prev_t,${a.toFixed(3)}))`).join('+');
  return new Promise((resolve, reject) => {
    if (o.signal?.aborted) return reject(new CrosswatchError('ABORTED', `frame extraction from ${segment.path} was aborted`));
    // Frames are cut out of the stream as it comes (no concat of the whole run: that would hold it twice).
    const size = segment.width * segment.height * 3;
    const done: Buffer[] = [];
    let current: Buffer | undefined;
    let filled = 0;
    let extra = 0;
    const tail = new StderrTail();
    const infos: { ptsTime: number; width: number; height: number }[] = [];
    let proc: ChildProcess | undefined;
    const sink = new Writable({
      emitClose: false,
      write(chunk: Buffer, _e, next) {
        for (let off = 0; off < chunk.length; ) {
          if (done.length >= rel.length) {
            extra += chunk.length - off;
            break;
          }
          current ??= Buffer.allocUnsafeSlow(size);
          const n = Math.min(chunk.length - off, size - filled);
          chunk.copy(current, filled, off, off + n);
          filled += n;
          off += n;
          if (filled === size) {
            done.push(current);
            current = undefined;
            filled = 0;
          }
        }
        next();
      },
    });
    const onAbort = () => proc?.kill('SIGKILL');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const fail = (why: string, cause?: Error) =>
      reject(
        new CrosswatchError('DECODE_FAILED', `extracting ${times.length} frame(s) from ${segment.path} from ${start.toFixed(3)} s failed: ${why}\n${tail}`, {
          ...(cause ? { cause } : {}),
          details: { path: segment.path, times },
        }),
      );
    const finish = (err: Error | null) => {
      o.signal?.removeEventListener('abort', onAbort);
      if (o.signal?.aborted) return reject(new CrosswatchError('ABORTED', `frame extraction from ${segment.path} was aborted`));
      if (err) return fail(err.message.split('\n')[0]!, err);
      const sized = infos.every((i) => i.width * i.height * 3 === size);
      if (infos.length === 0 || !sized || done.length !== infos.length || filled + extra > 0) {
        return fail(`${infos.length} frame(s) of ${infos[0]?.width}x${infos[0]?.height}, ${done.length} whole, ${filled + extra} bytes more (catalogued as ${segment.width}x${segment.height})`);
      }
      const frames: FullFrame[] = infos.map((info, i) => ({
        t: Math.round(segment.startsAt + start * 1000 + info.ptsTime * 1000),
        width: info.width,
        height: info.height,
        data: done[i]!,
      }));
      const out: FullFrame[] = [];
      for (const [i, s] of seeks.entries()) {
        const a = s - start - 5e-4;
        const f = frames.find((_, k) => infos[k]!.ptsTime >= a);
        if (!f) return fail(`no frame at ${new Date(times[i]!).toISOString()}`);
        out.push(f);
      }
      resolve(out);
    };
    ffmpeg()
      .setFfmpegPath(o.ffmpegPath)
      .input(segment.path)
      // -t bounds the read after the last frame wanted (two identical offsets give one frame fewer than -frames:v expects).
      .inputOptions(['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-threads', String(o.threads ?? 0), '-ss', start.toFixed(3), '-t', (last + 1).toFixed(3)])
      .outputOptions(['-vf', `select='${select}',showinfo`, '-frames:v', String(rel.length), '-vsync', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24'])
      .output(sink, { end: true })
      .on('start', function (this: unknown) {
        proc = (this as { ffmpegProc: ChildProcess }).ffmpegProc;
        if (o.signal?.aborted) proc.kill('SIGKILL');
      })
      .on('stderr', (line: string) => {
        const m = SHOWINFO_ANY.exec(line);
        if (m) infos[Number(m[1])] = { ptsTime: Number(m[2]), width: Number(m[3]), height: Number(m[4]) };
        else tail.add(line);
      })
      .on('error', (err: Error) => finish(err))
      .on('end', () => (sink.writableFinished ? finish(null) : sink.once('finish', () => finish(null))))
      .run();
  });
}

/**
 * extractMoments with fewer seeks: the times (any order, any number of
 * violations) are split by segment, then into runs wherever two consecutive
 * times lie more than `gapS` apart or a run would hold more than
 * `maxRunBytes` of frames. Frames come back in the order of `times`.
 * gapS 10: a seek decodes from the keyframe before it, so continuing
 * through a gap shorter than the keyframe interval (x264's default: 10 s at
 * 25 fps; NVRs often 2-4 s) costs no more than seeking again. Raising it
 * merges more runs but decodes footage between moments nobody needs.
 */
export async function extractMany(
  segments: readonly FootageSegment[],
  times: readonly number[],
  o: ExtractOptions & { gapS?: number; maxRunBytes?: number; frameBytes?: number },
): Promise<FullFrame[]> {
  const gapMs = (o.gapS ?? 10) * 1000;
  const maxFrames = Math.max(1, Math.floor((o.maxRunBytes ?? 48 * 2 ** 20) / Math.max(1, o.frameBytes ?? 1920 * 1080 * 3)));
  const order = times.map((t, i) => ({ t, i, segment: segmentAt(segments, t) })).sort((a, b) => a.t - b.t);
  const missing = order.find((x) => !x.segment);
  if (missing) throw new CrosswatchError('FOOTAGE_MISSING', `no segment holds ${new Date(missing.t).toISOString()}`, { details: { t: missing.t } });
  const runs: (typeof order)[] = [];
  for (const x of order) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev!.segment === x.segment && x.t - prev!.t <= gapMs && run.length < maxFrames) run.push(x);
    else runs.push([x]);
  }
  const out: FullFrame[] = new Array(times.length);
  for (const run of runs) {
    const frames = await extractRun(run[0]!.segment!, run.map((x) => x.t), o);
    run.forEach((x, k) => (out[x.i] = frames[k]!));
  }
  return out;
}
