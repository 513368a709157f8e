// Roles and API keys. A key is 32 random bytes shown once as `cw_<base64url>`;
// only its SHA-256 is stored, so a leaked table does not leak keys, and the
// first characters (the prefix) let people tell keys apart in lists.
import { createHash, randomBytes } from 'node:crypto';

/** Ordered: each role may do everything the ones before it may. */
export const ROLES = ['viewer', 'reviewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
/** What a route requires: a role, or nothing at all (health, metrics, docs, dashboard files). */
export type Access = Role | 'public';

export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

const KEY_RE = /^cw_[A-Za-z0-9_-]{43}$/;
/** 'cw_' and 8 characters: 48 bits, enough to tell keys apart, far too few to guess one. */
const PREFIX_LENGTH = 11;

export interface NewKey {
  key: string;
  prefix: string;
  hash: string;
}

export function generateKey(): NewKey {
  const key = `cw_${randomBytes(32).toString('base64url')}`;
  return { key, prefix: key.slice(0, PREFIX_LENGTH), hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Cheap shape check so garbage never reaches the database. */
export function looksLikeKey(key: string): boolean {
  return KEY_RE.test(key);
}
