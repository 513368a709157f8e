import t from 'tap';
import sharp from 'sharp';
import { frameOverlaySvg } from '../../../pipelines/eval/frame-overlay.ts';

const base = {
  width: 320,
  height: 180,
  truth: [{ box: { x1: 10, y1: 20, x2: 50, y2: 60 }, cls: 'vehicle' }],
  detections: [{ box: { x1: 12, y1: 22, x2: 52, y2: 61 }, cls: 'pedestrian' as const, score: 0.876 }],
  caption: 'clip <1> & t=3.00 s',
};

t.test('truth dashed green, detections by class with their score, caption escaped', async (t) => {
  const svg = frameOverlaySvg({ ...base, signals: [] });
  t.match(svg, /<rect x="10" y="20" width="40" height="40" fill="none" stroke="#40ff40" stroke-width="1" stroke-dasharray="3,2"\/>/);
  t.match(svg, /<rect x="12" y="22" width="40" height="39" fill="none" stroke="#ff33cc"/);
  t.match(svg, />ped 0\.88</);
  t.match(svg, /clip &lt;1&gt; &amp; t=3\.00 s/);
  // It is an image sharp can lay over a frame of that size.
  const png = await sharp({ create: { width: 320, height: 180, channels: 3, background: '#000000' } }).composite([{ input: Buffer.from(svg) }]).png().toBuffer();
  t.equal((await sharp(png).metadata()).width, 320);
});

t.test('a signal read as the twin showed it is framed white; a wrong read is framed red and names the truth', async (t) => {
  const region = { x: 200, y: 10, width: 10, height: 30 };
  const right = frameOverlaySvg({ ...base, signals: [{ id: 'S', region, read: 'red', truth: 'red' }] });
  t.match(right, /<rect x="200" y="10" width="10" height="30" fill="none" stroke="#ffffff"/);
  t.match(right, />red</);
  const wrong = frameOverlaySvg({ ...base, signals: [{ id: 'S', region, read: 'green', truth: 'red' }] });
  t.match(wrong, /<rect x="200" y="10" width="10" height="30" fill="none" stroke="#ff0000" stroke-width="2"/);
  t.match(wrong, />green \(twin: red\)</);
  const noTruth = frameOverlaySvg({ ...base, signals: [{ id: 'S', region, read: 'unknown', truth: undefined }] });
  t.match(noTruth, />unknown</);
});
