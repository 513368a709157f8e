// Progress for long CLI work: a bar on a terminal, a structured log line
// every few percent otherwise (CI, cron, pipes).
import cliProgress from 'cli-progress';
import type { Logger } from '../log.ts';

export interface Progress {
  tick(n?: number, note?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

export function startProgress(log: Logger, label: string, total: number, unit = 'items'): Progress {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} ${unit} {percentage}% eta {eta_formatted} {note}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { note: '' });
    return {
      tick: (n = 1, note = '') => bar.increment(n, { note }),
      setTotal: (t) => bar.setTotal(t),
      stop: () => bar.stop(),
    };
  }
  let done = 0;
  let lastPct = -1;
  return {
    tick(n = 1, note) {
      done += n;
      const pct = total > 0 ? Math.floor((100 * done) / total / 10) * 10 : 100;
      if (pct !== lastPct) {
        lastPct = pct;
        log.info({ label, done, total, unit, note }, `${label}: ${done}/${total} ${unit}`);
      }
    },
    setTotal(t) {
      total = t;
    },
    stop() {},
  };
}
