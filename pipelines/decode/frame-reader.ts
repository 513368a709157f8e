// Cuts ffmpeg's rawvideo stream into fixed-size frames. A frame (0.5 MB at
// 416² RGB) is far larger than a pipe buffer, so chunks are copied into a
// frame buffer as they come; the write callback is held while the frame
// waits for its timestamp and for room in the queue, which stops the pipe
// and, once the OS buffer is full, ffmpeg itself.
import { Writable } from 'node:stream';

/** Reusable frame buffers. A buffer that is never given back is garbage collected. */
export class BufferPool {
  private readonly free: Buffer[] = [];
  allocated = 0;

  constructor(readonly bytes: number, private readonly keep: number) {}

  take(): Buffer {
    const b = this.free.pop();
    if (b) return b;
    this.allocated++;
    // Not from Node's shared slab: whole, transferable to a worker thread.
    return Buffer.allocUnsafeSlow(this.bytes);
  }

  give(b: Buffer): void {
    if (b.byteLength === this.bytes && this.free.length < this.keep && !this.free.includes(b)) this.free.push(b);
  }
}

/** Called with each complete frame buffer and its output index; resolve to accept the next bytes. */
export type FrameSink = (buffer: Buffer, n: number) => Promise<void>;

export class FrameReader extends Writable {
  private current: Buffer | undefined;
  private filled = 0;
  /** Complete frames passed on. */
  frames = 0;
  /** Bytes of a frame cut short when the stream ended (a truncated file's last frame). */
  partialBytes = 0;

  constructor(private readonly pool: BufferPool, private readonly sink: FrameSink) {
    // emitClose off: fluent-ffmpeg treats the output stream's 'close' as a failure
    // when it comes before the process's exit event.
    super({ highWaterMark: 1 << 16, emitClose: false });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.consume(chunk).then(() => done(), done);
  }

  override _final(done: (e?: Error | null) => void): void {
    this.partialBytes = this.filled;
    if (this.current) this.pool.give(this.current);
    this.current = undefined;
    done();
  }

  private async consume(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      this.current ??= this.pool.take();
      const n = Math.min(chunk.length - offset, this.pool.bytes - this.filled);
      chunk.copy(this.current, this.filled, offset, offset + n);
      this.filled += n;
      offset += n;
      if (this.filled === this.pool.bytes) {
        const full = this.current;
        this.current = undefined;
        this.filled = 0;
        await this.sink(full, this.frames++);
      }
    }
  }
}
