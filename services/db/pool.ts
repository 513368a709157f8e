// Connections: make sure the database exists, then a pg pool on it whose
// sessions carry this process's application_name (close() counts the others).
import pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import type { Logger } from '../log.ts';

export const APPLICATION_NAME = `crosswatch-${process.pid}`;

/** host:port/database, for messages: never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** Creates the URL's database when it does not exist yet (through the server's `postgres` database). */
export async function ensureDatabase(url: string, log: Logger): Promise<void> {
  const probe = new pg.Client({ connectionString: url, application_name: APPLICATION_NAME });
  try {
    await probe.connect();
    return;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw connectError(url, err);
  } finally {
    await probe.end().catch(() => undefined);
  }
  const name = databaseName(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), application_name: APPLICATION_NAME });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
    log.info({ database: name }, 'database created');
  } catch (err) {
    // 42P04: exists; 23505: a concurrent CREATE DATABASE won the race.
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') throw connectError(admin.toString(), err, `cannot create database "${name}"`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function createPool(url: string, log: Logger, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, application_name: APPLICATION_NAME, max });
  // An idle client losing its connection (server restart) must not crash the process.
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle database connection lost'));
  return pool;
}

/**
 * Runs fn inside BEGIN … COMMIT on one pooled client (ROLLBACK on any error).
 * A checked-out client has no 'error' listener of the pool's: a connection
 * lost between two statements (server restart while idle in transaction)
 * would emit 'error' with nobody listening and crash the process. We listen
 * for it while the client is out; the failed statement rejects as usual, and
 * the pool discards the broken client on release.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (err: Error) => void (lost = err);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onError);
    client.release(lost);
  }
}

/** Connection-level failures (refused, reset, terminated, server shutting down) rather than a query's own error. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null | undefined;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  return (
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|57P0[1-3]|3D000|08\d\d\d)$/.test(code) ||
    /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect|the database system is (shutting down|starting up)/.test(message)
  );
}

/** Resolves once the database answers again (true), or false after timeoutMs. */
export async function waitForDatabase(pool: pg.Pool, timeoutMs: number, intervalMs = 1000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      return true;
    } catch {
      if (Date.now() + intervalMs > until) return false;
      await new Promise((r) => setTimeout(r, intervalMs).unref());
    }
  }
}

export function connectError(url: string, cause: unknown, what = 'cannot connect'): CrosswatchError {
  return new CrosswatchError('DATABASE', `PostgreSQL at ${describeUrl(url)}: ${what}: ${(cause as Error).message}`, { cause });
}

/** Client sessions on the server other than this process's (other Crosswatch processes, psql...). */
export async function otherSessions(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>({
    text: `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE backend_type = 'client backend' AND application_name IS DISTINCT FROM $1`,
    values: [APPLICATION_NAME],
  });
  return rows[0]?.n ?? 0;
}
