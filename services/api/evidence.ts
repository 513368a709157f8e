// Resolves a violation's evidence file under the evidence folder, refusing
// anything that could leave it: absolute paths, '..' segments, NUL bytes, and
// symlinks (the real path of the file must still be inside the real folder).
// Refusals are logged with the reason; the caller only learns "unavailable".
import { constants } from 'node:fs';
import { open, realpath, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from './errors.ts';

const TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };

export interface EvidenceFile {
  handle: FileHandle;
  size: number;
  mtime: Date;
  etag: string;
  contentType: string;
}

export class EvidenceRefused extends Error {}

function inside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Opens the file for streaming; the caller closes the handle (a stream does on end). */
export async function openEvidence(root: string, rel: string): Promise<EvidenceFile> {
  if (rel.includes('\0') || path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.split(/[\\/]/).includes('..')) {
    throw new EvidenceRefused(`path ${JSON.stringify(rel)} is absolute or climbs out`);
  }
  const contentType = TYPES[path.extname(rel).toLowerCase()];
  if (!contentType) throw new EvidenceRefused(`path ${JSON.stringify(rel)} is not an image`);
  const rootReal = await realpath(root);
  const full = path.resolve(rootReal, rel);
  if (!inside(rootReal, full)) throw new EvidenceRefused(`path ${JSON.stringify(rel)} leaves the evidence folder`);
  const real = await realpath(full);
  if (!inside(rootReal, real)) throw new EvidenceRefused(`path ${JSON.stringify(rel)} resolves outside the evidence folder (symlink)`);
  // O_NOFOLLOW: a symlink swapped in after the check is not followed.
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW);
  const st = await handle.stat();
  if (!st.isFile()) {
    await handle.close();
    throw new EvidenceRefused(`path ${JSON.stringify(rel)} is not a regular file`);
  }
  // Evidence files are replaced whole (rename), so size + mtime identify a version.
  const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
  return { handle, size: st.size, mtime: st.mtime, etag, contentType };
}

export function unavailable(id: string): ApiError {
  return new ApiError('EVIDENCE_UNAVAILABLE', `no evidence image can be served for violation ${id}`);
}
