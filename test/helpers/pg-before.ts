// tap `before` (see .taprc): start the shared test PostgreSQL once per run and
// drop databases that killed runs left behind.
import pg from 'pg';
import { registerRun, testLog, testServer, TEST_PG_USERS } from './pg-cluster.ts';
import { isAlive } from '../../services/db/file-lock.ts';
import { readdirSync } from 'node:fs';

const t0 = Date.now();
const liveRuns = (() => {
  try {
    return readdirSync(TEST_PG_USERS).filter((n) => Number(n) !== process.ppid && isAlive(Number(n))).length;
  } catch {
    return 0;
  }
})();
registerRun(process.ppid);
const url = await testServer();
if (!process.env['DATABASE_URL'] && liveRuns === 0) {
  // No other run is using the cluster: whatever test databases it holds are leftovers.
  const client = new pg.Client({ connectionString: url('postgres') });
  await client.connect();
  const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'cw\\_test\\_%'");
  for (const r of rows) await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(r.datname)} WITH (FORCE)`);
  await client.end();
  if (rows.length > 0) testLog.info({ dropped: rows.length }, 'dropped leftover test databases');
}
testLog.info({ ms: Date.now() - t0 }, 'test PostgreSQL ready');
