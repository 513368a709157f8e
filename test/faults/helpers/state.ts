// The final state a fault case asserts on: windows, counts and violations as
// rows keyed by what identifies them across databases (window start, category,
// track), and the evidence folder's files beside the rows that point to them.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

export interface WindowsState {
  windows: { starts_at: string; status: string; reason: string | null; attempts: number }[];
  counts: string[];
  violations: string[];
  evidencePaths: string[];
}

export async function windowsState(pool: pg.Pool): Promise<WindowsState> {
  const windows = (
    await pool.query<{ starts_at: Date; status: string; reason: string | null; attempts: number }>(`SELECT starts_at, status, reason, attempts FROM windows ORDER BY starts_at`)
  ).rows.map((r) => ({ ...r, starts_at: r.starts_at.toISOString() }));
  const counts = (
    await pool.query<{ k: string }>(
      `SELECT to_char(w.starts_at AT TIME ZONE 'UTC', 'HH24:MI:SS') || ' ' || c.category || ' e=' || c.exposures || ' v=' || c.violations || ' u=' || c.unjudged AS k
         FROM window_counts c JOIN windows w ON w.id = c.window_id ORDER BY 1`,
    )
  ).rows.map((r) => r.k);
  const violations = (
    await pool.query<{ k: string }>(
      `SELECT to_char(w.starts_at AT TIME ZONE 'UTC', 'HH24:MI:SS') || ' ' || v.category || ' #' || v.track_id || ' ' || v.road_user_class || ' ' || v.zone_id AS k
         FROM violations v JOIN windows w ON w.id = v.window_id ORDER BY 1`,
    )
  ).rows.map((r) => r.k);
  const evidencePaths = (await pool.query<{ p: string }>(`SELECT evidence_path AS p FROM violations WHERE evidence_path IS NOT NULL ORDER BY 1`)).rows.map((r) => r.p);
  return { windows, counts, violations, evidencePaths };
}

/** Every file under root (dot files and temporary files included), relative, '/'-separated. */
export function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(full).isDirectory()) walk(full, r);
      else out.push(r);
    }
  };
  walk(root, '');
  return out.sort();
}
