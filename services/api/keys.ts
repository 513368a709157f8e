// Key management shared by `crosswatch keys ...` and the admin routes.
import type pg from 'pg';
import { generateKey, type Role } from './access.ts';
import { keysSql, type KeyRow } from './queries/keys.ts';

export interface KeyView {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function keyView(r: KeyRow): KeyView {
  return {
    id: r.id,
    name: r.name,
    role: r.role,
    prefix: r.prefix,
    createdAt: r.created_at.toISOString(),
    expiresAt: iso(r.expires_at),
    revokedAt: iso(r.revoked_at),
    lastUsedAt: iso(r.last_used_at),
  };
}

/** Creates a key; the returned `key` is the only time it exists outside the caller's hands. */
export async function createKey(pool: pg.Pool, p: { name: string; role: Role; expiresDays?: number | undefined }): Promise<KeyView & { key: string }> {
  const k = generateKey();
  const row = (await pool.query<KeyRow>(keysSql.insert({ name: p.name, role: p.role, prefix: k.prefix, hash: k.hash, expiresDays: p.expiresDays }))).rows[0]!;
  return { key: k.key, ...keyView(row) };
}

export async function listKeys(pool: pg.Pool): Promise<KeyView[]> {
  return (await pool.query<KeyRow>(keysSql.list())).rows.map(keyView);
}

/** Revokes by id or prefix; the keys revoked (empty when none matched). */
export async function revokeKey(pool: pg.Pool, idOrPrefix: string): Promise<KeyView[]> {
  return (await pool.query<KeyRow>(keysSql.revoke(idOrPrefix))).rows.map(keyView);
}
