// A small cross-process lock: a file created exclusively, holding the owner's
// pid. A lock whose owner is gone (killed run) is taken over. Used around the
// embedded server's initdb/start/stop so two processes starting together do
// not race on one data folder.
import { open, readFile, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CrosswatchError } from '../../pipelines/errors.ts';

export async function withFileLock<T>(lockPath: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const token = `${process.pid}:${Math.random().toString(36).slice(2)}`;
  await acquire(lockPath, token, timeoutMs);
  try {
    return await fn();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, token: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fh = await open(lockPath, 'wx');
      await fh.writeFile(token);
      await fh.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new CrosswatchError('DATABASE', `Cannot create lock file ${lockPath}: ${(err as Error).message}`, { cause: err });
      }
    }
    const owner = await readFile(lockPath, 'utf8').catch(() => '');
    const pid = Number(owner.split(':')[0]);
    // An empty file is a lock being written right now; give it a moment.
    if (owner !== '' && !isAlive(pid)) {
      await unlink(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new CrosswatchError('DATABASE', `Timed out waiting for lock ${lockPath} held by process ${pid}`);
    }
    await sleep(50);
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  const owner = await readFile(lockPath, 'utf8').catch(() => '');
  if (owner === token) await unlink(lockPath).catch(() => undefined);
}

/** True when a process with this pid exists (EPERM: exists, owned by another user). */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
