import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importSites, listSites, readSitesFile } from '../../../services/sites/import.ts';
import { main } from '../../../services/cli/main.ts';
import { testDatabase } from '../../helpers/db.ts';
import { exampleSites } from '../../helpers/sites.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-sites-'));
const write = (name: string, content: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

t.test('import, then re-import: updates, never duplicates', async (t) => {
  const db = await testDatabase(t);
  const sites = await readSitesFile(write('a.json', exampleSites()));
  t.same(await importSites(db.pool, sites, 'UTC'), { intersections: { inserted: 1, updated: 0 }, cameras: { inserted: 2, updated: 0 } });
  sites.intersections[0]!.name = 'Renamed';
  delete sites.intersections[0]!.cameras[0]!.calibration;
  t.same(await importSites(db.pool, sites, 'UTC'), { intersections: { inserted: 0, updated: 1 }, cameras: { inserted: 0, updated: 2 } });
  const rows = await listSites(db.pool);
  t.equal(rows.length, 2);
  t.same(
    rows.map((r) => [r.intersection, r.name, r.time_zone, r.camera, r.calibrated]),
    [
      ['XH-001', 'Renamed', 'Asia/Shanghai', 'XH-001-N', false],
      ['XH-001', 'Renamed', 'Asia/Shanghai', 'XH-001-S', false],
    ],
  );
});

t.test('an intersection without a time zone gets the default', async (t) => {
  const db = await testDatabase(t);
  const sites = exampleSites();
  delete sites.intersections[0]!.time_zone;
  await importSites(db.pool, sites, 'Europe/Berlin');
  t.equal((await listSites(db.pool))[0]?.time_zone, 'Europe/Berlin');
});

t.test('unreadable and invalid files name the file', async (t) => {
  await t.rejects(readSitesFile(path.join(dir, 'missing.json')), { code: 'SITES_UNREADABLE', message: /missing\.json/ });
  await t.rejects(readSitesFile(write('bad.json', '{ "format": ')), { code: 'SITES_UNREADABLE', message: /bad\.json is not valid JSON/ });
  const broken = exampleSites() as unknown as { intersections: { time_zone: string }[] };
  broken.intersections[0]!.time_zone = 'Nowhere/Town';
  await t.rejects(readSitesFile(write('tz.json', broken)), {
    code: 'SITES_INVALID',
    message: /tz\.json has 1 problem:\n {2}\/intersections\/0\/time_zone: "Nowhere\/Town" is not a known time zone/,
    details: [{ path: '/intersections/0/time_zone' }],
  });
});

t.test('crosswatch sites import --json and sites list', async (t) => {
  const db = await testDatabase(t);
  const saved = process.env['DATABASE_URL'];
  process.env['DATABASE_URL'] = db.url;
  t.teardown(() => {
    if (saved === undefined) delete process.env['DATABASE_URL'];
    else process.env['DATABASE_URL'] = saved;
  });
  const lines: string[] = [];
  const out = (s: string) => lines.push(s);
  t.equal(await main(['sites', 'import', write('ok.json', exampleSites()), '--json'], out), 0);
  t.match(JSON.parse(lines.pop()!), { ok: true, cameras: { inserted: 2 } });
  const invalid = exampleSites() as unknown as { intersections: { cameras: { code: string }[] }[] };
  invalid.intersections[0]!.cameras[1]!.code = 'XH-001-N';
  t.equal(await main(['sites', 'import', write('dup.json', invalid), '--json'], out), 1);
  t.match(JSON.parse(lines.pop()!), { ok: false, issues: [{ path: '/intersections/0/cameras/1/code' }] });
  t.equal(await main(['sites', 'list'], out), 0);
  const listed = lines.pop()!;
  t.match(listed, /XH-001 +Xinhua Rd \/ Park Ave +Asia\/Shanghai +XH-001-N +1920×1080 +yes +yes\n/, 'calibrated, with ground points');
  t.match(listed, /XH-001-S +1280×720 +no +-$/, 'not calibrated: no ground to speak of');
  const noGround = exampleSites();
  delete noGround.intersections[0]!.cameras[0]!.calibration!.ground;
  t.equal(await main(['sites', 'import', write('noground.json', noGround)], out), 0);
  t.equal(await main(['sites', 'list', '--json'], out), 0);
  t.match(JSON.parse(lines.pop()!), [{ camera: 'XH-001-N', calibrated: true, ground_mapped: false }, { camera: 'XH-001-S', calibrated: false, ground_mapped: null }]);
});
