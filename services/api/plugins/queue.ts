// pg-boss for the routes that queue work (POST /api/runs), opened on first
// use rather than at start: most API servers never queue anything, and a
// reader should not hold pg-boss connections for nothing. Closed with the app.
import type { FastifyInstance } from 'fastify';
import type PgBoss from 'pg-boss';
import { stopBoss } from '../../queue/boss.ts';
import { ApiError } from '../errors.ts';
import { shared } from '../types.ts';

async function queuePlugin(app: FastifyInstance): Promise<void> {
  let opening: Promise<PgBoss> | undefined;
  app.decorate('queue', () => {
    const open = app.deps.openQueue;
    if (!open) return Promise.reject(new ApiError('UNAVAILABLE', 'this API server was started without a job queue, so it cannot queue runs'));
    // A failed open is not cached: the next request tries again (the database may be back).
    opening ??= open().catch((err: unknown) => {
      opening = undefined;
      throw new ApiError('UNAVAILABLE', `the job queue could not be opened: ${(err as Error).message}`, { cause: err });
    });
    return opening;
  });
  app.addHook('onClose', async () => {
    const boss = await opening?.catch(() => undefined);
    if (boss) await stopBoss(boss, 5000);
  });
}

export default shared(queuePlugin, 'crosswatch-queue');
