// Runs ffmpeg (through fluent-ffmpeg) for one piece of a window and yields
// its frames. When the generator settles, by its end, an error, an abort or
// the consumer breaking out, its ffmpeg has exited: no process is left behind.
import ffmpeg from 'fluent-ffmpeg';
import type { ChildProcess } from 'node:child_process';
import { CrosswatchError } from '../errors.ts';
import { pieceCommand, type PieceArgsOptions } from './args.ts';
import { BufferPool, FrameReader } from './frame-reader.ts';
import type { Piece } from './plan.ts';
import { slotOfSeconds } from './plan.ts';
import { BoundedQueue } from './queue.ts';
import { PtsFeed, StderrTail, parseShowinfo } from './showinfo.ts';
import type { DecodedFrame, RgbView } from './types.ts';

export interface PieceDecodeOptions extends PieceArgsOptions {
  ffmpegPath: string;
  pool: BufferPool;
  queueSize: number;
  /** Only slots after this one are delivered (the previous piece may have filled a shared slot). */
  afterSlot: number;
  signal?: AbortSignal;
  /** Told the pid of each ffmpeg started (tests check it is gone after an abort). */
  onSpawn?: (pid: number) => void;
}

export interface PieceOutcome {
  deliveredSlots: number[];
  /** ffmpeg failed (non-zero exit, unreadable file): DECODE_FAILED naming the file with stderr's tail. */
  error?: CrosswatchError;
  /** Bytes of a last frame cut short (a truncated file). */
  partialBytes: number;
}

export async function* decodePiece(piece: Piece, o: PieceDecodeOptions): AsyncGenerator<DecodedFrame, PieceOutcome, undefined> {
  if (o.signal?.aborted) throw aborted(piece);
  const run = startPiece(piece, o);
  try {
    for (;;) {
      const r = await run.queue.shift();
      if (r.done) break;
      yield r.value;
    }
    return await run.outcome;
  } finally {
    run.stop();
    await run.exited;
  }
}

interface PieceRun {
  queue: BoundedQueue<DecodedFrame>;
  outcome: Promise<PieceOutcome>;
  exited: Promise<void>;
  stop(): void;
}

function startPiece(piece: Piece, o: PieceDecodeOptions): PieceRun {
  const c = pieceCommand(piece, o);
  const queue = new BoundedQueue<DecodedFrame>(o.queueSize);
  const pts = new PtsFeed();
  const tail = new StderrTail();
  const deliveredSlots: number[] = [];
  let proc: ChildProcess | undefined;
  let stopped = false;
  let lastSlot = o.afterSlot;

  const reader = new FrameReader(o.pool, async (buffer, n) => {
    const ptsTime = await pts.take(n);
    const slot = slotOfSeconds((piece.from - o.t0) / 1000 + ptsTime, o.sampleFps);
    const t = Math.round(piece.from + ptsTime * 1000);
    // select already keeps [from, to) and one frame a slot; this guards the
    // contract against a seek that lands early or a slot shared with the previous piece.
    if (slot <= lastSlot || t < piece.from || t >= piece.to) return o.pool.give(buffer);
    lastSlot = slot;
    deliveredSlots.push(slot);
    await queue.push(makeFrame(buffer, slot, t, piece, o));
  });

  const cmd = ffmpeg({ stdoutLines: 100 })
    .setFfmpegPath(o.ffmpegPath)
    .input(c.input)
    .inputOptions(c.inputOptions)
    .complexFilter(c.filterGraph)
    .outputOptions(c.outputOptions)
    .output(reader, { end: true });

  let resolveExit!: () => void;
  const exited = new Promise<void>((r) => (resolveExit = r));
  const ffmpegDone = new Promise<Error | null>((resolve) => {
    cmd.on('start', () => {
      proc = (cmd as unknown as { ffmpegProc: ChildProcess }).ffmpegProc;
      proc.once('exit', () => resolveExit());
      if (proc.pid !== undefined) o.onSpawn?.(proc.pid);
      if (stopped) proc.kill('SIGKILL');
    });
    cmd.on('stderr', (line: string) => {
      const info = parseShowinfo(line);
      if (info) pts.push(info.n, info.ptsTime);
      else tail.add(line);
    });
    cmd.on('end', () => resolve(null));
    cmd.on('error', (err: Error) => {
      if (!proc) resolveExit(); // never spawned (ffmpeg missing): nothing to wait for
      resolve(err);
    });
  });
  const readerDone = new Promise<void>((resolve) => {
    reader.once('finish', resolve);
    reader.once('error', () => {
      // A broken reader stops draining stdout and ffmpeg would block forever.
      proc?.kill('SIGKILL');
      resolve();
    });
  });

  const stop = () => {
    if (stopped) return;
    stopped = true;
    proc?.kill('SIGKILL');
    // Releases a frame reader blocked on a full queue that nobody will drain.
    queue.fail(aborted(piece), (f) => f.release());
  };
  const onAbort = () => stop();
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const outcome = (async (): Promise<PieceOutcome> => {
    const err = await ffmpegDone;
    pts.end(new Error('ffmpeg ended before reporting the frame timestamp'));
    await readerDone;
    o.signal?.removeEventListener('abort', onAbort);
    queue.close();
    const result: PieceOutcome = { deliveredSlots, partialBytes: reader.partialBytes };
    if (err && !stopped) result.error = decodeFailed(piece, err, tail);
    return result;
  })();
  cmd.run();
  return { queue, outcome, exited, stop };
}

function makeFrame(buffer: Buffer, slot: number, t: number, piece: Piece, o: PieceDecodeOptions): DecodedFrame {
  const { layout } = o;
  const stride = layout.width * 3;
  const signals = new Map<string, RgbView>();
  for (const cell of layout.cells) {
    signals.set(cell.id, { data: buffer, width: cell.width, height: cell.height, stride, offset: (layout.detHeight + cell.y) * stride + cell.x * 3 });
  }
  let released = false;
  return {
    index: slot,
    t,
    width: layout.width,
    height: layout.detHeight,
    data: buffer.subarray(0, stride * layout.detHeight),
    segment: piece.segment,
    signals,
    release(returned?: ArrayBuffer) {
      if (released) return;
      released = true;
      // A detached buffer (transferred, not returned) has length 0: the pool refuses it.
      o.pool.give(returned ? Buffer.from(returned) : buffer);
    },
  };
}

function decodeFailed(piece: Piece, err: Error, tail: StderrTail): CrosswatchError {
  const stderr = tail.toString();
  // fluent-ffmpeg appends its own pick of stderr lines; ours skips showinfo's.
  const why = /^ffmpeg (exited with code -?\d+|was killed with signal \w+)/.exec(err.message)?.[0] ?? err.message.split('\n')[0];
  return new CrosswatchError('DECODE_FAILED', `decoding ${piece.segment.path} failed: ${why}${stderr ? `\n${stderr}` : ''}`, {
    cause: err,
    details: { path: piece.segment.path, from: piece.from, to: piece.to, stderr },
  });
}

function aborted(piece: Piece): CrosswatchError {
  return new CrosswatchError('ABORTED', `decoding ${piece.segment.path} was aborted`);
}
