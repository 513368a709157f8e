// tap `after` (see .taprc): stop the shared test PostgreSQL unless another
// tap run (another engineer, another terminal) is still using it.
import { stopEmbeddedAt } from '../../services/db/embedded.ts';
import { testLog, TEST_PG_DIR, unregisterRun } from './pg-cluster.ts';

if (unregisterRun(process.ppid) && !process.env['DATABASE_URL']) {
  await stopEmbeddedAt(TEST_PG_DIR, testLog);
}
