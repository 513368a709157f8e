import t from 'tap';
import { caseResult, checkResult, cpuFigures, formatTable, median, overheadRatio, realtimeFactor, slope, soakSummary, targets, RESULT_KEYS } from '../../scripts/bench-lib.ts';

t.test('median of odd and even counts, unsorted input left alone', async (t) => {
  const xs = [5, 1, 3];
  t.equal(median(xs), 3);
  t.same(xs, [5, 1, 3]);
  t.equal(median([4, 1, 3, 2]), 2.5);
  t.equal(median([7]), 7);
  t.throws(() => median([]), RangeError);
});

t.test('overhead ratio and realtime factor', async (t) => {
  const rows: [number, number, number, number][] = [
    // pipeline, decode, infer, ratio
    [10, 4, 6, 1],
    [7, 4, 6, 0.7],
    [20, 4, 6, 2],
  ];
  for (const [p, d, i, r] of rows) t.equal(overheadRatio(p, d, i), r, `${p} / (${d} + ${i})`);
  t.throws(() => overheadRatio(1, 0, 0), RangeError);
  t.equal(realtimeFactor(300, 30), 10);
  t.throws(() => realtimeFactor(300, 0), RangeError);
});

t.test('slope is the least-squares MB per step', async (t) => {
  t.equal(slope([]), 0);
  t.equal(slope([5]), 0);
  t.equal(slope([1, 2, 3, 4]), 1);
  t.equal(slope([10, 10, 10]), 0);
  t.equal(slope([3, 1]), -2);
  t.ok(Math.abs(slope([0, 2, 1, 3]) - 0.8) < 1e-12);
});

t.test('soak: flat after warm-up is no growth; a steady climb is', async (t) => {
  const warm = [200, 230, 240, ...Array.from({ length: 47 }, (_, i) => 245 + (i % 3) * 0.5)];
  const flat = soakSummary(warm);
  t.equal(flat.windows, 50);
  t.equal(flat.first_mb, 200);
  t.equal(flat.max_mb, 246);
  t.ok(flat.slope_mb_per_window > 0, 'start-up shows in the whole-run slope');
  t.equal(flat.growth, false, 'but not in the second half');
  const leak = soakSummary(Array.from({ length: 50 }, (_, i) => 200 + i));
  t.equal(leak.late_slope_mb_per_window, 1);
  t.equal(leak.growth, true);
  t.throws(() => soakSummary([]), RangeError);
});

const info = {
  case: '720p25 default model',
  model: 'm.onnx',
  model_input: '512x288',
  input: '1280x720@25',
  footage_s: 300,
  sample_fps: 8,
  batch: 1,
  inflight: 2,
  move_buffers: true,
  ort_spinning: false,
  ort_threads: 0,
  ffmpeg_threads: 0,
  frames: 2400,
  peak_rss_mb: 300,
  process_max_rss_mb: 320,
  peak_ffmpeg_rss_mb: 40,
};

t.test('a case record: medians, derived figures, every key checked', async (t) => {
  const r = caseResult(info, { decode_s: [10, 12, 11], infer_s: [20, 19, 30], pipeline_s: [25, 24, 40] });
  t.equal(r.reps, 3);
  t.equal(r.decode_s, 11);
  t.equal(r.infer_s, 20);
  t.equal(r.pipeline_s, 25);
  t.equal(r.overhead_ratio, 0.806);
  t.equal(r.realtime_factor, 12);
  t.same(checkResult(r as unknown as Record<string, unknown>), []);
  for (const k of RESULT_KEYS) t.ok(k in r, k);
  const broken = { ...r, infer_s: 0, frames: 2.5 } as Record<string, unknown>;
  delete broken['pipeline_s'];
  const problems = checkResult(broken);
  t.match(problems.join('\n'), /infer_s is 0/);
  t.match(problems.join('\n'), /pipeline_s is undefined/);
  t.match(problems.join('\n'), /frames is not an integer/);
});

t.test('targets and table', async (t) => {
  const good = caseResult(info, { decode_s: [10], infer_s: [20], pipeline_s: [25] });
  t.same(targets(good).map((v) => v.ok), [true, true, true]);
  const slow = caseResult({ ...info, peak_rss_mb: 450 }, { decode_s: [10], infer_s: [20], pipeline_s: [40] });
  t.same(targets(slow).map((v) => v.ok), [false, false, false]);
  const soak = soakSummary(Array.from({ length: 10 }, () => 250));
  t.equal(targets(good, soak).at(-1)!.ok, true);
  const table = formatTable([good, slow]).split('\n');
  t.equal(table.length, 4);
  t.match(table[0]!, /decode_s\s+infer_s\s+pipeline_s\s+overhead\s+realtime/);
  t.match(table[2]!, /720p25 default model\s+m\.onnx \(512x288\)\s+1280x720@25, 300 s\s+2400\s+10\.00\s+20\.00\s+25\.00\s+0\.83\s+12\.0x\s+300/);
});

t.test('CPU seconds: medians and their overhead ratio, kept apart from the wall-clock keys', async (t) => {
  const cpu = cpuFigures({ decode_s: [14, 13, 15], infer_s: [20, 21, 22], pipeline_s: [46, 47, 60] });
  t.same([cpu.decode_s, cpu.infer_s, cpu.pipeline_s], [14, 21, 47]);
  t.equal(cpu.overhead_ratio, 1.343);
  const r = caseResult(info, { decode_s: [10], infer_s: [20], pipeline_s: [25] }, { decode_s: [14], infer_s: [21], pipeline_s: [47] });
  t.equal(r.cpu?.overhead_ratio, 1.343);
  t.equal(r.overhead_ratio, 0.833, 'the wall-clock ratio is unchanged');
  t.notOk('cpu' in caseResult(info, { decode_s: [10], infer_s: [20], pipeline_s: [25] }), 'no CPU figures where none were measured');
});
