// SQL for api_keys (owned by the API), each query as { text, values }.
import type { Role } from '../access.ts';

export interface KeyRow {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const COLUMNS = 'id::text, name, role, prefix, created_at, expires_at, revoked_at, last_used_at';

export const keysSql = {
  insert: (k: { name: string; role: Role; prefix: string; hash: string; expiresDays: number | undefined }) => ({
    text: `INSERT INTO api_keys (name, role, prefix, key_hash, expires_at)
           VALUES ($1, $2, $3, $4, CASE WHEN $5::float8 IS NULL THEN NULL ELSE now() + make_interval(days => $5::int) END)
           RETURNING ${COLUMNS}`,
    values: [k.name, k.role, k.prefix, k.hash, k.expiresDays ?? null],
  }),
  /** The key a request presents, with whether it may be used now. */
  byHash: (hash: string) => ({
    text: `SELECT ${COLUMNS}, (revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())) AS usable
             FROM api_keys WHERE key_hash = $1`,
    values: [hash],
  }),
  /** At most once a minute per key, so busy clients do not write on every request. */
  touch: (id: string) => ({
    text: `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    values: [id],
  }),
  list: () => ({ text: `SELECT ${COLUMNS} FROM api_keys ORDER BY id`, values: [] }),
  /** Revokes by id or by prefix; already revoked keys keep their first revocation time. */
  revoke: (idOrPrefix: string) => ({
    text: `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
            WHERE (id::text = $1 OR prefix = $1) RETURNING ${COLUMNS}`,
    values: [idOrPrefix],
  }),
};
