// Segment planner, packed layout and filter chain: pure, table-driven.
import t from 'tap';
import { planWindow, expectedSlots, slotOf } from '../../../pipelines/decode/plan.ts';
import { letterboxFor, packedLayout } from '../../../pipelines/decode/layout.ts';
import { buildDecodeArgs, filterGraph } from '../../../pipelines/decode/args.ts';
import type { FootageSegment } from '../../../pipelines/decode/types.ts';

const seg = (path: string, startsAt: number, endsAt: number, fps = 25): FootageSegment => ({ path, startsAt, endsAt, fps, width: 1280, height: 720 });

t.test('planWindow', async (t) => {
  const rows: { name: string; segments: FootageSegment[]; pieces: [string, number, number, number][]; gaps: [number, number][] }[] = [
    { name: 'one file covers all', segments: [seg('a', 0, 10_000)], pieces: [['a', 2000, 4000, 2]], gaps: [] },
    { name: 'two adjacent files', segments: [seg('b', 3000, 9000), seg('a', 0, 3000)], pieces: [['a', 2000, 3000, 2], ['b', 3000, 4000, 0]], gaps: [] },
    { name: 'a gap between files', segments: [seg('a', 0, 2500), seg('b', 3500, 9000)], pieces: [['a', 2000, 2500, 2], ['b', 3500, 4000, 0]], gaps: [[2500, 3500]] },
    { name: 'footage starts late and ends early', segments: [seg('a', 2600, 3600)], pieces: [['a', 2600, 3600, 0]], gaps: [[2000, 2600], [3600, 4000]] },
    { name: 'overlap goes to the earlier file', segments: [seg('a', 0, 3200), seg('b', 3000, 9000)], pieces: [['a', 2000, 3200, 2], ['b', 3200, 4000, 0.2]], gaps: [] },
    { name: 'a 40 ms hole is no gap', segments: [seg('a', 0, 3000), seg('b', 3040, 9000)], pieces: [['a', 2000, 3000, 2], ['b', 3040, 4000, 0]], gaps: [] },
    { name: 'nothing covers', segments: [seg('a', 5000, 9000)], pieces: [], gaps: [[2000, 4000]] },
  ];
  for (const row of rows) {
    const plan = planWindow(2000, 4000, row.segments, 8);
    t.same(plan.pieces.map((p) => [p.segment.path, p.from, p.to, p.seekS]), row.pieces, row.name);
    t.same(plan.gaps.map((g) => [g.from, g.to]), row.gaps, `${row.name}: gaps`);
  }
});

t.test('expected slots: one per 125 ms slot, none counted twice across files', async (t) => {
  t.same(expectedSlots(seg('a', 0, 10_000), 0, 1000, 0, 8), [0, 1, 2, 3, 4, 5, 6, 7]);
  t.same(expectedSlots(seg('a', 0, 10_000, 5), 0, 1000, 0, 8), [0, 1, 3, 4, 6], '5 fps source: slots without a frame are not expected');
  t.equal(slotOf(1000, 0, 8), 8, 'a frame on a slot boundary opens the next slot');
  const plan = planWindow(0, 2000, [seg('a', 0, 1060), seg('b', 1060, 5000)], 8);
  const all = plan.pieces.flatMap((p) => p.expectedSlots);
  t.same(all, [...new Set(all)]);
  t.equal(all.length, 16);
});

t.test('letterbox and packed layout', async (t) => {
  const lb = letterboxFor(1280, 720, 416, 416);
  t.same(lb, { width: 416, height: 416, scale: 0.325, padX: 0, padY: 91 });
  const cropped = letterboxFor(1280, 720, 416, 416, { x: 100, y: 200, width: 800, height: 400 });
  t.equal(cropped.scale, 0.52);
  t.equal(cropped.padY, 104);
  const layout = packedLayout(1280, 720, lb, [
    { id: 'v1', region: { x: 10.5, y: 20, width: 30, height: 90 } },
    { id: 'v2', region: { x: 600, y: 20, width: 300, height: 90 } },
    { id: 'p1', region: { x: 1270, y: 700, width: 40, height: 40 } },
  ], 2);
  t.same(layout.cells.map((c) => [c.id, c.x, c.y, c.width, c.height]), [
    ['v1', 0, 0, 62, 180],
    ['v2', 0, 180, 416, 125],
    ['p1', 0, 305, 20, 40],
  ], 'shelf packing; a head wider than the strip is scaled to fit; regions clamped to the frame');
  t.same(layout.cells[0]!.source, { x: 10, y: 20, width: 31, height: 90 }, 'fractional regions snap outwards');
  t.equal(layout.stripHeight, 345);
  t.equal(layout.frameBytes, 416 * (416 + 345) * 3);
  t.throws(() => packedLayout(1280, 720, lb, [{ id: 'x', region: { x: 2000, y: 0, width: 10, height: 10 } }], 1), { code: 'DECODE_FAILED' });
});

t.test('filter graph and args', async (t) => {
  const plan = planWindow(2000, 4000, [seg('/v/a.mp4', 0, 10_000)], 8);
  const layout = packedLayout(1280, 720, letterboxFor(1280, 720, 416, 416, { x: 0, y: 100, width: 1280, height: 620 }), [{ id: 'v1', region: { x: 10, y: 20, width: 30, height: 90 } }], 1);
  const o = { t0: 2000, sampleFps: 8, layout, threads: 1 };
  const graph = filterGraph(plan.pieces[0]!, o);
  t.match(graph, /^\[0:v\]select='.*',split=3\[ts\]\[d\]\[s0\];\[ts\]crop=2:2:0:0,showinfo,nullsink;/);
  t.match(graph, /\[d\]crop=1280:620:0:100:exact=1,scale=416:202:flags=bilinear,format=rgb24,pad=416:416:0:107:color=0x727272\[det\]/);
  t.match(graph, /\[s0\]crop=30:90:10:20:exact=1,format=rgb24,pad=416:90:0:0:color=black\[c0\]/);
  t.match(graph, /\[det\]\[shelf0\]vstack=inputs=2\[out\]$/);
  const args = buildDecodeArgs(plan.pieces[0]!, o);
  t.same(args.slice(args.indexOf('-ss'), args.indexOf('-ss') + 4), ['-ss', '2.000', '-t', '2.500']);
  t.same(args.slice(-1), ['pipe:1']);
  t.same(buildDecodeArgs(plan.pieces[0]!, o, 'null').slice(-3), ['-f', 'null', '-']);
  t.ok(args.includes('-threads') && args[args.indexOf('-threads') + 1] === '1');
  t.ok(args.indexOf('-ss') < args.indexOf('-i'), 'input seeking: -ss before -i');
});
