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
