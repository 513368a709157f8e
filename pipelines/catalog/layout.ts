// The recordings layout: ROOT/<camera-code>/<YYYY-MM-DD>/<HH-MM-SS>.mp4, the
// name giving the segment's start in the site's local time. Any other file
// name under a camera folder is still catalogued; its start then comes from
// the container's creation_time tag.
import type { WallTime } from '../time/zone.ts';

export type LocalDateTime = Omit<WallTime, 'millisecond'>;

/** Extensions treated as recordings (case-insensitive); other files are ignored. */
export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.m4v', '.mkv', '.avi', '.ts'];

export function isVideoFile(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && VIDEO_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

export interface FootagePath {
  /** First folder under ROOT; undefined for a file directly in ROOT. */
  camera?: string;
  /** Local start from the folder and file name, when they follow the layout. */
  localStart?: LocalDateTime;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2})-(\d{2})-(\d{2})\.[A-Za-z0-9]+$/;

/** Parses a path relative to ROOT, with "/" separators. */
export function parseFootagePath(relPath: string): FootagePath {
  const parts = relPath.split('/');
  if (parts.length < 2) return {};
  const camera = parts[0]!;
  if (parts.length !== 3) return { camera };
  const d = DATE_RE.exec(parts[1]!);
  const t = TIME_RE.exec(parts[2]!);
  if (!d || !t) return { camera };
  const [year, month, day, hour, minute, second] = [d[1], d[2], d[3], t[1], t[2], t[3]].map(Number) as [number, number, number, number, number, number];
  return { camera, localStart: { year, month, day, hour, minute, second } };
}
