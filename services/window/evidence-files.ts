// The evidence files of one window on disk, beside the rows that point to them.
//
// Each attempt at a window writes its own file names (<window>-a<attempt>-<n>.jpg),
// so a new attempt never overwrites a file that committed rows still show,
// and a failed attempt can delete exactly what it wrote. What a killed
// attempt left (its files, or a half-written .tmp) is swept by the next
// attempt at the same window, and by `crosswatch prune`.
import { readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { localDateAt } from '../../pipelines/time/zone.ts';

/** The windowId part of evidence names for one attempt. */
export function attemptName(windowId: string, attempt: number): string {
  return `${windowId}-a${attempt}`;
}

/**
 * Deletes files of this window (any attempt, and temporary files) in its date
 * folders that no row references. Returns the relative paths removed.
 */
export async function sweepWindowEvidence(
  root: string,
  w: { cameraCode: string; timeZone: string; windowId: string; from: Date; to: Date },
  referenced: ReadonlySet<string>,
): Promise<string[]> {
  const dates = new Set([localDateAt(w.timeZone, w.from.getTime()), localDateAt(w.timeZone, w.to.getTime())]);
  const removed: string[] = [];
  for (const date of dates) {
    const dir = path.join(root, w.cameraCode, date);
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!ownedBy(name, w.windowId)) continue;
      const rel = `${w.cameraCode}/${date}/${name}`;
      if (referenced.has(rel)) continue;
      await unlink(path.join(dir, name)).then(
        () => removed.push(rel),
        () => undefined,
      );
    }
  }
  return removed;
}

/** `<id>-<n>.jpg`, `<id>-a<k>-<n>.jpg`, or their `.<name>.<pid>.<rand>.tmp` while being written. */
function ownedBy(name: string, windowId: string): boolean {
  const base = name.startsWith('.') && name.endsWith('.tmp') ? name.slice(1) : name;
  return base.startsWith(`${windowId}-`) && /^\d+-(a\d+-)?\d+\.jpg/.test(base);
}

export async function removeEvidence(root: string, rel: string): Promise<void> {
  await unlink(path.join(root, rel)).catch(() => undefined);
}
