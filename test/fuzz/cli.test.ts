// Every CLI command (from the command table) with bad arguments: unknown
// options among hostile tokens, and hostile values for each of its options
// and positionals, in-process through main(). Each call returns an exit code
// (never throws), a failure prints one "crosswatch <command>: <what is wrong>"
// line, nothing rejects unhandled, and the database survives the SQL
// injections among the values. Values that would make a command legitimately
// run for good (a valid port for `serve`, an existing folder to catalogue)
// are left out.
import t from 'tap';
import fc from 'fast-check';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../services/cli/main.ts';
import { commands } from '../../services/cli/commands/index.ts';
import { testDatabase } from '../helpers/db.ts';
import { hostileString } from './payloads.ts';

const PER_COMMAND = Number(process.env['CROSSWATCH_FUZZ_CLI_RUNS'] ?? 6);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'cw-fuzz-cli-'));
t.teardown(() => rmSync(tmp, { recursive: true, force: true }));
const db = await testDatabase(t);
// Commands that write where they are told (backup --out, sim --out) write under the temp folder.
const cwd = process.cwd();
process.chdir(tmp);
t.teardown(() => process.chdir(cwd));
const saved = { ...process.env };
Object.assign(process.env, { DATABASE_URL: db.url, CROSSWATCH_DATA_DIR: tmp, CROSSWATCH_MODEL: path.join(tmp, 'no-model.onnx'), LOG_LEVEL: 'silent' });
t.teardown(() => {
  for (const k of ['DATABASE_URL', 'CROSSWATCH_DATA_DIR', 'CROSSWATCH_MODEL', 'LOG_LEVEL']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

let unhandled = 0;
const onUnhandled = () => void unhandled++;
process.on('unhandledRejection', onUnhandled);
t.teardown(() => void process.off('unhandledRejection', onUnhandled));

/** Commands that run until stopped, or write where --out says, when their arguments happen to be valid. */
const LONG_RUNNING = new Set(['serve', 'worker', 'sim clip', 'sim archive']);
const numeric = (v: string) => v.trim() !== '' && Number.isFinite(Number(v));

async function call(argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  try {
    const code = await Promise.race([main(argv, () => undefined), new Promise<number>((_, reject) => setTimeout(() => reject(new Error(`crosswatch ${argv.join(' ')} still running after 30 s`)), 30_000).unref())]);
    return { code, stderr };
  } finally {
    process.stderr.write = write;
  }
}

const stats = { calls: 0, byCode: {} as Record<number, number>, bad: [] as string[] };
function judge(name: string, argv: string[], r: { code: number; stderr: string }): boolean {
  stats.calls++;
  stats.byCode[r.code] = (stats.byCode[r.code] ?? 0) + 1;
  const ok = [0, 1, 2].includes(r.code) && (r.code === 0 || new RegExp(`crosswatch ${name}: .{5,}`).test(r.stderr));
  if (!ok) stats.bad.push(`${JSON.stringify(argv).slice(0, 200)} → ${r.code}: ${r.stderr.slice(0, 200)}`);
  return ok;
}

for (const command of commands) {
  const words = command.name.split(' ');
  const options = Object.entries(command.options ?? {});
  t.test(`crosswatch ${command.name}`, async (t) => {
    // Unknown options among hostile tokens: a usage error naming the option.
    await fc.assert(
      fc.asyncProperty(fc.array(hostileString, { maxLength: 4 }), fc.stringMatching(/^[a-z][a-z0-9-]{2,12}$/), async (tokens, unknown) => {
        fc.pre(!options.some(([k]) => k === `zz-${unknown}`));
        const argv = [...words, ...tokens.filter((x) => !x.startsWith('-')), `--zz-${unknown}`];
        const r = await call(argv);
        return judge(command.name, argv, r) && r.code === 2 && r.stderr.includes(`--zz-${unknown}`);
      }),
      { numRuns: 10 },
    );
    // Hostile values for each option and positional.
    const valueOptions = options.filter(([, o]) => (o as { type: string }).type === 'string').map(([k]) => k);
    const args = fc.record({
      values: fc.array(fc.tuple(fc.constantFrom(...(valueOptions.length > 0 ? valueOptions : ['json'])), hostileString), { maxLength: 3 }),
      positionals: fc.array(hostileString, { maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(args, async ({ values, positionals }) => {
        const all = [...values.map(([, v]) => v), ...positionals];
        fc.pre(all.every((v) => !existsSync(v) && !existsSync(path.resolve(v || '.'))));
        if (LONG_RUNNING.has(command.name)) fc.pre(values.length > 0 && values.every(([, v]) => !numeric(v)) && !values.some(([k]) => k === 'host'));
        const argv = [...words, ...positionals.filter((p) => !p.startsWith('-')), ...values.flatMap(([k, v]) => (valueOptions.includes(k) ? [`--${k}=${v}`] : ['--json']))];
        return judge(command.name, argv, await call(argv));
      }),
      { numRuns: PER_COMMAND },
    );
    t.pass(`crosswatch ${command.name}: bad arguments answered with an exit code and a message`);
  });
}

t.test('totals', async (t) => {
  t.same(stats.bad, [], 'every failure printed "crosswatch <command>: <message>" with exit code 1 or 2');
  t.equal(unhandled, 0, 'no unhandled rejection');
  const tables = (await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`)).rows[0]!.n;
  t.ok(tables >= 10, `the database keeps its ${tables} tables`);
  t.comment(`CLI FUZZ calls=${stats.calls} exit codes ${JSON.stringify(stats.byCode)}`);
});
