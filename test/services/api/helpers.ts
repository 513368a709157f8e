// An API on a fresh test database, a key per role, and rows to query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../../services/config.ts';
import { buildApp } from '../../../services/api/app.ts';
import { openBoss } from '../../../services/queue/boss.ts';
import { createKey } from '../../../services/api/keys.ts';
import type { Role } from '../../../services/api/access.ts';
import { CATEGORIES } from '../../../pipelines/types.ts';
import { testDatabase, testLog, type TestDatabase } from '../../helpers/db.ts';

interface Tap {
  teardown(fn: () => unknown): void;
}

export interface ApiFixture {
  app: FastifyInstance;
  db: TestDatabase;
  config: Config;
  keys: Record<Role, string>;
  /** Headers carrying the key of a role. */
  as(role: Role | 'none'): Record<string, string>;
}

/** `queue`: give the app pg-boss on the test database, as `crosswatch serve` does (routes that queue runs need it). */
export async function apiFixture(t: Tap, overrides: Partial<Config> = {}, opts: { queue?: boolean } = {}): Promise<ApiFixture> {
  const db = await testDatabase(t);
  const evidenceDir = mkdtempSync(path.join(tmpdir(), 'cw-evidence-'));
  t.teardown(() => rmSync(evidenceDir, { recursive: true, force: true }));
  const config = loadConfig({}, { evidenceDir, apiRateLimit: 100_000, defaultTimeZone: 'Asia/Shanghai', ...overrides });
  const app = await buildApp({ pool: db.pool, config, log: testLog, ...(opts.queue ? { openQueue: () => openBoss(db.url, testLog) } : {}) });
  t.teardown(() => app.close());
  const keys = {} as Record<Role, string>;
  for (const role of ['viewer', 'reviewer', 'operator', 'admin'] as const) keys[role] = (await createKey(db.pool, { name: `${role}-key`, role })).key;
  return { app, db, config, keys, as: (role): Record<string, string> => (role === 'none' ? {} : { authorization: `Bearer ${keys[role]}` }) };
}

/** Inserts one intersection with one camera; returns their ids. */
export async function addSite(db: TestDatabase, code: string, opts: { unit?: string; timeZone?: string } = {}): Promise<{ intersectionId: string; cameraId: string }> {
  const ix = await db.pool.query<{ id: string }>(
    `INSERT INTO intersections (code, name, district, responsible_unit, time_zone) VALUES ($1, $2, 'D1', $3, $4) RETURNING id::text`,
    [code, `Junction ${code}`, opts.unit ?? null, opts.timeZone ?? 'Asia/Shanghai'],
  );
  const cam = await db.pool.query<{ id: string }>(
    `INSERT INTO cameras (code, intersection_id, name, width, height, calibration) VALUES ($1, $2, 'north', 1920, 1080, '{"approaches":[]}') RETURNING id::text`,
    [`${code}-cam`, ix.rows[0]!.id],
  );
  return { intersectionId: ix.rows[0]!.id, cameraId: cam.rows[0]!.id };
}

/**
 * A done window of `minutes` at `startsAt` with counts per category
 * ({ red_light: [exposures, violations] }) and one violation row per counted
 * violation (track ids 1..n), so reviews can reject them.
 */
export async function addWindow(
  db: TestDatabase,
  cameraId: string,
  startsAt: string,
  counts: Partial<Record<string, [number, number]>>,
  opts: { minutes?: number; status?: string; evidence?: (n: number) => string | null } = {},
): Promise<{ windowId: string; violationIds: string[] }> {
  const minutes = opts.minutes ?? 10;
  const start = Date.parse(startsAt);
  const end = new Date(start + minutes * 60_000).toISOString();
  const status = opts.status ?? 'done';
  const done = status === 'done';
  const w = await db.pool.query<{ id: string }>(
    `INSERT INTO windows (camera_id, starts_at, ends_at, status, reason, model_version, rules_version, covered_seconds, processed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8) RETURNING id::text`,
    [cameraId, startsAt, end, status, status === 'failed' ? 'broken file' : null, done ? 'v1' : null, done ? minutes * 60 : null, done ? end : null],
  );
  const windowId = w.rows[0]!.id;
  const violationIds: string[] = [];
  let track = 1;
  // Every category, zeros included, as the pipeline writes them.
  for (const category of done ? CATEGORIES : []) {
    const [exposures, violations] = counts[category] ?? [0, 0];
    await db.pool.query(`INSERT INTO window_counts (window_id, category, exposures, violations) VALUES ($1, $2, $3, $4)`, [windowId, category, exposures, violations]);
    for (let i = 0; i < violations; i++) {
      const n = violationIds.length;
      const t = new Date(start + (n + 1) * 1000).toISOString();
      const v = await db.pool.query<{ id: string }>(
        `INSERT INTO violations (window_id, category, track_id, road_user_class, zone_id, t, score, evidence_path, moments)
         VALUES ($1, $2, $3, 'vehicle', 'north', $4, 0.9, $5, '[]') RETURNING id::text`,
        [windowId, category, track++, t, opts.evidence ? opts.evidence(n) : null],
      );
      violationIds.push(v.rows[0]!.id);
    }
  }
  return { windowId, violationIds };
}
