// A bounded async FIFO: the producer awaits push() while the queue is full,
// which is how a lagging consumer pauses the ffmpeg pipe (backpressure).
export class BoundedQueue<T> {
  readonly capacity: number;
  private readonly items: T[] = [];
  private readonly takers: { resolve: (v: IteratorResult<T>) => void; reject: (e: unknown) => void }[] = [];
  private readonly pushers: (() => void)[] = [];
  private closed = false;
  private failure: { error: unknown } | undefined;
  /** Highest number of items ever waiting; tests read it to prove the bound. */
  highWater = 0;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`queue capacity must be >= 1, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.items.length;
  }

  /** Resolves once the item is queued (or handed to a waiting consumer). Items pushed after close are dropped. */
  async push(item: T): Promise<void> {
    if (this.closed) return;
    const taker = this.takers.shift();
    if (taker) return taker.resolve({ value: item, done: false });
    while (this.items.length >= this.capacity && !this.closed) await new Promise<void>((r) => this.pushers.push(r));
    if (this.closed) return;
    this.items.push(item);
    this.highWater = Math.max(this.highWater, this.items.length);
  }

  /** Next item; done once closed and drained; rejects with the failure given to fail(). */
  shift(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) {
      const value = this.items.shift() as T;
      this.pushers.shift()?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
  }

  /** No more items; what is queued can still be taken. */
  close(): void {
    this.closed = true;
    for (const p of this.pushers.splice(0)) p();
    for (const t of this.takers.splice(0)) t.resolve({ value: undefined, done: true });
  }

  /** Stop now: queued items are dropped (and handed to `discard`), takers get the error. */
  fail(error: unknown, discard?: (item: T) => void): void {
    this.failure ??= { error };
    for (const item of this.items.splice(0)) discard?.(item);
    for (const t of this.takers.splice(0)) t.reject(error);
    this.close();
  }
}
