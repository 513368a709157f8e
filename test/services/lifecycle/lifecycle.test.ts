// Evidence retention (prune) and backup/restore, end to end through the CLI.
import t from 'tap';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../services/cli/main.ts';
import { testDatabase, type TestDatabase } from '../../helpers/db.ts';
import { filesUnder } from '../../faults/helpers/state.ts';
import { addSite, addWindow } from '../api/helpers.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-lifecycle-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const DAY = 86_400_000;

async function cli(db: TestDatabase, evidenceDir: string, argv: string[]): Promise<{ code: number; out: string }> {
  const saved = { DATABASE_URL: process.env['DATABASE_URL'], CROSSWATCH_EVIDENCE_DIR: process.env['CROSSWATCH_EVIDENCE_DIR'], LOG_LEVEL: process.env['LOG_LEVEL'] };
  Object.assign(process.env, { DATABASE_URL: db.url, CROSSWATCH_EVIDENCE_DIR: evidenceDir, LOG_LEVEL: 'warn' });
  const out: string[] = [];
  try {
    return { code: await main(argv, (s) => out.push(s)), out: out.join('\n') };
  } finally {
    for (const [k, v] of Object.entries(saved)) (v === undefined ? delete process.env[k] : (process.env[k] = v));
  }
}

/** One violation per age/review case, each with its evidence file; two orphan files, one old and one fresh. */
async function fixture(db: TestDatabase, evidenceDir: string) {
  const { cameraId } = await addSite(db, 'P1');
  const cases = { recentPending: 10, oldPending: 200, oldConfirmed: 200, ancientConfirmed: 800 };
  const ids: Record<string, string> = {};
  for (const [name, days] of Object.entries(cases)) {
    const at = new Date(Date.now() - days * DAY);
    const rel = `P1-cam/${at.toISOString().slice(0, 10)}/${name}-0.jpg`;
    mkdirSync(path.join(evidenceDir, path.dirname(rel)), { recursive: true });
    writeFileSync(path.join(evidenceDir, rel), `jpeg of ${name}`);
    const w = await addWindow(db, cameraId, at.toISOString(), { red_light: [5, 1] }, { evidence: () => rel });
    ids[name] = w.violationIds[0]!;
    await db.pool.query(`UPDATE violations SET t = $2 WHERE id = $1`, [ids[name], at]);
    if (name.includes('Confirmed')) await db.pool.query(`UPDATE violations SET review_status = 'confirmed', reviewed_at = now(), reviewed_by = 'r' WHERE id = $1`, [ids[name]]);
  }
  const orphanDir = path.join(evidenceDir, 'P1-cam', '2020-01-01');
  mkdirSync(orphanDir, { recursive: true });
  writeFileSync(path.join(orphanDir, '99-a1-0.jpg'), 'left by a killed attempt');
  utimesSync(path.join(orphanDir, '99-a1-0.jpg'), new Date(Date.now() - 3 * DAY), new Date(Date.now() - 3 * DAY));
  writeFileSync(path.join(orphanDir, '.98-a1-0.jpg.123.abcd.tmp'), 'being written now');
  return ids;
}

t.test('prune: expired evidence goes with its row’s path, confirmed kept longer, orphans removed, nothing a live row needs', async (t) => {
  const db = await testDatabase(t);
  const evidenceDir = path.join(tmp, 'prune-evidence');
  const ids = await fixture(db, evidenceDir);
  const before = filesUnder(evidenceDir);
  const dry = await cli(db, evidenceDir, ['prune', '--dry-run', '--json']);
  t.equal(dry.code, 0);
  t.match(JSON.parse(dry.out), { dryRun: true, expiredRows: 2, expiredFiles: 2, orphanFiles: 1, keptYoungOrphans: 1 });
  t.same(filesUnder(evidenceDir), before, 'a dry run changes no file');
  t.equal((await db.pool.query(`SELECT count(*)::int AS n FROM violations WHERE evidence_path IS NULL`)).rows[0].n, 0, '…and no row');

  const run = await cli(db, evidenceDir, ['prune']);
  t.equal(run.code, 0);
  t.match(run.out, /2 violation\(s\) past retention \(180 d; confirmed 730 d\): removed 2 file\(s\); removed 1 orphan file/);
  const rows = Object.fromEntries((await db.pool.query<{ id: string; evidence_path: string | null }>(`SELECT id::text, evidence_path FROM violations`)).rows.map((r) => [r.id, r.evidence_path]));
  t.equal(rows[ids['oldPending']!], null, 'unconfirmed past 180 days: path cleared');
  t.equal(rows[ids['ancientConfirmed']!], null, 'confirmed past 730 days: path cleared');
  t.ok(rows[ids['oldConfirmed']!], 'confirmed at 200 days: kept');
  t.ok(rows[ids['recentPending']!], 'recent: kept');
  const left = filesUnder(evidenceDir);
  for (const p of Object.values(rows)) if (p) t.ok(left.includes(p), `${p} still on disk`);
  t.same(left.sort(), [...Object.values(rows).filter((p): p is string => !!p), 'P1-cam/2020-01-01/.98-a1-0.jpg.123.abcd.tmp'].sort(), 'only referenced files and the fresh unreferenced one remain');
  t.equal((await db.pool.query(`SELECT count(*)::int AS n FROM violations`)).rows[0].n, 4, 'prune deletes files, never violation rows');
});

t.test('backup, wipe, restore: the same rows and the same files', async (t) => {
  const db = await testDatabase(t);
  const evidenceDir = path.join(tmp, 'backup-evidence');
  await fixture(db, evidenceDir);
  await db.pool.query(`INSERT INTO api_keys (name, role, prefix, key_hash) VALUES ('k', 'viewer', 'cw_abcdefgh', repeat('a', 64))`);
  const out = path.join(tmp, 'backup-1');
  const b = await cli(db, evidenceDir, ['backup', '--out', out]);
  t.equal(b.code, 0, b.out);
  t.match(b.out, /Backup in .*: \d+ tables, \d+ rows, 4 evidence file\(s\)/);
  t.equal((await cli(db, evidenceDir, ['backup', '--out', out])).code, 2, 'refuses a folder that is not empty');

  const dump = async (d: TestDatabase) => {
    // Figures are rebuilt on restore: their contents must match, their bookkeeping (version, marks) need not.
    await d.pool.query('SELECT figures_refresh()');
    const tables = (await d.pool.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'figures_version', 'figures_dirty') ORDER BY 1`)).rows.map((r) => r.t);
    const out: Record<string, string[]> = {};
    for (const table of tables) out[table] = (await d.pool.query<{ r: string }>(`SELECT row_to_json(x)::text AS r FROM ${table} x`)).rows.map((r) => r.r).sort();
    return out;
  };
  const rowsBefore = await dump(db);
  const referenced = (await db.pool.query<{ p: string }>(`SELECT evidence_path AS p FROM violations ORDER BY 1`)).rows.map((r) => r.p);
  const contents = Object.fromEntries(referenced.map((p) => [p, readFileSync(path.join(evidenceDir, p), 'utf8')]));

  // Wipe: a new, empty database and an empty evidence folder.
  const fresh = await testDatabase(t);
  const restoredDir = path.join(tmp, 'restored-evidence');
  const r = await cli(fresh, restoredDir, ['restore', '--from', out]);
  t.equal(r.code, 0, r.out);
  t.same(await dump(fresh), rowsBefore, 'every table row by row');
  t.same(filesUnder(restoredDir), referenced, 'exactly the files the rows point to (orphans are not backed up)');
  for (const p of referenced) t.equal(readFileSync(path.join(restoredDir, p), 'utf8'), contents[p], `${p} byte for byte`);
  const next = await fresh.pool.query<{ id: string }>(`INSERT INTO api_keys (name, role, prefix, key_hash) VALUES ('new', 'viewer', 'cw_zzzzzzzz', repeat('b', 64)) RETURNING id::text`);
  t.ok(Number(next.rows[0]!.id) > 1, 'identity sequences continue after the restored rows');
  t.equal((await cli(fresh, path.join(tmp, 'other'), ['restore', '--from', out])).code, 2, 'refuses a database that already has rows');
  t.ok(!existsSync(path.join(tmp, 'other')) || filesUnder(path.join(tmp, 'other')).length === 0);
});
