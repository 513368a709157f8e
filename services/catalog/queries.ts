// SQL for footage_segments, each query built here as { text, values }.

export interface SegmentRow {
  camera_code: string;
  path: string;
  status: 'ok' | 'unreadable';
  reason: string | null;
  starts_at: Date | null;
  ends_at: Date | null;
  time_source: 'name' | 'creation_time' | null;
  time_zone: string | null;
  duration_s: number | null;
  creation_time: Date | null;
  codec: string | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  frame_count: number | null;
  /** bigint: pg returns it as text. */
  bytes: string;
  mtime: Date;
}

const COLUMNS = [
  'camera_code', 'path', 'status', 'reason', 'starts_at', 'ends_at', 'time_source', 'time_zone', 'duration_s',
  'creation_time', 'codec', 'width', 'height', 'fps', 'frame_count', 'bytes', 'mtime',
] as const;

export const catalogSql = {
  /** Every row whose file lies under ROOT (an absolute path ending without "/"). */
  under: (root: string) => ({
    text: `SELECT ${COLUMNS.join(', ')} FROM footage_segments WHERE starts_with(path, $1) ORDER BY camera_code, starts_at NULLS LAST, path`,
    values: [root + '/'],
  }),
  upsert: (row: Omit<SegmentRow, 'bytes'> & { bytes: number }) => ({
    text: `INSERT INTO footage_segments (${COLUMNS.join(', ')}, scanned_at)
           VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, now())
           ON CONFLICT (path) DO UPDATE SET ${COLUMNS.filter((c) => c !== 'path').map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, scanned_at = now()`,
    values: COLUMNS.map((c) => row[c]),
  }),
  /** Rows under ROOT whose files were not found by this scan. */
  deleteMissing: (root: string, seen: string[]) => ({
    text: `DELETE FROM footage_segments WHERE starts_with(path, $1) AND NOT (path = ANY($2::text[]))`,
    values: [root + '/', seen],
  }),
  covering: (camera: string, t0: Date, t1: Date) => ({
    text: `SELECT ${COLUMNS.join(', ')} FROM footage_segments
            WHERE camera_code = $1 AND status = 'ok' AND starts_at < $3 AND ends_at > $2
            ORDER BY starts_at, path`,
    values: [camera, t0, t1],
  }),
};
