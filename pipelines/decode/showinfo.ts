// ffmpeg's stderr, read line by line: showinfo's per-frame lines give each
// output frame's timestamp; everything else is kept as a short tail for
// error messages.
const SHOWINFO = /\] n:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:(-?[0-9.eE+-]+)/;

export function parseShowinfo(line: string): { n: number; ptsTime: number } | null {
  const m = SHOWINFO.exec(line);
  return m ? { n: Number(m[1]), ptsTime: Number(m[3]) } : null;
}

/** The last lines of stderr that are not per-frame noise. */
export class StderrTail {
  private readonly lines: string[] = [];
  constructor(private readonly max = 12) {}

  add(line: string): void {
    if (!line.trim() || line.includes('Parsed_showinfo')) return;
    this.lines.push(line.trim());
    if (this.lines.length > this.max) this.lines.shift();
  }

  toString(): string {
    return this.lines.join('\n');
  }
}

/**
 * Frame timestamps arrive on stderr, frame bytes on stdout: two pipes with no
 * order between them. The frame reader waits here for the timestamp of the
 * frame it has just completed.
 */
export class PtsFeed {
  private readonly times = new Map<number, number>();
  private waiter: { n: number; resolve: (t: number) => void; reject: (e: Error) => void } | undefined;
  private ended: Error | undefined;

  push(n: number, ptsTime: number): void {
    this.times.set(n, ptsTime);
    if (this.waiter && this.waiter.n === n) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(ptsTime);
    }
  }

  /** Timestamp (seconds since the seek point) of output frame n. */
  take(n: number): Promise<number> {
    const t = this.times.get(n);
    if (t !== undefined) {
      this.times.delete(n);
      return Promise.resolve(t);
    }
    if (this.ended) return Promise.reject(this.ended);
    return new Promise((resolve, reject) => {
      this.waiter = {
        n,
        resolve: (v) => {
          this.times.delete(n);
          resolve(v);
        },
        reject,
      };
    });
  }

  /** No more lines will come (stderr closed). */
  end(error: Error): void {
    this.ended = error;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(error);
  }
}
