// Fault injection for the fault suite (test/faults), TEST-ONLY: read here and
// nowhere else. Unset (always, outside tests) it does nothing.
//
//   CROSSWATCH_FAULT=<point>:<action>
//     point:  after-evidence  (evidence files written, no transaction yet)
//             before-commit   (window rows written inside the open transaction)
//     action: kill            (the process SIGKILLs itself: a crash at that instant)
//             sleep           (waits an hour, for a test to kill or stop something)
//
// Each point announces itself on stderr ("crosswatch-fault: <point>") so a
// test can act at the right moment.
import { setTimeout as sleep } from 'node:timers/promises';

export type FaultPoint = 'after-evidence' | 'before-commit';

const spec = /^(after-evidence|before-commit):(kill|sleep)$/.exec(process.env['CROSSWATCH_FAULT'] ?? '');

export async function faultPoint(point: FaultPoint): Promise<void> {
  if (!spec || spec[1] !== point) return;
  process.stderr.write(`crosswatch-fault: ${point}\n`);
  if (spec[2] === 'kill') process.kill(process.pid, 'SIGKILL');
  await sleep(3_600_000);
}
