// Evidence: local-time stamps, the composed JPEG, and the atomic, confined store.
import t from 'tap';
import sharp from 'sharp';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeEvidence, focusRect, saveEvidence, writeEvidence, evidencePath, type EvidenceInput } from '../../../pipelines/evidence/index.ts';
import { formatLocalIso } from '../../../pipelines/time/zone.ts';
import type { Box } from '../../../pipelines/types.ts';

const dir = await mkdtemp(join(tmpdir(), 'cw-evidence-'));
t.teardown(() => rm(dir, { recursive: true, force: true }));

t.test('local ISO time with the zone offset', async (t) => {
  const rows: [string, number, string][] = [
    ['UTC', Date.UTC(2024, 4, 1, 0, 30, 5, 7), '2024-05-01T00:30:05.007+00:00'],
    ['Asia/Shanghai', Date.UTC(2024, 4, 1, 16, 0, 0, 0), '2024-05-02T00:00:00.000+08:00'],
    ['Asia/Kolkata', Date.UTC(2024, 0, 1, 0, 0, 0, 999), '2024-01-01T05:30:00.999+05:30'],
    ['America/New_York', Date.UTC(2024, 2, 10, 6, 59, 59, 0), '2024-03-10T01:59:59.000-05:00'],
    ['America/New_York', Date.UTC(2024, 2, 10, 7, 0, 0, 0), '2024-03-10T03:00:00.000-04:00'],
  ];
  for (const [zone, time, want] of rows) t.equal(formatLocalIso(zone, time), want, `${zone} ${want}`);
});

// A 1280×720 grey frame with a dark-blue "car" at the box.
function frame(box: Box) {
  const data = Buffer.alloc(1280 * 720 * 3, 90);
  for (let y = box.y1; y < box.y2; y++) for (let x = box.x1; x < box.x2; x++) data.set([20, 30, 160], (y * 1280 + x) * 3);
  return { width: 1280, height: 720, data };
}
const boxes: Box[] = [
  { x1: 500, y1: 500, x2: 600, y2: 580 },
  { x1: 520, y1: 380, x2: 620, y2: 460 },
  { x1: 540, y1: 260, x2: 640, y2: 340 },
];
const T = Date.UTC(2024, 4, 1, 0, 30, 5, 120);
const input: EvidenceInput = {
  category: 'red_light',
  trackId: 17,
  cameraCode: 'CAM-01',
  timeZone: 'Asia/Shanghai',
  windowId: 'w-2024-05-01-0830',
  moments: [
    { image: frame(boxes[0]!), t: T - 500, box: boxes[0]!, signalColour: 'red' },
    { image: frame(boxes[1]!), t: T, box: boxes[1]!, signalColour: 'red' },
    { image: frame(boxes[2]!), t: T + 500, box: boxes[2]!, signalColour: 'red' },
  ],
  signalRegion: { x: 1000, y: 60, width: 30, height: 90 },
  lines: [[[300, 480], [900, 480]], [[300, 360], [900, 360]]],
};

async function pixels(jpeg: Buffer) {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return (x: number, y: number) => [...data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3)];
}

t.test('three panels side by side, boxes, signal state and stamp drawn', async (t) => {
  const jpeg = await composeEvidence(input);
  await writeFile(join(dir, 'sample.jpg'), jpeg);
  const meta = await sharp(jpeg).metadata();
  t.equal(meta.format, 'jpeg');
  t.equal(meta.width, 640 * 3 + 8);
  t.equal(meta.height, 360 + 60);
  const px = await pixels(jpeg);
  // Box edges in yellow: panel scale 0.5; moment 2's box left edge at x = 644 + 260.
  const edge = px(644 + 260, 210);
  t.ok(edge[0]! > 180 && edge[1]! > 180 && edge[2]! < 110, `yellow box edge ${edge}`);
  const inside = px(644 + 285, 210);
  t.ok(inside[2]! > 120 && inside[0]! < 80, `the car shows through ${inside}`);
  const head = px(499, 45);
  t.ok(head[0]! > 180 && head[1]! < 90, `signal head outlined in red ${head}`);
  let bright = 0;
  for (let y = 365; y < 418; y++) for (let x = 10; x < 600; x++) if (px(x, y)[0]! > 200) bright++;
  t.ok(bright > 300, `stamp text in the band (${bright} bright pixels)`);
});

t.test('a lower-resolution JPEG of the frame (the window\'s archive) gives the same drawing in the same place', async (t) => {
  // The frames at 512×288, JPEG-encoded, declaring the full-resolution frame they show.
  const scaled = async (box: Box) => {
    const f = frame(box);
    const jpeg = await sharp(f.data, { raw: { width: 1280, height: 720, channels: 3 } }).resize(512, 288).jpeg({ quality: 90 }).toBuffer();
    return { width: 512, height: 288, jpeg, source: { x: 0, y: 0, width: 1280, height: 720 } };
  };
  const moments = await Promise.all(input.moments.map(async (m) => ({ ...m, image: await scaled(m.box) })));
  const jpeg = await composeEvidence({ ...input, moments: [moments[0]!, moments[1]!, moments[2]!] });
  const meta = await sharp(jpeg).metadata();
  t.same([meta.width, meta.height], [640 * 3 + 8, 360 + 60]);
  const px = await pixels(jpeg);
  const edge = px(644 + 260, 210);
  t.ok(edge[0]! > 180 && edge[1]! > 180 && edge[2]! < 110, `yellow box edge ${edge}`);
  const inside = px(644 + 285, 210);
  t.ok(inside[2]! > 120 && inside[0]! < 80, `the car shows through, scaled back to the panel ${inside}`);
  const road = px(644 + 100, 100);
  t.ok(Math.abs(road[0]! - 90) < 12, `grey road ${road}`);
  // Focus view: the same rectangle of the frame, cut from the smaller image at its scale.
  const focus = await composeEvidence({ ...input, moments: [moments[0]!, moments[1]!, moments[2]!], view: 'focus', panelWidth: 400 });
  t.equal((await sharp(focus).metadata()).width, 400 * 3 + 8);
});

t.test('focus view crops every panel to the same rectangle', async (t) => {
  const r = focusRect({ ...input, view: 'focus' }, 1280, 720);
  t.ok(r.x <= 300 && r.x + r.width >= 1030 && r.y <= 60 && r.y + r.height >= 580, JSON.stringify(r));
  t.ok(Math.abs(r.width / r.height - 16 / 9) < 0.02);
  const meta = await sharp(await composeEvidence({ ...input, view: 'focus', panelWidth: 400 })).metadata();
  t.equal(meta.width, 400 * 3 + 8);
});

t.test('stored under <camera>/<local date>/<window>-<n>.jpg, atomically', async (t) => {
  const root = join(dir, 'root');
  const rel = await saveEvidence(root, { ...input, n: 2, t: T });
  t.equal(rel, 'CAM-01/2024-05-01/w-2024-05-01-0830-2.jpg');
  const first = await readFile(join(root, rel));
  t.equal((await sharp(first).metadata()).width, 1928);
  // Same name again replaces the file whole, and leaves no temporary behind.
  await writeEvidence(root, { cameraCode: 'CAM-01', t: T, timeZone: 'Asia/Shanghai', windowId: 'w-2024-05-01-0830', n: 2 }, Buffer.from('second'));
  t.equal(await readFile(join(root, rel), 'utf8'), 'second');
  t.same(await readdir(join(root, 'CAM-01/2024-05-01')), ['w-2024-05-01-0830-2.jpg']);
  // Site-local date: 16:30 UTC is the next day in Shanghai.
  t.equal(evidencePath({ cameraCode: 'C', t: Date.UTC(2024, 4, 1, 16, 30), timeZone: 'Asia/Shanghai', windowId: 'w', n: 0 }), 'C/2024-05-02/w-0.jpg');
});

t.test('a failed write leaves neither the file nor a temporary', async (t) => {
  const root = join(dir, 'fail');
  await mkdir(join(root, 'C/2024-05-01/w-0.jpg'), { recursive: true }); // a folder where the file should go
  await t.rejects(writeEvidence(root, { cameraCode: 'C', t: Date.UTC(2024, 4, 1), timeZone: 'UTC', windowId: 'w', n: 0 }, Buffer.from('x')), { code: 'EVIDENCE_WRITE_FAILED' });
  t.same(await readdir(join(root, 'C/2024-05-01')), ['w-0.jpg']);
});

t.test('paths that would leave the root are refused', async (t) => {
  const root = join(dir, 'confined');
  const loc = { cameraCode: 'C', t: T, timeZone: 'UTC', windowId: 'w', n: 0 };
  for (const bad of [{ cameraCode: '../C' }, { cameraCode: '..' }, { windowId: '../../etc/passwd' }, { windowId: 'a/b' }, { cameraCode: '/abs' }, { windowId: '.hidden' }, { n: -1 }, { n: 1.5 }]) {
    await t.rejects(writeEvidence(root, { ...loc, ...bad }, Buffer.from('x')), { code: 'EVIDENCE_WRITE_FAILED', message: /refused/ }, JSON.stringify(bad));
  }
  const outside = join(dir, 'outside');
  await mkdir(outside, { recursive: true });
  await mkdir(root, { recursive: true });
  await symlink(outside, join(root, 'LINK'));
  await t.rejects(writeEvidence(root, { ...loc, cameraCode: 'LINK' }, Buffer.from('x')), { code: 'EVIDENCE_WRITE_FAILED', message: /outside/ });
  t.same(await readdir(outside), [], 'nothing written through the symlink');
});
