// Finds the recording files under ROOT (hidden files and folders skipped).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CrosswatchError } from '../../pipelines/errors.ts';
import { isVideoFile } from '../../pipelines/catalog/layout.ts';

export interface FoundFile {
  path: string;
  /** Relative to ROOT, "/"-separated. */
  rel: string;
}

export async function findRecordings(root: string): Promise<FoundFile[]> {
  const st = await stat(root).catch((cause) => {
    throw new CrosswatchError('FOOTAGE_MISSING', `Recordings folder ${root} cannot be read: ${(cause as Error).message}`, { cause });
  });
  if (!st.isDirectory()) throw new CrosswatchError('FOOTAGE_MISSING', `${root} is not a folder of recordings`);
  const out: FoundFile[] = [];
  await walk(root, '', out);
  return out.sort((a, b) => a.rel.localeCompare(b.rel));
}

async function walk(dir: string, rel: string, out: FoundFile[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    const r = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) await walk(p, r, out);
    else if (entry.isFile() && isVideoFile(entry.name)) out.push({ path: p, rel: r });
  }
}
