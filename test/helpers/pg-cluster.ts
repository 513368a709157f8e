// The test suite's PostgreSQL server: DATABASE_URL's when set, otherwise one
// embedded cluster in the system temp folder shared by every test file of a
// run (tap's `before` script starts it, `after` stops it; see .taprc).
// Initialised once and kept, so a run pays ~0.2 s to start it, not initdb.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbedded } from '../../services/db/embedded.ts';
import { log } from '../../services/log.ts';
import { isAlive } from '../../services/db/file-lock.ts';
import { createHash } from 'node:crypto';
import os from 'node:os';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..', '..');
/**
 * Under the system temp folder, not the checkout: run as root, the server runs
 * as the postgres OS user, who may not be able to enter the checkout's
 * parents (a clone under /root). One cluster per checkout; CROSSWATCH_TEST_PG_DIR moves it.
 */
export const TEST_PG_DIR = path.resolve(
  process.env['CROSSWATCH_TEST_PG_DIR'] ??
    path.join(os.tmpdir(), `crosswatch-test-pg-${createHash('sha256').update(PROJECT_ROOT).digest('hex').slice(0, 10)}`),
);
/** One file per tap run using the cluster (named by the tap runner's pid): the last one out stops it. */
export const TEST_PG_USERS = `${TEST_PG_DIR}.runs`;

export const testLog = log.child({ test: true });
testLog.level = process.env['LOG_LEVEL'] ?? 'warn';

let serverUrl: Promise<(database: string) => string> | undefined;

/** URL builder for databases on the test server. */
export function testServer(): Promise<(database: string) => string> {
  serverUrl ??= (async () => {
    const external = process.env['DATABASE_URL'];
    if (external) {
      return (database: string) => {
        const u = new URL(external);
        u.pathname = `/${encodeURIComponent(database)}`;
        return u.toString();
      };
    }
    // Adopts the server the `before` script started; starts it when a test
    // file runs on its own (it then stays up until the next suite's `after`).
    const server = await startEmbedded({ dataDir: TEST_PG_DIR, port: 0, log: testLog, fast: true });
    return (database: string) => server.url(database);
  })();
  return serverUrl;
}

export function registerRun(runnerPid: number): void {
  mkdirSync(TEST_PG_USERS, { recursive: true });
  writeFileSync(path.join(TEST_PG_USERS, String(runnerPid)), '');
}

/** Unregisters this run; true when no other live run still uses the cluster. */
export function unregisterRun(runnerPid: number): boolean {
  mkdirSync(TEST_PG_USERS, { recursive: true });
  rmSync(path.join(TEST_PG_USERS, String(runnerPid)), { force: true });
  let others = 0;
  for (const name of readdirSync(TEST_PG_USERS)) {
    if (isAlive(Number(name))) others++;
    else rmSync(path.join(TEST_PG_USERS, name), { force: true });
  }
  return others === 0;
}
