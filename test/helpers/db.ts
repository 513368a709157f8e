// A fresh database per test file (or per call): created on the shared test
// server (test/helpers/pg-cluster.ts), migrated, and dropped at teardown.
//
//   const db = await testDatabase(t);
//   await db.pool.query(...);
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../services/db/migrate.ts';
import { createPool } from '../../services/db/pool.ts';
import { testLog, testServer } from './pg-cluster.ts';

export { testLog } from './pg-cluster.ts';

export interface TestDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

export interface TestDatabaseOptions {
  /** Apply sql/ migrations (default true); false gives an empty database. */
  migrate?: boolean;
}

export async function testDatabase(t: Teardown, opts: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = await testServer();
  const name = `cw_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(serverUrl('postgres'), (c) => c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`));
  const url = serverUrl(name);
  const pool = createPool(url, testLog, 5);
  t.teardown(async () => {
    await pool.end();
    await admin(serverUrl('postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`));
  });
  if (opts.migrate !== false) await migrate(pool, testLog);
  return { name, url, pool };
}

async function admin(url: string, fn: (c: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}
