// The database a Crosswatch process uses: DATABASE_URL's server, or the
// embedded one, with the `crosswatch` database created and migrated.
import pg from 'pg';
import { isCrosswatchError } from '../../pipelines/errors.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { startEmbedded, type EmbeddedServer } from './embedded.ts';
import { stopOnExit } from './lifecycle.ts';
import { migrate, SQL_DIR } from './migrate.ts';
import { APPLICATION_NAME, connectError, createPool, describeUrl, ensureDatabase, otherSessions } from './pool.ts';

export { migrate, loadMigrations, SQL_DIR, type Migration, type MigrateResult } from './migrate.ts';
export { describeUrl } from './pool.ts';

export const EMBEDDED_DATABASE = 'crosswatch';

export interface Database {
  pool: pg.Pool;
  url: string;
  /** Ends the pool; stops the embedded server unless other sessions still use it. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Migrations folder (tests use their own); defaults to sql/. */
  migrationsDir?: string;
  /** Stop the embedded server on SIGINT/SIGTERM/SIGHUP (default true); false for services that shut down gracefully and call close(). */
  handleSignals?: boolean;
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'pgDataDir' | 'pgPort'>,
  log: Logger,
  opts: OpenOptions = {},
): Promise<Database> {
  let server: EmbeddedServer | undefined;
  let removeHooks = () => {};
  let url = config.databaseUrl;
  if (!url) {
    server = await startEmbedded({ dataDir: config.pgDataDir, port: config.pgPort, log });
    if (server.started) removeHooks = stopOnExit(server, log, opts.handleSignals ?? true);
    url = server.url(EMBEDDED_DATABASE);
  }
  const pool = createPool(url, log);
  try {
    await ensureDatabase(url, log);
    await migrate(pool, log, opts.migrationsDir ?? SQL_DIR);
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw isCrosswatchError(err) ? err : connectError(url, err);
  }
  log.debug({ database: describeUrl(url) }, 'database ready');
  // On the shared embedded server, a session held for this process's life
  // under its own name: another process's close() counts sessions before it
  // stops the server, and an idle pool may hold none.
  const presence = server ? await holdSession(url, log) : undefined;
  let closed = false;
  return {
    pool,
    url,
    async close() {
      if (closed) return;
      closed = true;
      const others = server ? await otherSessions(pool).catch(() => 0) : 0;
      await presence?.end().catch(() => undefined);
      await pool.end();
      removeHooks();
      if (!server) return;
      if (others > 0) log.info({ sessions: others }, 'leaving embedded PostgreSQL running for other sessions');
      else await server.stop();
    },
  };
}


/** Opens the database, runs fn, and closes it whatever happens (for CLI commands). */
export async function withDatabase<T>(config: Config, log: Logger, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(config, log);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function holdSession(url: string, log: Logger): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: APPLICATION_NAME });
  client.on('error', (err) => log.warn({ err }, 'held database session lost'));
  await client.connect();
  return client;
}
