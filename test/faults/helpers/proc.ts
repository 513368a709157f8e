// Child processes of the fault suite (the real CLI, the oracle worker) and
// waiting for database states.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../helpers/pg-cluster.ts';

export interface Spawned {
  child: ChildProcess;
  /** Exit code, or the signal's name when it died of one. */
  exit: Promise<number | string>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr or stdout matches. */
  waitOutput(re: RegExp, timeoutMs?: number): Promise<void>;
}

export function spawnNode(args: string[], env: NodeJS.ProcessEnv): Spawned {
  const child = spawn(process.execPath, args, { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (d) => ((out += d), waiters.forEach((w) => w())));
  child.stderr!.on('data', (d) => ((err += d), waiters.forEach((w) => w())));
  const exit = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    exit,
    stdout: () => out,
    stderr: () => err,
    waitOutput: (re, timeoutMs = 60_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no output matching ${re} within ${timeoutMs} ms; stderr: ${err.slice(-800)}`)), timeoutMs);
        const check = () => {
          if (re.test(out) || re.test(err)) {
            clearTimeout(timer);
            resolve();
          }
        };
        waiters.push(check);
        void exit.then(() => setTimeout(check, 10));
        check();
      }),
  };
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv): Spawned {
  return spawnNode([path.join(PROJECT_ROOT, 'bin', 'crosswatch.js'), ...args], env);
}

export function spawnOracleWorker(env: NodeJS.ProcessEnv): Spawned {
  return spawnNode(['--import', 'tsx', path.join(PROJECT_ROOT, 'test', 'faults', 'helpers', 'oracle-worker.ts')], env);
}

export async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs: number, what = 'condition'): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Kills a child at teardown when a test failed half-way. */
export function reap(t: { teardown(fn: () => unknown): void }, ...procs: Spawned[]): void {
  t.teardown(() => {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });
}
