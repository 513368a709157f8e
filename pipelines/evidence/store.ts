// Evidence files under a configurable root:
//   <root>/<camera>/<YYYY-MM-DD, site-local>/<window-id>-<n>.jpg
// Written to a temporary file in the same folder, flushed, then renamed, so
// a crash leaves either the old file or the new one, never half a JPEG.
// Reprocessing a window writes the same names and replaces the files.
import { randomBytes } from 'node:crypto';
import { mkdir, open, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { CrosswatchError } from '../errors.ts';
import { localDateAt } from '../time/zone.ts';

export interface EvidenceLocation {
  cameraCode: string;
  /** Decisive time of the violation (ms UTC); its site-local date names the folder. */
  t: number;
  timeZone: string;
  windowId: string;
  /** Number of the violation within the window. */
  n: number;
}

// The sites schema's code pattern, a little longer: no separators, no leading dot.
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

/** The relative path (with '/' separators) a violation's evidence goes to; refuses names that could leave the root. */
export function evidencePath(loc: EvidenceLocation): string {
  for (const [what, value] of [['camera code', loc.cameraCode], ['window id', loc.windowId]] as const) {
    if (!NAME.test(value)) throw refused(`${what} ${JSON.stringify(value)} is not a plain file name`);
  }
  if (!Number.isInteger(loc.n) || loc.n < 0) throw refused(`violation number ${loc.n} is not a whole number`);
  return `${loc.cameraCode}/${localDateAt(loc.timeZone, loc.t)}/${loc.windowId}-${loc.n}.jpg`;
}

/** Writes the JPEG atomically and returns its path relative to the root. */
export async function writeEvidence(root: string, loc: EvidenceLocation, jpeg: Uint8Array): Promise<string> {
  const rel = evidencePath(loc);
  const rootAbs = resolve(root);
  const file = resolve(rootAbs, rel);
  if (!inside(rootAbs, file)) throw refused(`${rel} would leave the evidence root ${rootAbs}`);
  const dir = await makeFolders(rootAbs, rel.split('/').slice(0, -1));
  await atomicWrite(join(dir, rel.split('/').at(-1)!), jpeg);
  return rel;
}

/**
 * Creates root/<a>/<b> one level at a time, checking each level's real path,
 * so a symlinked camera folder cannot carry anything (not even a new date
 * folder) out of the root. Returns the real path of the last folder.
 */
async function makeFolders(root: string, parts: readonly string[]): Promise<string> {
  try {
    await mkdir(root, { recursive: true });
    const realRoot = await realpath(root);
    let dir = realRoot;
    for (const part of parts) {
      const next = join(dir, part);
      await mkdir(next).catch((e: NodeJS.ErrnoException) => {
        if (e.code !== 'EEXIST') throw e;
      });
      dir = await realpath(next);
      if (!inside(realRoot, dir)) throw refused(`${part} resolves outside the evidence root ${root}`);
    }
    return dir;
  } catch (cause) {
    if (cause instanceof CrosswatchError) throw cause;
    throw new CrosswatchError('EVIDENCE_WRITE_FAILED', `cannot create the evidence folder under ${root}: ${(cause as Error).message}`, { cause });
  }
}

async function atomicWrite(file: string, data: Uint8Array): Promise<void> {
  const dir = dirname(file);
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (cause) {
    await unlink(tmp).catch(() => undefined);
    throw new CrosswatchError('EVIDENCE_WRITE_FAILED', `cannot write ${file}: ${(cause as Error).message}`, { cause, details: { file } });
  }
  // Makes the rename itself durable; a filesystem that cannot fsync a folder loses nothing else.
  const d = await open(dir, 'r').catch(() => undefined);
  await d?.sync().catch(() => undefined);
  await d?.close();
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function refused(why: string): CrosswatchError {
  return new CrosswatchError('EVIDENCE_WRITE_FAILED', `evidence path refused: ${why}`);
}
