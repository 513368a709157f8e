// Cursor pagination on (sort key, id): the cursor is opaque to clients
// (base64url JSON) and names the last row of the page, so a page never skips
// or repeats rows when new ones arrive, unlike an offset.
import { ApiError } from './errors.ts';

export interface Cursor {
  /** The sort key of the last row (an ISO time). */
  key: string;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.key, c.id]), 'utf8').toString('base64url');
}

export function decodeCursor(text: string | undefined): Cursor | undefined {
  if (text === undefined) return undefined;
  const bad = () => new ApiError('INVALID_CURSOR', '/query/cursor: not a cursor this API returned', { details: [{ path: '/query/cursor', message: 'not a cursor this API returned' }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw bad();
  const [key, id] = parsed as unknown[];
  if (typeof key !== 'string' || Number.isNaN(Date.parse(key)) || typeof id !== 'string' || !/^\d{1,18}$/.test(id)) throw bad();
  return { key, id };
}

/** Given limit+1 rows, the page and the cursor of its last row when more follow. */
export function page<T>(rows: T[], limit: number, cursorOf: (row: T) => Cursor): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
