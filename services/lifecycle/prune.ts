// Evidence retention: `crosswatch prune [--dry-run]`.
//
// 1. Expired evidence: a violation older than its retention (confirmed ones
//    kept longer) has its evidence_path cleared in a transaction, and its
//    files are deleted after the commit. A crash in between leaves orphan
//    files (removed by the next prune), never a row pointing to a deleted file.
// 2. Orphans: files no row points to (an interrupted attempt, a row cleared
//    by step 1 before a crash). Only files older than a grace period: a window
//    in progress writes its files before the transaction that references them.
// Rows and files a row still points to within its retention are never touched.
import { readdir, rmdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { withTransaction } from '../db/pool.ts';
import type { Logger } from '../log.ts';

export interface PruneOptions {
  evidenceDir: string;
  retentionDays: number;
  confirmedRetentionDays: number;
  /** Orphan files younger than this are left alone (a window may be about to commit them). */
  orphanGraceMs: number;
  dryRun?: boolean;
  now?: Date;
  log: Logger;
}

export interface PruneResult {
  dryRun: boolean;
  expiredRows: number;
  expiredFiles: number;
  orphanFiles: number;
  bytes: number;
  keptYoungOrphans: number;
}

const BATCH = 500;

export const pruneSql = {
  /** Violations past their retention that still point to evidence; locked, so a concurrent review waits. */
  expired: (retentionDays: number, confirmedDays: number, now: Date, limit: number) => ({
    text: `SELECT id::text, evidence_path FROM violations
            WHERE evidence_path IS NOT NULL
              AND t < $3::timestamptz - make_interval(days => CASE WHEN review_status = 'confirmed' THEN $2::int ELSE $1::int END)
            ORDER BY id LIMIT $4 FOR UPDATE SKIP LOCKED`,
    values: [retentionDays, Math.max(confirmedDays, retentionDays), now, limit],
  }),
  clear: (ids: string[]) => ({ text: `UPDATE violations SET evidence_path = NULL WHERE id = ANY($1::bigint[])`, values: [ids] }),
  /** Paths rows point to inside one folder (camera/date): keeps the orphan check per folder, never the whole table in memory. */
  referencedIn: (prefix: string) => ({
    text: `SELECT evidence_path FROM violations WHERE evidence_path LIKE $1 ESCAPE '\\'`,
    values: [prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%'],
  }),
};

export async function pruneEvidence(pool: pg.Pool, o: PruneOptions): Promise<PruneResult> {
  const now = o.now ?? new Date();
  const result: PruneResult = { dryRun: o.dryRun ?? false, expiredRows: 0, expiredFiles: 0, orphanFiles: 0, bytes: 0, keptYoungOrphans: 0 };
  // 1. Expired evidence, a batch per transaction.
  for (;;) {
    const batch = await withTransaction(pool, async (client) => {
      const rows = (await client.query<{ id: string; evidence_path: string }>(pruneSql.expired(o.retentionDays, o.confirmedRetentionDays, now, o.dryRun ? 1_000_000 : BATCH))).rows;
      if (!o.dryRun && rows.length > 0) await client.query(pruneSql.clear(rows.map((r) => r.id)));
      return rows;
    });
    result.expiredRows += batch.length;
    for (const r of batch) {
      const size = await fileSize(o.evidenceDir, r.evidence_path);
      if (size === null) continue;
      result.expiredFiles++;
      result.bytes += size;
      if (!o.dryRun) await unlink(path.join(o.evidenceDir, r.evidence_path)).catch(() => undefined);
    }
    if (o.dryRun || batch.length < BATCH) break;
  }
  // 2. Orphans, one camera/date folder at a time.
  for (const folder of await subfolders(o.evidenceDir, 2)) {
    const rel = path.relative(o.evidenceDir, folder).split(path.sep).join('/');
    const referenced = new Set((await pool.query<{ evidence_path: string }>(pruneSql.referencedIn(`${rel}/`))).rows.map((r) => r.evidence_path));
    for (const name of await readdir(folder).catch(() => [] as string[])) {
      const file = path.join(folder, name);
      const st = await stat(file).catch(() => null);
      if (!st?.isFile() || referenced.has(`${rel}/${name}`)) continue;
      if (now.getTime() - st.mtimeMs < o.orphanGraceMs) {
        result.keptYoungOrphans++;
        continue;
      }
      result.orphanFiles++;
      result.bytes += st.size;
      if (!o.dryRun) await unlink(file).catch(() => undefined);
    }
    if (!o.dryRun) await rmdir(folder).catch(() => undefined); // only when empty
  }
  o.log.info(result, o.dryRun ? 'prune (dry run): nothing changed' : 'evidence pruned');
  return result;
}

async function fileSize(root: string, rel: string): Promise<number | null> {
  const st = await stat(path.join(root, rel)).catch(() => null);
  return st?.isFile() ? st.size : null;
}

/** Folders exactly `depth` levels below root (camera/date). */
async function subfolders(root: string, depth: number): Promise<string[]> {
  let level = [root];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) if (e.isDirectory()) next.push(path.join(dir, e.name));
    }
    level = next;
  }
  return level;
}
