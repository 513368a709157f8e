// Migrations: numbered SQL files in sql/ (001_schema.sql, 002_...), each
// applied once, in order, in its own transaction, and recorded with its
// checksum in schema_migrations. A session advisory lock serialises
// processes that start together; the second one finds the work done.
//
// A migration runs inside a transaction, so it cannot use statements that
// refuse one (CREATE INDEX CONCURRENTLY, ALTER TYPE ... ADD VALUE before 12).
// Never edit an applied file: add a new one. An edited file fails loudly.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import type { Logger } from '../log.ts';

export const SQL_DIR = path.resolve(import.meta.dirname, '..', '..', 'sql');

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

const FILE_RE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;
/** Arbitrary constant shared by every Crosswatch process ("cw" + "migr"). */
const LOCK_KEY = 0x6377_6d69;

const q = {
  lock: { text: 'SELECT pg_advisory_lock($1)', values: [LOCK_KEY] },
  createTable: {
    text: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
    values: [],
  },
  applied: { text: 'SELECT version, name, checksum FROM schema_migrations ORDER BY version', values: [] },
  record: (m: Migration) => ({
    text: 'INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)',
    values: [m.version, m.name, m.checksum],
  }),
};

export function loadMigrations(dir: string = SQL_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = FILE_RE.exec(file);
    if (!m) continue;
    const sql = readFileSync(path.join(dir, file), 'utf8');
    out.push({ version: Number(m[1]), name: m[2]!, file: path.join(dir, file), sql, checksum: sha256(sql) });
  }
  for (let i = 1; i < out.length; i++) {
    if (out[i]!.version === out[i - 1]!.version) {
      throw new CrosswatchError('DATABASE', `Two migrations share number ${out[i]!.version}: ${out[i - 1]!.file} and ${out[i]!.file}`);
    }
  }
  return out;
}

export interface MigrateResult {
  applied: Migration[];
  /** Highest version now in the database. */
  version: number;
}

export async function migrate(pool: pg.Pool, log: Logger, dir: string = SQL_DIR): Promise<MigrateResult> {
  const migrations = loadMigrations(dir);
  const client = await pool.connect();
  try {
    await client.query(q.lock);
    await client.query(q.createTable);
    const done = (await client.query<{ version: number; name: string; checksum: string }>(q.applied)).rows;
    checkApplied(done, migrations);
    const doneVersions = new Set(done.map((r) => r.version));
    const applied: Migration[] = [];
    for (const m of migrations.filter((m) => !doneVersions.has(m.version))) {
      await applyOne(client, m, log);
      applied.push(m);
    }
    return { applied, version: Math.max(0, ...done.map((r) => r.version), ...applied.map((m) => m.version)) };
  } finally {
    // Closing this connection ends its session, which releases the advisory
    // lock even when a query above failed half-way.
    client.release(true);
  }
}

/** Applied files must be unchanged, and the database must not be newer than this code. */
function checkApplied(done: { version: number; name: string; checksum: string }[], migrations: Migration[]): void {
  const byVersion = new Map(migrations.map((m) => [m.version, m]));
  for (const row of done) {
    const m = byVersion.get(row.version);
    if (!m) {
      throw new CrosswatchError(
        'DATABASE',
        `The database has migration ${row.version} (${row.name}) that this code does not know: it was migrated by a newer Crosswatch; upgrade before using it`,
      );
    }
    if (m.checksum !== row.checksum) {
      throw new CrosswatchError(
        'DATABASE',
        `Migration ${m.file} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${m.checksum.slice(0, 12)}… on disk). ` +
          'Restore the file and put the change in a new numbered migration',
      );
    }
  }
}

async function applyOne(client: pg.PoolClient, m: Migration, log: Logger): Promise<void> {
  const t0 = Date.now();
  try {
    await client.query('BEGIN');
    await client.query(m.sql);
    await client.query(q.record(m));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    const pos = Number((err as { position?: string }).position);
    const where = Number.isFinite(pos) && pos > 0 ? ` (line ${m.sql.slice(0, pos).split('\n').length})` : '';
    throw new CrosswatchError('DATABASE', `Migration ${m.file}${where} failed: ${(err as Error).message}`, { cause: err });
  }
  log.info({ version: m.version, name: m.name, ms: Date.now() - t0 }, 'migration applied');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
