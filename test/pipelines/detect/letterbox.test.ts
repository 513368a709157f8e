import t from 'tap';
import { letterbox, letterboxFilter, toModel, toSource } from '../../../pipelines/detect/letterbox.ts';

// One row per case: source size, model size, align → resized, pads.
const cases: [string, [number, number], [number, number], 'center' | 'top-left', [number, number], [number, number]][] = [
  ['1080p into 640², centred', [1920, 1080], [640, 640], 'center', [640, 360], [0, 140]],
  ['720p into 416², centred', [1280, 720], [416, 416], 'center', [416, 234], [0, 91]],
  ['portrait into 640²', [720, 1280], [640, 640], 'center', [360, 640], [140, 0]],
  ['odd padding goes right/bottom', [1000, 999], [320, 320], 'center', [320, 320], [0, 0]],
  ['odd pad split', [100, 33], [64, 64], 'center', [64, 21], [0, 21]],
  ['same size: identity', [640, 640], [640, 640], 'center', [640, 640], [0, 0]],
  ['upscale small source', [320, 180], [640, 640], 'center', [640, 360], [0, 140]],
  ['top-left (YOLOX)', [1920, 1080], [640, 640], 'top-left', [640, 360], [0, 0]],
  ['non-square model', [1920, 1080], [640, 384], 'center', [640, 360], [0, 12]],
];

for (const [name, [sw, sh], [mw, mh], align, [rw, rh], [px, py]] of cases) {
  t.test(name, async (t) => {
    const lb = letterbox({ width: sw, height: sh }, { width: mw, height: mh }, align);
    t.same([lb.resized.width, lb.resized.height, lb.padX, lb.padY], [rw, rh, px, py]);
    // The source's corners land exactly on the content's corners.
    const full = toModel({ x1: 0, y1: 0, x2: sw, y2: sh }, lb);
    t.same([full.x1, full.y1, full.x2, full.y2], [px, py, px + rw, py + rh]);
    // Round trips: source → model → source is the identity (inside the image).
    for (const b of [
      { x1: 0, y1: 0, x2: sw, y2: sh },
      { x1: sw * 0.1, y1: sh * 0.2, x2: sw * 0.35, y2: sh * 0.9 },
      { x1: 1, y1: 2, x2: 3, y2: 4 },
    ]) {
      const back = toSource(toModel(b, lb), lb);
      for (const k of ['x1', 'y1', 'x2', 'y2'] as const) t.ok(Math.abs(back[k] - b[k]) < 1e-9, `${k} ${b[k]} → ${back[k]}`);
    }
  });
}

t.test('model → source clips boxes reaching into the padding or beyond', async (t) => {
  const lb = letterbox({ width: 1920, height: 1080 }, { width: 640, height: 640 });
  t.same(toSource({ x1: -10, y1: 100, x2: 700, y2: 520 }, lb), { x1: 0, y1: 0, x2: 1920, y2: 1080 });
  t.same(toSource({ x1: 320, y1: 320, x2: 330, y2: 330 }, lb), { x1: 960, y1: 540, x2: 990, y2: 570 });
});

t.test('ffmpeg filter carries the exact sizes and pads', async (t) => {
  const lb = letterbox({ width: 1280, height: 720 }, { width: 416, height: 416 });
  t.equal(letterboxFilter(lb), 'scale=416:234:flags=bilinear,format=rgb24,pad=416:416:0:91:color=0x727272');
});

t.test('rejects empty sizes', async (t) => {
  t.throws(() => letterbox({ width: 0, height: 10 }, { width: 64, height: 64 }), RangeError);
});
