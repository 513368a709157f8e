// The evidence archive: the detector image of each frame (padding cut off)
// JPEG-encoded, oldest evicted beyond the byte budget, moments of decided
// violations kept whatever the budget, failures left to the seek fallback.
import t from 'tap';
import sharp from 'sharp';
import { EvidenceArchive, type ArchiveGeometry } from '../../../pipelines/window/evidence-archive.ts';

// A 64×48 detector input with the image at (0, 6), 64×36 (letterboxed 16:9), grey padding.
const geometry: ArchiveGeometry = { stride: 64, padX: 0, padY: 6, width: 64, height: 36, source: { x: 0, y: 0, width: 1280, height: 720 } };

/** Frame n: padding grey 114, the image's left half at level 10·n, right half white. */
function frame(n: number, g: ArchiveGeometry = geometry): Uint8Array {
  const rows = g.height + 2 * g.padY;
  const data = new Uint8Array(g.stride * rows * 3).fill(114);
  for (let y = g.padY; y < g.padY + g.height; y++) {
    for (let x = g.padX; x < g.padX + g.width; x++) data.fill(x - g.padX < g.width / 2 ? 10 * n : 255, (y * g.stride + x) * 3, (y * g.stride + x) * 3 + 3);
  }
  return data;
}

async function level(jpeg: Uint8Array, x: number, y: number): Promise<number> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  return data[(y * info.width + x) * info.channels]!;
}

t.test('each frame\'s image, without the padding, at the source it shows', async (t) => {
  const archive = new EvidenceArchive(geometry, { budgetBytes: 1 << 20, quality: 90, maxPending: 2, holdFrames: 0 });
  const src = frame(7);
  for (let i = 0; i < 5; i++) await archive.add(i, 1000 + i, i === 3 ? src : frame(i));
  src.fill(0); // the caller's buffer may be reused (moved to the detector) as soon as add() returns
  const got = await archive.collect([3, 4, 9]);
  t.same([...got.keys()], [3, 4], 'frames never added are simply absent');
  const f = got.get(3)!;
  t.match(f, { frameIndex: 3, t: 1003, width: 64, height: 36, source: geometry.source });
  t.same((await sharp(f.jpeg).metadata()).height, 36);
  t.ok(Math.abs((await level(f.jpeg, 8, 0)) - 70) <= 4, 'top row is the image, not the padding');
  t.ok((await level(f.jpeg, 56, 35)) >= 250);
  t.equal(archive.stats.archived, 5);
});

t.test('a horizontal letterbox (padX) is cut too', async (t) => {
  const g: ArchiveGeometry = { stride: 64, padX: 8, padY: 0, width: 48, height: 48, source: { x: 0, y: 0, width: 960, height: 960 } };
  const archive = new EvidenceArchive(g, { budgetBytes: 1 << 20, quality: 90, maxPending: 4, holdFrames: 0 });
  await archive.add(0, 0, frame(20, g));
  const f = (await archive.collect([0])).get(0)!;
  t.equal((await sharp(f.jpeg).metadata()).width, 48);
  t.ok(Math.abs((await level(f.jpeg, 0, 10)) - 200) <= 4, 'left column is the image');
});

t.test('over budget the oldest go; kept moments stay', async (t) => {
  const archive = new EvidenceArchive(geometry, { budgetBytes: 2500, quality: 90, maxPending: 1, holdFrames: 0 });
  for (let i = 0; i < 3; i++) await archive.add(i, i, frame(i));
  archive.keep([1]);
  for (let i = 3; i < 20; i++) await archive.add(i, i, frame(i % 20));
  const got = await archive.collect([0, 1, 2, 18, 19]);
  t.ok(!got.has(0) && !got.has(2), 'old frames evicted');
  t.ok(got.has(1), 'the kept moment survives');
  t.ok(got.has(19), 'the newest is there');
  t.ok(archive.stats.evicted >= 10, `evicted ${archive.stats.evicted}`);
  t.ok(archive.stats.peakBytes < 2500 + 3 * 1200, `bounded: peak ${archive.stats.peakBytes} bytes`);
});

t.test('keep() before the encode has finished still keeps the frame', async (t) => {
  const archive = new EvidenceArchive(geometry, { budgetBytes: 1, quality: 90, maxPending: 8, holdFrames: 0 });
  void archive.add(0, 0, frame(1));
  archive.keep([0]);
  for (let i = 1; i < 5; i++) void archive.add(i, i, frame(i));
  const got = await archive.collect([0, 4]);
  t.ok(got.has(0));
});

t.test('a frame that cannot be encoded is left out (the seek fallback fetches it)', async (t) => {
  // An image wider than the row: sharp refuses the extract.
  const bad: ArchiveGeometry = { ...geometry, padX: 40, width: 64 };
  const archive = new EvidenceArchive(bad, { budgetBytes: 1 << 20, quality: 90, maxPending: 2, holdFrames: 0 });
  await archive.add(0, 0, frame(1));
  t.same([...(await archive.collect([0])).keys()], []);
  t.equal(archive.stats.failed, 1);
});

t.test('with a wanted test: frames are held raw, encoded when they leave the hold only if wanted, skipped otherwise', async (t) => {
  const wanted = new Set([2, 5]);
  const archive = new EvidenceArchive(geometry, { budgetBytes: 1 << 20, quality: 90, maxPending: 2, holdFrames: 3 }, (i) => wanted.has(i));
  for (let i = 0; i < 6; i++) await archive.add(i, 100 * i, frame(i));
  t.equal(archive.stats.skipped, 2, 'frames 0 and 1 left the hold unwanted; 2 left it wanted; 3 to 5 are still held');
  archive.keep([4]); // a decided violation's moment still in the hold: encoded whatever the test says
  wanted.add(3); // marked late, but still held: encoded
  const got = await archive.collect([0, 1, 2, 3, 4, 5]);
  t.same([...got.keys()].sort(), [2, 3, 4, 5], 'the wanted and the kept; the others were never encoded');
  t.ok(Math.abs((await level(got.get(5)!.jpeg, 8, 0)) - 50) <= 4, 'frame 5 is frame 5, though its raw copy was reused');
  t.equal(archive.stats.archived, 4);
  t.equal(archive.stats.skipped, 2);
});

t.test('with a wanted test: a frame marked only after it left the hold is missing (left to the seek fallback)', async (t) => {
  const wanted = new Set<number>();
  const archive = new EvidenceArchive(geometry, { budgetBytes: 1 << 20, quality: 90, maxPending: 2, holdFrames: 2 }, (i) => wanted.has(i));
  for (let i = 0; i < 6; i++) await archive.add(i, i, frame(i));
  wanted.add(1);
  t.same([...(await archive.collect([1])).keys()], []);
  t.equal(archive.stats.skipped, 6);
});
