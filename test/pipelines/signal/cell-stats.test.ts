// cellStats finds the brightest and the most colourful quarter of a lamp
// cell by histogram threshold instead of sorting. It must pick the very
// pixels the stable sort picked (ties in scan order), so every reading is
// unchanged: checked against the sorting implementation it replaced.
import t from 'tap';
import fc from 'fast-check';
import { cellStats, type CellStats, type Orientation, type RgbView } from '../../../pipelines/signal/lamp-reader.ts';

/** The implementation before the histogram (two index sorts), kept as the oracle. */
function sortedCellStats(view: RgbView, orientation: Orientation, i: number, n: number): CellStats {
  const stride = view.stride ?? view.width * 3;
  const base = view.offset ?? 0;
  const vertical = orientation === 'vertical';
  const alongLen = vertical ? view.height : view.width;
  const acrossLen = vertical ? view.width : view.height;
  const a0 = Math.floor((alongLen * i) / n);
  const a1 = Math.max(a0 + 1, Math.floor((alongLen * (i + 1)) / n));
  const c0 = Math.floor(acrossLen * 0.2);
  const c1 = Math.max(c0 + 1, Math.ceil(acrossLen * 0.8));
  const levels: number[] = [];
  const pixels: number[] = [];
  for (let a = a0; a < a1; a++) {
    for (let c = c0; c < c1; c++) {
      const x = vertical ? c : a;
      const y = vertical ? a : c;
      const p = base + y * stride + x * 3;
      levels.push(Math.max(view.data[p]!, view.data[p + 1]!, view.data[p + 2]!));
      pixels.push(p);
    }
  }
  const idx = levels.map((_, k) => k).sort((x, y) => levels[y]! - levels[x]!);
  const top = idx.slice(0, Math.max(1, Math.ceil(idx.length / 4)));
  let sum = 0;
  const rgb: [number, number, number] = [0, 0, 0];
  for (const k of top) {
    sum += levels[k]!;
    const p = pixels[k]!;
    rgb[0] += view.data[p]!;
    rgb[1] += view.data[p + 1]!;
    rgb[2] += view.data[p + 2]!;
  }
  const chromas = pixels.map((p) => Math.max(view.data[p]!, view.data[p + 1]!, view.data[p + 2]!) - Math.min(view.data[p]!, view.data[p + 1]!, view.data[p + 2]!));
  const byChroma = chromas.map((_, k) => k).sort((x, y) => chromas[y]! - chromas[x]!).slice(0, top.length);
  let csum = 0;
  const crgb: [number, number, number] = [0, 0, 0];
  for (const k of byChroma) {
    csum += chromas[k]!;
    const p = pixels[k]!;
    crgb[0] += view.data[p]!;
    crgb[1] += view.data[p + 1]!;
    crgb[2] += view.data[p + 2]!;
  }
  const m = byChroma.length;
  return {
    level: sum / top.length,
    meanRgb: [rgb[0] / top.length, rgb[1] / top.length, rgb[2] / top.length],
    chroma: csum / m,
    chromaRgb: [crgb[0] / m, crgb[1] / m, crgb[2] / m],
  };
}

/** A view into a larger buffer (stride and offset), with few distinct values so ties are common. */
const viewArb = fc
  .record({
    width: fc.integer({ min: 1, max: 24 }),
    height: fc.integer({ min: 1, max: 40 }),
    padX: fc.integer({ min: 0, max: 5 }),
    padY: fc.integer({ min: 0, max: 3 }),
    palette: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 6 }),
    seed: fc.integer(),
  })
  .map(({ width, height, padX, padY, palette, seed }) => {
    const stride = (width + padX) * 3;
    const data = new Uint8Array(stride * (height + padY) + 3);
    let s = seed >>> 0;
    for (let k = 0; k < data.length; k++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      data[k] = palette[s % palette.length]!;
    }
    return { data, width, height, stride, offset: padY * stride + padX * 3 } satisfies RgbView;
  });

t.test('same statistics as the sorting implementation, ties included', async (t) => {
  fc.assert(
    fc.property(viewArb, fc.constantFrom<Orientation>('vertical', 'horizontal'), fc.integer({ min: 2, max: 3 }), fc.nat(), (view, orientation, n, i) => {
      const cell = i % n;
      t.same(cellStats(view, orientation, cell, n), sortedCellStats(view, orientation, cell, n));
    }),
    { numRuns: 400 },
  );
});

t.test('a larger head, a view at an offset, every cell', async (t) => {
  const width = 24;
  const height = 64;
  const stride = 512 * 3;
  const data = new Uint8Array(stride * 100);
  for (let k = 0; k < data.length; k++) data[k] = (k * 7919) % 251;
  const view: RgbView = { data, width, height, stride, offset: 20 * stride + 100 * 3 };
  for (const o of ['vertical', 'horizontal'] as const) for (let i = 0; i < 3; i++) t.same(cellStats(view, o, i, 3), sortedCellStats(view, o, i, 3), `${o} cell ${i}`);
});
