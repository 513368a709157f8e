// Several processes starting pg-boss at once on a fresh database (two `crosswatch
// run`s, workers on several machines after an install) must all start, and the
// queues exist once. pg-boss 10 creates queues without a lock, and PostgreSQL
// aborted one of two racing creations as a deadlock (found by
// test/faults/bad-footage.test.ts in CI).
import t from 'tap';
import { openBoss, stopBoss, QUEUES } from '../../../services/queue/boss.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';

const STARTERS = 4;
const ROUNDS = 3;

t.test('pg-boss started by several processes at once on a fresh database', async (t) => {
  for (let round = 1; round <= ROUNDS; round++) {
    const db = await testDatabase(t);
    const started = await Promise.allSettled(Array.from({ length: STARTERS }, () => openBoss(db.url, testLog)));
    const failures = started.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : []));
    t.same(failures, [], `round ${round}: all ${STARTERS} start`);
    await Promise.all(started.flatMap((s) => (s.status === 'fulfilled' ? [stopBoss(s.value, 1000)] : [])));
    const queues = await db.pool.query<{ name: string; dead_letter: string | null }>(
      `SELECT name, dead_letter FROM pgboss.queue ORDER BY name`,
    );
    t.same(
      queues.rows,
      [
        { name: QUEUES.nightly, dead_letter: null },
        { name: QUEUES.window, dead_letter: QUEUES.windowFailed },
        { name: QUEUES.windowFailed, dead_letter: null },
      ],
      `round ${round}: each queue once, the window queue dead-lettering to its failure queue`,
    );
    const partitions = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'pgboss.job'::regclass`,
    );
    t.equal(partitions.rows[0]!.n, 3, `round ${round}: one job partition per queue`);
  }
});
