// Backup and restore of the database and the evidence folder:
//   crosswatch backup --out DIR     crosswatch restore --from DIR
//
// The embedded PostgreSQL ships no pg_dump, so the backup is logical and our
// own: every table of the application schema (found in the catalogue, in
// foreign-key order, so a table added by a later migration is included) as
// NDJSON, read in one REPEATABLE READ snapshot, and the evidence files the
// rows of that same snapshot point to, with their SHA-256. DIR/manifest.json
// lists tables, row counts, migration versions and files. The pg-boss queue
// (transient job state) is not backed up: back up between runs.
//
// Restore goes into an empty, migrated database of the same migration
// versions (a new CROSSWATCH_PG_DATA_DIR or DATABASE_URL) and an empty
// evidence folder; it inserts every row in one transaction, resets identity
// sequences, copies the files and checks their digests and every row's file.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type pg from 'pg';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { withTransaction } from '../db/pool.ts';
import type { Logger } from '../log.ts';

export const BACKUP_FORMAT = 'crosswatch-backup/1';
const MIGRATIONS_TABLE = 'schema_migrations';
const PAGE = 2000;

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  migrations: number[];
  tables: { name: string; rows: number }[];
  evidence: { path: string; bytes: number; sha256: string }[];
  /** Rows' files that were gone when the backup ran (deleted on disk). */
  missingEvidence: string[];
}

interface TableInfo {
  name: string;
  columns: string[];
  identity: string[];
}

/**
 * Figures for trends and ratings (sql/005_figures.sql) are derived: restoring
 * the windows marks their days, and a refresh rebuilds them.
 */
const DERIVED = /^figures_/;

/** Application tables (public schema, migrations table and derived tables aside) in an order where every referenced table comes first. */
async function tables(db: pg.PoolClient | pg.Pool): Promise<TableInfo[]> {
  const names = (await db.query<{ name: string }>(`SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY 1`, [MIGRATIONS_TABLE])).rows
    .map((r) => r.name)
    .filter((name) => !DERIVED.test(name));
  const edges = (
    await db.query<{ child: string; parent: string }>(
      `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE k.contype = 'f' AND n.nspname = 'public'`,
    )
  ).rows;
  const ordered: string[] = [];
  const visit = (t: string, stack: Set<string>) => {
    if (ordered.includes(t) || stack.has(t)) return;
    stack.add(t);
    for (const e of edges) if (e.child === t && e.parent !== t) visit(e.parent, stack);
    ordered.push(t);
  };
  for (const n of names) visit(n, new Set());
  const out: TableInfo[] = [];
  for (const name of ordered) {
    const cols = (
      await db.query<{ attname: string; identity: string; generated: string }>(
        `SELECT attname, attidentity AS identity, attgenerated AS generated FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [`public.${name}`],
      )
    ).rows;
    out.push({ name, columns: cols.filter((c) => c.generated === '').map((c) => c.attname), identity: cols.filter((c) => c.identity !== '').map((c) => c.attname) });
  }
  return out;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;

export async function backup(pool: pg.Pool, o: { out: string; evidenceDir: string; log: Logger }): Promise<Manifest> {
  if (existsSync(o.out) && (await readdir(o.out)).length > 0) throw new CrosswatchError('USAGE', `backup folder ${o.out} is not empty: name a new folder`);
  await mkdir(path.join(o.out, 'db'), { recursive: true });
  const manifest: Manifest = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations: [], tables: [], evidence: [], missingEvidence: [] };
  await withTransaction(pool, async (client) => {
    await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
    manifest.migrations = (await client.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows.map((r) => r.version);
    for (const t of await tables(client)) {
      const file = createWriteStream(path.join(o.out, 'db', `${t.name}.ndjson`));
      let rows = 0;
      let last = '(0,0)';
      for (;;) {
        const page = (await client.query<{ ctid: string; row: unknown }>(`SELECT ctid::text AS ctid, row_to_json(x) AS row FROM ${ident(t.name)} x WHERE ctid > $1::tid ORDER BY ctid LIMIT ${PAGE}`, [last])).rows;
        for (const r of page) file.write(JSON.stringify(r.row) + '\n');
        rows += page.length;
        if (page.length < PAGE) break;
        last = page.at(-1)!.ctid;
      }
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
      manifest.tables.push({ name: t.name, rows });
    }
    // The files the rows of this very snapshot point to.
    const paths = (await client.query<{ p: string }>(`SELECT DISTINCT evidence_path AS p FROM violations WHERE evidence_path IS NOT NULL ORDER BY 1`)).rows.map((r) => r.p);
    for (const rel of paths) {
      const from = path.join(o.evidenceDir, rel);
      const to = path.join(o.out, 'evidence', rel);
      if (!existsSync(from)) {
        manifest.missingEvidence.push(rel);
        continue;
      }
      await mkdir(path.dirname(to), { recursive: true });
      await copyFile(from, to);
      const data = await readFile(to);
      manifest.evidence.push({ path: rel, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    }
  });
  await writeFile(path.join(o.out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  o.log.info({ out: o.out, tables: manifest.tables.length, rows: manifest.tables.reduce((a, t) => a + t.rows, 0), files: manifest.evidence.length, missing: manifest.missingEvidence.length }, 'backup written');
  return manifest;
}

export async function restore(pool: pg.Pool, o: { from: string; evidenceDir: string; log: Logger }): Promise<Manifest> {
  const manifest = JSON.parse(await readFile(path.join(o.from, 'manifest.json'), 'utf8').catch((cause) => {
    throw new CrosswatchError('USAGE', `${o.from} is not a Crosswatch backup (no readable manifest.json): ${(cause as Error).message}`, { cause });
  })) as Manifest;
  if (manifest.format !== BACKUP_FORMAT) throw new CrosswatchError('USAGE', `${o.from}/manifest.json: format ${JSON.stringify(manifest.format)}, expected ${BACKUP_FORMAT}`);
  const migrations = (await pool.query<{ version: number }>(`SELECT version FROM ${MIGRATIONS_TABLE} ORDER BY version`)).rows.map((r) => r.version);
  if (migrations.join(',') !== manifest.migrations.join(',')) {
    throw new CrosswatchError('USAGE', `the backup has migrations ${manifest.migrations.join(', ')} but this database has ${migrations.join(', ')}: restore with the Crosswatch version that wrote it`);
  }
  if (existsSync(o.evidenceDir) && (await readdir(o.evidenceDir)).length > 0) throw new CrosswatchError('USAGE', `evidence folder ${o.evidenceDir} is not empty: restore into an empty one`);
  const infos = await tables(pool);
  await withTransaction(pool, async (client) => {
    for (const t of infos) {
      const n = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(t.name)}`)).rows[0]!.n);
      if (n > 0) throw new CrosswatchError('USAGE', `table ${t.name} already has ${n} row(s): restore into an empty database (a new CROSSWATCH_PG_DATA_DIR or DATABASE_URL)`);
    }
    for (const t of infos) {
      const file = path.join(o.from, 'db', `${t.name}.ndjson`);
      if (!existsSync(file)) continue;
      const cols = t.columns.map(ident).join(', ');
      let batch: string[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await client.query(`INSERT INTO ${ident(t.name)} (${cols}) OVERRIDING SYSTEM VALUE SELECT ${cols} FROM json_populate_recordset(NULL::${ident(t.name)}, $1::json)`, [`[${batch.join(',')}]`]);
        batch = [];
      };
      for await (const line of readline.createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        if (line.trim() === '') continue;
        batch.push(line);
        if (batch.length >= PAGE) await flush();
      }
      await flush();
      for (const c of t.identity) {
        await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), GREATEST((SELECT max(${ident(c)}) FROM ${ident(t.name)}), 1), (SELECT count(*) > 0 FROM ${ident(t.name)}))`, [`public.${t.name}`, c]);
      }
    }
    for (const t of manifest.tables) {
      const n = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(t.name)}`)).rows[0]!.n);
      if (n !== t.rows) throw new CrosswatchError('DATABASE', `restore of ${t.name}: ${n} rows, the backup has ${t.rows}`);
    }
  });
  await pool.query('SELECT figures_refresh()');
  for (const f of manifest.evidence) {
    const to = path.join(o.evidenceDir, f.path);
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(path.join(o.from, 'evidence', f.path), to);
    const sha = createHash('sha256').update(await readFile(to)).digest('hex');
    if (sha !== f.sha256) throw new CrosswatchError('EVIDENCE_WRITE_FAILED', `restored ${f.path} differs from the backup (sha256 ${sha}, expected ${f.sha256})`);
  }
  o.log.info({ from: o.from, tables: manifest.tables.length, files: manifest.evidence.length }, 'restore done');
  return manifest;
}
