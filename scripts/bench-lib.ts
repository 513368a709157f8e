// Pure helpers of the throughput benchmark (scripts/bench.ts): statistics,
// the derived figures, the result record, the table. No I/O here; unit-tested
// in test/scripts/bench-lib.test.ts.

/** The keys every case of the benchmark writes (issue 8), in table order. */
export const RESULT_KEYS = ['decode_s', 'infer_s', 'pipeline_s', 'overhead_ratio', 'realtime_factor', 'frames', 'peak_rss_mb'] as const;

export interface CaseResult {
  /** Case name, e.g. "720p25 default model". */
  case: string;
  model: string;
  /** Model input, "512x288". */
  model_input: string;
  /** Source footage, "1280x720@25". */
  input: string;
  footage_s: number;
  sample_fps: number;
  batch: number;
  inflight: number;
  move_buffers: boolean;
  ort_spinning: boolean;
  ort_threads: number;
  ffmpeg_threads: number;
  /** Where evidence frames came from: the window's decode (archive, default) or seeks after it. */
  evidence_frames?: 'decode' | 'seek';
  reps: number;
  decode_s: number;
  infer_s: number;
  pipeline_s: number;
  overhead_ratio: number;
  realtime_factor: number;
  frames: number;
  /** Highest RSS of the process (main thread + detector worker) sampled while the pipeline ran. */
  peak_rss_mb: number;
  /** The case process's lifetime peak (also the benchmark's own resident frames and start-up). */
  process_max_rss_mb: number;
  /** Largest ffmpeg child seen during the pipeline runs (another process than peak_rss_mb's). */
  peak_ffmpeg_rss_mb: number;
  /** Every repetition, for the spread behind the medians. */
  samples: { decode_s: number[]; infer_s: number[]; pipeline_s: number[] };
  /**
   * The same three costs in CPU seconds (all threads, and ffmpeg children),
   * medians: far less sensitive than wall time to other processes on shared
   * cores, so the ratio says what the pipeline adds even at high load.
   */
  cpu?: CpuFigures;
  /** One-minute load average at the start of each repetition. */
  load?: number[];
}

export interface CpuFigures {
  decode_s: number;
  infer_s: number;
  pipeline_s: number;
  /** pipeline CPU / (decode CPU + inference CPU): 1 = the pipeline does no work beyond its two irreducible parts. */
  overhead_ratio: number;
  samples: { decode_s: number[]; infer_s: number[]; pipeline_s: number[] };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new RangeError('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** pipeline_s / (decode_s + infer_s): 1 = the pipeline costs its two irreducible parts run back to back; below 1 they overlap. */
export function overheadRatio(pipelineS: number, decodeS: number, inferS: number): number {
  const base = decodeS + inferS;
  if (!(base > 0)) throw new RangeError('decode_s + infer_s must be positive');
  return pipelineS / base;
}

/** Seconds of footage judged per second of processing. */
export function realtimeFactor(footageS: number, pipelineS: number): number {
  if (!(pipelineS > 0)) throw new RangeError('pipeline_s must be positive');
  return footageS / pipelineS;
}

/** Least-squares slope of ys against their index (units of y per step); 0 for fewer than two points. */
export function slope(ys: readonly number[]): number {
  const n = ys.length;
  if (n < 2) return 0;
  const mx = (n - 1) / 2;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

export interface SoakSummary {
  windows: number;
  first_mb: number;
  last_mb: number;
  max_mb: number;
  /** MB per window over all windows (least squares). */
  slope_mb_per_window: number;
  /** Slope over the second half only: start-up (arenas, JIT, caches) settles in the first windows. */
  late_slope_mb_per_window: number;
  /** No growth: the late slope stays under `toleranceMbPerWindow`. */
  growth: boolean;
  rss_mb: number[];
}

/**
 * RSS after each of N windows. Growth means a leak: over the second half the
 * slope stays above the tolerance (0.2 MB a window = 10 MB over 50 windows,
 * under the noise of allocator arenas, above any per-window leak worth finding).
 */
export function soakSummary(rssMb: readonly number[], toleranceMbPerWindow = 0.2): SoakSummary {
  if (rssMb.length === 0) throw new RangeError('soak needs at least one window');
  const late = rssMb.slice(Math.floor(rssMb.length / 2));
  const lateSlope = slope(late);
  return {
    windows: rssMb.length,
    first_mb: round(rssMb[0]!, 1),
    last_mb: round(rssMb[rssMb.length - 1]!, 1),
    max_mb: round(Math.max(...rssMb), 1),
    slope_mb_per_window: round(slope(rssMb), 3),
    late_slope_mb_per_window: round(lateSlope, 3),
    growth: lateSlope > toleranceMbPerWindow,
    rss_mb: rssMb.map((x) => round(x, 1)),
  };
}

export function round(x: number, digits = 3): number {
  const k = 10 ** digits;
  return Math.round(x * k) / k;
}

/** Builds a case's record from its repetitions. */
export function caseResult(
  info: Omit<CaseResult, 'decode_s' | 'infer_s' | 'pipeline_s' | 'overhead_ratio' | 'realtime_factor' | 'samples' | 'reps' | 'cpu'>,
  samples: CaseResult['samples'],
  cpuSamples?: CpuFigures['samples'],
): CaseResult {
  const decode = median(samples.decode_s);
  const infer = median(samples.infer_s);
  const pipeline = median(samples.pipeline_s);
  return {
    ...info,
    reps: samples.pipeline_s.length,
    decode_s: round(decode),
    infer_s: round(infer),
    pipeline_s: round(pipeline),
    overhead_ratio: round(overheadRatio(pipeline, decode, infer)),
    realtime_factor: round(realtimeFactor(info.footage_s, pipeline), 2),
    samples: { decode_s: samples.decode_s.map((x) => round(x)), infer_s: samples.infer_s.map((x) => round(x)), pipeline_s: samples.pipeline_s.map((x) => round(x)) },
    ...(cpuSamples && cpuSamples.pipeline_s.length > 0 ? { cpu: cpuFigures(cpuSamples) } : {}),
  };
}

/** Medians and ratio of CPU-second samples. */
export function cpuFigures(samples: CpuFigures['samples']): CpuFigures {
  const decode = median(samples.decode_s);
  const infer = median(samples.infer_s);
  const pipeline = median(samples.pipeline_s);
  const r = (xs: number[]) => xs.map((x) => round(x, 2));
  return {
    decode_s: round(decode, 2),
    infer_s: round(infer, 2),
    pipeline_s: round(pipeline, 2),
    overhead_ratio: round(overheadRatio(pipeline, decode, infer)),
    samples: { decode_s: r(samples.decode_s), infer_s: r(samples.infer_s), pipeline_s: r(samples.pipeline_s) },
  };
}

/** Problems with a result record: a missing key or a value outside its sane range. */
export function checkResult(r: Partial<Record<string, unknown>>): string[] {
  const problems: string[] = [];
  for (const k of RESULT_KEYS) {
    const v = r[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) problems.push(`${k} is ${JSON.stringify(v)}, not a finite number`);
    else if (!(v > 0)) problems.push(`${k} is ${v}, not positive`);
  }
  if (typeof r['frames'] === 'number' && !Number.isInteger(r['frames'])) problems.push('frames is not an integer');
  return problems;
}

export interface Target {
  name: string;
  ok: boolean;
  detail: string;
}

/** Issue 8's targets for the default model at 720p25, 8 fps. */
export function targets(r: CaseResult, soak?: SoakSummary): Target[] {
  const t: Target[] = [
    { name: 'overhead_ratio <= 1.0', ok: r.overhead_ratio <= 1.0, detail: r.overhead_ratio.toFixed(2) },
    { name: 'realtime_factor >= 10', ok: r.realtime_factor >= 10, detail: r.realtime_factor.toFixed(1) },
    { name: 'peak_rss_mb <= 400', ok: r.peak_rss_mb <= 400, detail: r.peak_rss_mb.toFixed(0) },
  ];
  if (soak) {
    t.push({ name: `no RSS growth over ${soak.windows} windows`, ok: !soak.growth, detail: `${soak.first_mb} → ${soak.last_mb} MB, max ${soak.max_mb}, late slope ${soak.late_slope_mb_per_window} MB/window` });
  }
  return t;
}

/** A plain-text table, one row per case. */
export function formatTable(rows: readonly CaseResult[]): string {
  const head = ['case', 'model (input)', 'footage', 'frames', 'decode_s', 'infer_s', 'pipeline_s', 'overhead', 'realtime', 'rss MB'];
  const body = rows.map((r) => [
    r.case,
    `${r.model} (${r.model_input})`,
    `${r.input}, ${r.footage_s} s`,
    String(r.frames),
    r.decode_s.toFixed(2),
    r.infer_s.toFixed(2),
    r.pipeline_s.toFixed(2),
    r.overhead_ratio.toFixed(2),
    `${r.realtime_factor.toFixed(1)}x`,
    r.peak_rss_mb.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
