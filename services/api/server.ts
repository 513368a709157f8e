// `crosswatch serve`: opens the database, builds the app, listens, and shuts
// down gracefully on SIGINT/SIGTERM (in-flight requests finish, then the pool
// and the embedded database close).
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { openDatabase } from '../db/index.ts';
import { openBoss } from '../queue/boss.ts';
import { buildApp } from './app.ts';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function serve(config: Config, log: Logger): Promise<Served> {
  const db = await openDatabase(config, log, { handleSignals: false });
  let app;
  try {
    app = await buildApp({ pool: db.pool, config, log, openQueue: () => openBoss(db.url, log) });
    await app.listen({ port: config.apiPort, host: config.apiHost });
  } catch (err) {
    await app?.close().catch(() => undefined);
    await db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.apiPort;
  const url = `http://${config.apiHost.includes(':') ? `[${config.apiHost}]` : config.apiHost}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await db.close();
    })());
  return { url, close };
}
