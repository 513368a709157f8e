// The project's own PostgreSQL, used when DATABASE_URL is unset: a cluster in
// a data folder that is initialised once and reused across runs, started on
// 127.0.0.1 only (no Unix socket, so no shared /tmp or /var/run state), with a
// password generated at initdb and kept inside the data folder.
//
// pg_ctl starts the server detached from this process, so one started by a
// test-suite `before` script outlives that script. A server already running
// on the folder (another Crosswatch process, or one orphaned by a killed run)
// is adopted rather than started twice.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { CrosswatchError } from '../../pipelines/errors.ts';
import type { Logger } from '../log.ts';
import { withFileLock } from './file-lock.ts';
import { pgBinaries } from './pg-binaries.ts';
import { isInitialised, liveServer, prepareDataDir, serverRunAs, type RunAs } from './pg-datadir.ts';

const run = promisify(execFile);

export interface EmbeddedOptions {
  dataDir: string;
  /** 0 picks a free port at each start. */
  port: number;
  log: Logger;
  /** Test clusters trade crash safety for speed (no fsync). */
  fast?: boolean;
}

export interface EmbeddedServer {
  dataDir: string;
  port: number;
  /** True when this process started the server; false when it adopted a running one. */
  started: boolean;
  url(database: string): string;
  stop(): Promise<void>;
  /** For `exit` handlers, where nothing asynchronous runs. */
  stopSync(): void;
}

const SUPERUSER = 'postgres';
const PASSWORD_FILE = 'crosswatch.password';
const START_TIMEOUT_S = 60;
const LOCK_TIMEOUT_MS = 90_000;

export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const dataDir = path.resolve(opts.dataDir);
  const bins = await pgBinaries();
  const runAs = serverRunAs();
  const t0 = Date.now();
  await mkdir(path.dirname(dataDir), { recursive: true }); // where the lock file goes
  const { port, started } = await withFileLock(`${dataDir}.lock`, LOCK_TIMEOUT_MS, async () => {
    await prepareDataDir(dataDir, runAs);
    const live = await waitWhileTransient(dataDir, opts.log);
    if (live) return { port: live.port, started: false };
    if (!(await isInitialised(dataDir))) await initdb(bins.initdb, dataDir, runAs, opts);
    return { port: await startServer(bins.pg_ctl, dataDir, runAs, opts), started: true };
  });
  const password = (await readFile(path.join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  opts.log.info({ dataDir, port, started, ms: Date.now() - t0 }, started ? 'embedded PostgreSQL started' : 'using embedded PostgreSQL already running');
  const stopArgs = pgCtlStopArgs(dataDir);
  return {
    dataDir,
    port,
    started,
    url: (database) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
    stop: () => withFileLock(`${dataDir}.lock`, LOCK_TIMEOUT_MS, () => stopServer(bins.pg_ctl, stopArgs, runAs, opts.log)),
    stopSync() {
      try {
        execFileSync(bins.pg_ctl, stopArgs, { ...spawnOpts(runAs), stdio: 'ignore' });
      } catch {
        // Already stopped, or stopping: nothing more to do while exiting.
      }
    },
  };
}

/** Stops whatever server runs on the folder (the test suite's `after` script); false when none ran. */
export async function stopEmbeddedAt(dataDir: string, log: Logger): Promise<boolean> {
  const bins = await pgBinaries();
  const runAs = serverRunAs();
  if (!existsSync(dataDir)) return false;
  return withFileLock(`${path.resolve(dataDir)}.lock`, LOCK_TIMEOUT_MS, async () => {
    if (!(await liveServer(dataDir, log))) return false;
    await stopServer(bins.pg_ctl, pgCtlStopArgs(path.resolve(dataDir)), runAs, log);
    return true;
  });
}

function pgCtlStopArgs(dataDir: string): string[] {
  // fast: roll back open transactions and disconnect, rather than wait for clients.
  return ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '30'];
}

/** A server that is starting up or shutting down is waited for. */
async function waitWhileTransient(dataDir: string, log: Logger) {
  const deadline = Date.now() + START_TIMEOUT_S * 1000;
  for (;;) {
    const live = await liveServer(dataDir, log);
    if (!live || live.status === 'ready') return live;
    if (Date.now() > deadline) {
      throw new CrosswatchError('DATABASE', `The PostgreSQL server on ${dataDir} (pid ${live.pid}) stayed "${live.status}" for ${START_TIMEOUT_S} s`);
    }
    await sleep(100);
  }
}

function spawnOpts(runAs: RunAs | undefined) {
  // cwd "/": the server's user may not be allowed into ours.
  return { ...(runAs ?? {}), cwd: '/', env: { ...process.env, LC_ALL: 'C', LC_MESSAGES: 'C' } };
}

async function initdb(initdbPath: string, dataDir: string, runAs: RunAs | undefined, opts: EmbeddedOptions): Promise<void> {
  opts.log.info({ dataDir }, 'initialising embedded PostgreSQL cluster (first run)');
  const password = randomBytes(18).toString('base64url');
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'crosswatch-pw-'));
  const pwfile = path.join(tmp, 'pw');
  try {
    await writeFile(pwfile, password + '\n', { mode: 0o600 });
    if (runAs) {
      await chown(tmp, runAs.uid, runAs.gid);
      await chown(pwfile, runAs.uid, runAs.gid);
    }
    const args = [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${SUPERUSER}`, `--pwfile=${pwfile}`];
    args.push('--encoding=UTF8', '--locale=C', '--no-instructions', ...(opts.fast ? ['--no-sync'] : []));
    await run(initdbPath, args, spawnOpts(runAs));
  } catch (cause) {
    throw new CrosswatchError('DATABASE', `initdb failed for ${dataDir}: ${processOutput(cause)}`, { cause });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const file = path.join(dataDir, PASSWORD_FILE);
  await writeFile(file, password + '\n', { mode: 0o600 });
  if (runAs) await chown(file, runAs.uid, runAs.gid);
}

/** Starts the server; a port picked here that another program took meanwhile is picked again. */
async function startServer(pgCtl: string, dataDir: string, runAs: RunAs | undefined, opts: EmbeddedOptions): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const port = opts.port || (await freePort());
    const settings = [`-p ${port}`, '-c listen_addresses=127.0.0.1', "-c unix_socket_directories=''"];
    if (opts.fast) settings.push('-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off');
    const logFile = path.join(dataDir, 'server.log');
    const logStart = (await readFile(logFile, 'utf8').catch(() => '')).length;
    try {
      await run(pgCtl, ['start', '-D', dataDir, '-w', '-t', String(START_TIMEOUT_S), '-l', logFile, '-o', settings.join(' ')], spawnOpts(runAs));
      return port;
    } catch (cause) {
      // Only this attempt's lines: the log is appended to across runs.
      const tail = await readFile(logFile, 'utf8').then((t) => lastLines(t.slice(logStart)), () => '');
      if (!opts.port && attempt < 3 && /could not (bind|create listen)/i.test(tail)) continue;
      throw new CrosswatchError('DATABASE', `Embedded PostgreSQL did not start on ${dataDir} (port ${port}): ${tail || processOutput(cause)}`, {
        cause,
      });
    }
  }
}

async function stopServer(pgCtl: string, args: string[], runAs: RunAs | undefined, log: Logger): Promise<void> {
  try {
    await run(pgCtl, args, spawnOpts(runAs));
    log.info({ dataDir: args[2] }, 'embedded PostgreSQL stopped');
  } catch (cause) {
    // pg_ctl fails when no server runs: someone else stopped it first.
    if (/PID file .* does not exist|Is server running/i.test(processOutput(cause))) return;
    throw new CrosswatchError('DATABASE', `Could not stop embedded PostgreSQL on ${args[2]}: ${processOutput(cause)}`, { cause });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function processOutput(err: unknown): string {
  const e = err as { stderr?: string; stdout?: string; message?: string };
  return lastLines(`${e.stderr ?? ''}\n${e.stdout ?? ''}`) || (e.message ?? String(err));
}

function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join('\n').trim();
}
