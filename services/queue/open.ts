// The database and pg-boss together, for CLI commands that queue or read
// jobs; both closed whatever happens (pg-boss first: it uses the database).
import type PgBoss from 'pg-boss';
import type { Config } from '../config.ts';
import { withDatabase, type Database } from '../db/index.ts';
import type { Logger } from '../log.ts';
import { openBoss, stopBoss } from './boss.ts';

export async function withQueue<T>(config: Config, log: Logger, fn: (db: Database, boss: PgBoss) => Promise<T>): Promise<T> {
  return withDatabase(config, log, async (db) => {
    const boss = await openBoss(db.url, log);
    try {
      return await fn(db, boss);
    } finally {
      await stopBoss(boss, 1000);
    }
  });
}
