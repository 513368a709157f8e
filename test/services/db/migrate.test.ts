import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadMigrations, migrate } from '../../../services/db/migrate.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';
import type pg from 'pg';

const run = promisify(execFile);

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(path.join(dir, name), sql);
  return dir;
}

/** Tables, columns and constraints: what a second migrate must leave as it was. */
async function schemaSnapshot(pool: pg.Pool): Promise<unknown[]> {
  const { rows } = await pool.query(`
    SELECT c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default
      FROM information_schema.columns c WHERE c.table_schema = 'public'
    UNION ALL
    SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), '', '' FROM pg_constraint
      WHERE connamespace = 'public'::regnamespace
    ORDER BY 1, 2`);
  return rows;
}

t.test('sql/ applies once; a second run changes nothing', async (t) => {
  const db = await testDatabase(t, { migrate: false });
  const first = await migrate(db.pool, testLog);
  t.same(first.applied.map((m) => m.version), loadMigrations().map((m) => m.version));
  t.ok(first.applied.length >= 1);
  const before = await schemaSnapshot(db.pool);
  const recorded = (await db.pool.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).rows;
  const second = await migrate(db.pool, testLog);
  t.same(second.applied, []);
  t.equal(second.version, first.version);
  t.same(await schemaSnapshot(db.pool), before);
  t.same((await db.pool.query('SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version')).rows, recorded);
  t.ok(before.some((r) => (r as { table_name: string }).table_name === 'footage_segments'));
});

t.test('schema v1 enforces its constraints', async (t) => {
  const db = await testDatabase(t);
  const bad = [
    ["INSERT INTO footage_segments (camera_code, path, status, bytes, mtime) VALUES ('c', '/a', 'unreadable', 0, now())", /footage_segments_check/],
    ["INSERT INTO footage_segments (camera_code, path, status, bytes, mtime) VALUES ('c', '/b', 'ok', 1, now())", /footage_segments_check/],
    ["INSERT INTO runs (kind, status) VALUES ('manual', 'exploded')", /runs_status_check/],
  ] as const;
  for (const [sql, err] of bad) await t.rejects(db.pool.query(sql), err, sql);
});

t.test('an edited applied migration fails loudly, naming the file', async (t) => {
  const db = await testDatabase(t, { migrate: false });
  const dir = migrationsDir({ '001_a.sql': 'CREATE TABLE a (x int);' });
  await migrate(db.pool, testLog, dir);
  writeFileSync(path.join(dir, '001_a.sql'), 'CREATE TABLE a (x bigint);');
  await t.rejects(migrate(db.pool, testLog, dir), { code: 'DATABASE', message: /001_a\.sql was changed after it was applied/ });
});

t.test('a failing migration rolls back and names file and line', async (t) => {
  const db = await testDatabase(t, { migrate: false });
  const dir = migrationsDir({
    '001_a.sql': 'CREATE TABLE a (x int);',
    '002_b.sql': 'CREATE TABLE b (x int);\nSELECT nonsense FROM nowhere;',
  });
  await t.rejects(migrate(db.pool, testLog, dir), /002_b\.sql \(line 2\) failed: relation "nowhere" does not exist/);
  const versions = (await db.pool.query('SELECT version FROM schema_migrations')).rows.map((r) => r.version);
  t.same(versions, [1]);
  t.equal((await db.pool.query("SELECT to_regclass('b') AS b")).rows[0].b, null, 'table b rolled back');
});

t.test('a database migrated by newer code is refused', async (t) => {
  const db = await testDatabase(t, { migrate: false });
  await migrate(db.pool, testLog, migrationsDir({ '001_a.sql': 'SELECT 1;', '002_b.sql': 'SELECT 2;' }));
  await t.rejects(migrate(db.pool, testLog, migrationsDir({ '001_a.sql': 'SELECT 1;' })), /migration 2 \(b\).*newer Crosswatch/);
});

t.test('two processes migrating at once apply each file exactly once', async (t) => {
  const db = await testDatabase(t, { migrate: false });
  // A slow middle migration keeps the first process inside the lock while the second arrives.
  const dir = migrationsDir({
    '001_a.sql': 'CREATE TABLE a (x int);',
    '002_slow.sql': 'SELECT pg_sleep(0.5); INSERT INTO a VALUES (1);',
    '003_c.sql': 'CREATE TABLE c (x int);',
  });
  const child = path.join(import.meta.dirname, 'fixtures', 'migrate-child.ts');
  const results = await Promise.all(
    [1, 2].map(() => run(process.execPath, ['--import=tsx', child, db.url, dir], { env: { ...process.env, LOG_LEVEL: 'warn' } })),
  );
  const applied = results.map((r) => JSON.parse(r.stdout) as number[]);
  t.same(applied.flat().sort(), [1, 2, 3], `each version applied once: ${JSON.stringify(applied)}`);
  t.same((await db.pool.query('SELECT count(*)::int AS n FROM a')).rows[0].n, 1);
  t.same((await db.pool.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version), [1, 2, 3]);
});
