// Stops an embedded server this process started when the process ends
// without closing the database: on `exit`, and on SIGINT/SIGTERM/SIGHUP.
//
// The signal handler is prepended so it runs before libraries such as
// signal-exit, which re-raise the signal only when they are the last
// listener: ours stops the server, steps aside, and re-raises the signal
// itself when nobody else listens, so the process still dies of it.
// A service with its own graceful shutdown passes handleSignals: false to
// openDatabase and calls close() itself; `exit` still covers a crash.
import type { Logger } from '../log.ts';
import type { EmbeddedServer } from './embedded.ts';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Returns the function that removes the hooks (after a normal close). */
export function stopOnExit(server: EmbeddedServer, log: Logger, handleSignals = true): () => void {
  const onExit = () => server.stopSync();
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    log.info({ signal, dataDir: server.dataDir }, 'stopping embedded PostgreSQL');
    server.stopSync();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('exit', onExit);
  if (handleSignals) for (const s of SIGNALS) process.prependListener(s, onSignal);
  function remove() {
    process.off('exit', onExit);
    for (const s of SIGNALS) process.off(s, onSignal);
  }
  return remove;
}
