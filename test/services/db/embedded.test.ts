import t from 'tap';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { startEmbedded, stopEmbeddedAt } from '../../../services/db/embedded.ts';
import { openDatabase } from '../../../services/db/index.ts';
import { testLog } from '../../helpers/db.ts';

// One cluster for this file: initdb once (~1 s), then starts of an existing cluster.
const parent = mkdtempSync(path.join(os.tmpdir(), 'cw-embedded-'));
chmodSync(parent, 0o755); // run as root, the server's `postgres` user must pass through
const dataDir = path.join(parent, 'pg');
const pidFile = path.join(dataDir, 'postmaster.pid');
t.teardown(async () => {
  await stopEmbeddedAt(dataDir, testLog);
  rmSync(parent, { recursive: true, force: true });
});

t.test('initialises once, starts, is adopted by a second process, stops', async (t) => {
  const first = await startEmbedded({ dataDir, port: 0, log: testLog, fast: true });
  t.equal(first.started, true);
  t.ok(existsSync(path.join(dataDir, 'PG_VERSION')));
  if (process.getuid?.() === 0) t.not(statSync(dataDir).uid, 0, 'data folder belongs to the postgres OS user');
  const second = await startEmbedded({ dataDir, port: 0, log: testLog });
  t.equal(second.started, false, 'a running server is adopted, not started twice');
  t.equal(second.port, first.port);
  await first.stop();
  t.notOk(existsSync(pidFile));
});

t.test('openDatabase creates the crosswatch database, migrates, and close() stops the server', async (t) => {
  const t0 = Date.now();
  const db = await openDatabase({ pgDataDir: dataDir, pgPort: 0 }, testLog);
  t.ok(Date.now() - t0 < 5000, `existing cluster opened in ${Date.now() - t0} ms`);
  t.match(db.url, /\/crosswatch$/);
  const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
  t.ok(rows[0].n >= 1);
  await db.close();
  t.notOk(existsSync(pidFile), 'server stopped');
});

t.test('a stale postmaster.pid from a killed run is cleared', async (t) => {
  // The pid of this very test process: alive, but not a postgres server
  // (the case PostgreSQL itself refuses: a pid reused after a crash).
  for (const pid of [process.pid, 2 ** 22 + 12345]) {
    writeFileSync(pidFile, `${pid}\n${dataDir}\n1700000000\n5999\n\n127.0.0.1\n  1 2\nready   \n`);
    const server = await startEmbedded({ dataDir, port: 0, log: testLog, fast: true });
    t.equal(server.started, true, `started over a stale pid file naming ${pid}`);
    await server.stop();
  }
});

for (const [mode, signal] of [['wait', 'SIGTERM'], ['exit', undefined]] as const) {
  t.test(`the server stops when its process ends (${signal ?? 'exit without close()'})`, async (t) => {
    const child = spawn(process.execPath, ['--import=tsx', path.join(import.meta.dirname, 'fixtures', 'open-database.ts'), dataDir, mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    t.equal(chunk.toString().trim(), 'ready');
    t.ok(existsSync(pidFile), 'running');
    if (signal) child.kill(signal);
    const [code, sig] = (await once(child, 'exit')) as [number | null, string | null];
    if (signal) t.equal(sig, signal, 'the process still dies of the signal');
    else t.equal(code, 0);
    t.notOk(existsSync(pidFile), 'server stopped');
  });
}
