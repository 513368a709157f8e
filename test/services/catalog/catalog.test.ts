import t from 'tap';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catalogReport } from '../../../services/catalog/report.ts';
import { scanFootage, type ScanOptions } from '../../../services/catalog/scan.ts';
import { segmentsCovering } from '../../../services/catalog/segments.ts';
import { importSites } from '../../../services/sites/import.ts';
import { main } from '../../../services/cli/main.ts';
import type { SitesFile } from '../../../pipelines/sites/schema.ts';
import { testDatabase, testLog } from '../../helpers/db.ts';
import { binaries, makeClip } from '../../helpers/clips.ts';

// ROOT/CAM-A/2024-05-01: 08:00:00 + 08:00:02 back to back, a gap, 08:00:10, then
// broken files; ROOT/CAM-X: a camera not in the sites. CAM-A is in Asia/Shanghai
// (UTC+8), so 08:00:00 local is 00:00:00Z.
const root = mkdtempSync(path.join(os.tmpdir(), 'cw-catalog-'));
const dayA = path.join(root, 'CAM-A', '2024-05-01');
const dayX = path.join(root, 'CAM-X', '2024-05-01');
mkdirSync(dayA, { recursive: true });
mkdirSync(dayX, { recursive: true });
t.teardown(() => rmSync(root, { recursive: true, force: true }));
const at = (name: string) => path.join(dayA, name);

const sites: SitesFile = {
  format: 'crosswatch-sites/1',
  intersections: [{ code: 'I-1', name: 'Test junction', time_zone: 'Asia/Shanghai', cameras: [{ code: 'CAM-A', resolution: { width: 64, height: 48 } }] }],
};

t.before(async () => {
  await Promise.all([
    makeClip(at('08-00-00.mp4'), { seconds: 2 }),
    makeClip(at('08-00-10.mp4'), { seconds: 2 }),
    makeClip(at('clip.mp4'), { seconds: 2, creationTime: '2024-05-01T00:00:12Z' }),
    makeClip(at('08-00-20.mp4'), { seconds: 2, faststart: true }),
  ]);
  copyFileSync(at('08-00-00.mp4'), at('08-00-02.mp4'));
  copyFileSync(at('08-00-00.mp4'), path.join(dayX, '09-00-00.mp4'));
  // Cut short: moov at the end is lost; with faststart the data is cut.
  copyFileSync(at('08-00-00.mp4'), at('08-00-12.mp4'));
  truncateSync(at('08-00-12.mp4'), Math.floor(readFileSync(at('08-00-12.mp4')).length / 2));
  truncateSync(at('08-00-20.mp4'), Math.floor(readFileSync(at('08-00-20.mp4')).length * 0.8));
  writeFileSync(at('notes.mp4'), 'this is a text file, not a video\n');
  writeFileSync(at('08-00-30.mp4'), '');
  writeFileSync(path.join(root, 'stray.mp4'), 'not in a camera folder');
});

const options: ScanOptions = { ffprobe: binaries.ffprobe, concurrency: 2, defaultTimeZone: 'UTC', log: testLog };

t.test('catalog, re-scan, change, query, report', async (t) => {
  const db = await testDatabase(t);
  await importSites(db.pool, sites, 'UTC');

  const first = await scanFootage(db.pool, root, options);
  t.match(first, { files: 10, probed: 9, unchanged: 0, removed: 0, outsideCameraFolders: [path.join(root, 'stray.mp4')] });
  const report = await catalogReport(db.pool, first, 'UTC');
  t.equal(report.segments, 5, 'four CAM-A segments (one timed by creation_time) and one CAM-X');
  const reasons = Object.fromEntries(report.unreadable.map((u) => [path.basename(u.path), u.reason]));
  t.same(Object.keys(reasons).sort(), ['08-00-12.mp4', '08-00-20.mp4', '08-00-30.mp4', 'notes.mp4']);
  t.match(reasons['08-00-12.mp4'], /truncated: box "mdat" at byte \d+ needs \d+ bytes but the file ends after \d+/);
  t.match(reasons['08-00-20.mp4'], /truncated: box "mdat"/);
  t.match(reasons['08-00-30.mp4'], /empty file/);
  t.match(reasons['notes.mp4'], /not a readable video: .*Invalid data found when processing input/);
  t.same(report.gaps, [{ camera: 'CAM-A', from: '2024-05-01T00:00:04.000Z', to: '2024-05-01T00:00:10.000Z' }]);
  const camA = report.cameras.find((c) => c.camera === 'CAM-A')!;
  t.match(camA, { known: true, time_zone: 'Asia/Shanghai', segments: 4, unreadable: 4, gaps: 1, first: '2024-05-01T00:00:00.000Z', last: '2024-05-01T00:00:14.000Z' });
  t.same(camA.days, [{ date: '2024-05-01', footage_hours: Math.round((8 / 3600) * 1e6) / 1e6, segments: 4, gaps: 1 }]);
  t.match(report.cameras.find((c) => c.camera === 'CAM-X'), { known: false, time_zone: 'UTC', segments: 1, first: '2024-05-01T09:00:00.000Z' });

  const again = await scanFootage(db.pool, root, options);
  t.match(again, { probed: 0, unchanged: 9 }, 'unchanged files are not probed again');

  await makeClip(at('08-00-10.mp4'), { seconds: 3 });
  const changed = await scanFootage(db.pool, root, options);
  t.match(changed, { probed: 1, unchanged: 8 }, 'only the changed file is probed');

  // 00:00:01Z-00:00:11Z spans two back-to-back files, the gap, and the start of the third.
  const cover = await segmentsCovering(db.pool, 'CAM-A', new Date('2024-05-01T00:00:01Z'), new Date('2024-05-01T00:00:11Z'));
  t.same(
    cover.segments.map((s) => [path.basename(s.path), s.fromS, s.toS]),
    [
      ['08-00-00.mp4', 1, 2],
      ['08-00-02.mp4', 0, 2],
      ['08-00-10.mp4', 0, 1],
    ],
  );
  t.same(cover.gaps, [{ from: new Date('2024-05-01T00:00:04Z'), to: new Date('2024-05-01T00:00:10Z') }]);
  t.equal(cover.coveredSeconds, 4);
  t.match(cover.segments[2], { codec: 'h264', width: 64, height: 48, fps: 10, frameCount: 30, endsAt: new Date('2024-05-01T00:00:13Z') });
});

t.test('an imported site re-times its camera; a deleted file leaves the catalogue', async (t) => {
  const db = await testDatabase(t);
  await scanFootage(db.pool, root, options);
  await importSites(db.pool, { ...sites, intersections: [{ ...sites.intersections[0]!, cameras: [{ code: 'CAM-X', resolution: { width: 64, height: 48 } }] }] }, 'UTC');
  const copy = path.join(dayX, '09-00-05.mp4');
  copyFileSync(path.join(dayX, '09-00-00.mp4'), copy);
  const stats = await scanFootage(db.pool, root, options);
  t.match(stats, { probed: 1 });
  const camX = (await catalogReport(db.pool, stats, 'UTC')).cameras.find((c) => c.camera === 'CAM-X');
  t.match(camX, { known: true, time_zone: 'Asia/Shanghai', first: '2024-05-01T01:00:00.000Z', segments: 2 });
  rmSync(copy);
  t.match(await scanFootage(db.pool, root, options), { removed: 1, probed: 0 });
});

t.test('crosswatch catalog ROOT --json', async (t) => {
  const db = await testDatabase(t);
  const saved = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = db.url;
  t.teardown(() => {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  });
  const lines: string[] = [];
  t.equal(await main(['catalog', root, '--json'], (s) => lines.push(s)), 0);
  const json = JSON.parse(lines.join('\n'));
  t.match(json, { segments: 5, unreadable: Array, gaps: Array, cameras: Array });
  t.equal(json.unreadable.length, 4);
  t.match(json.cameras.find((c: { camera: string }) => c.camera === 'CAM-X'), { known: false });
  lines.length = 0;
  t.equal(await main(['catalog', root], (s) => lines.push(s)), 0);
  t.match(lines.join('\n'), /footage \(hours\)/);
  t.match(lines.join('\n'), /notes\.mp4: not a readable video/);
});
