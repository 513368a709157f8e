// `crosswatch window --camera CODE --from ISO --seconds N`: judge one window
// now and print its counts and violations.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { CATEGORIES } from '../../../pipelines/types.ts';
import { complianceRate } from '../../../pipelines/stats/rates.ts';
import { withDatabase } from '../../db/index.ts';
import { mediaBinaries } from '../../media/binaries.ts';
import { openDetector } from '../../window/detector.ts';
import { runWindow, type WindowReport } from '../../window/run-window.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';

export const windowCommand: Command = {
  name: 'window',
  summary: 'Process one window of one camera: decode, detect, track, judge; store and print counts and violations',
  usage: '--camera CODE --from ISO --seconds N [--json]',
  options: { camera: { type: 'string' }, from: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const cameraCode = stringOpt(args, 'camera', true);
    const fromText = stringOpt(args, 'from', true);
    const from = new Date(fromText);
    if (Number.isNaN(from.getTime()) || !/T\d\d:\d\d/.test(fromText)) {
      throw new CrosswatchError('USAGE', `--from expects an ISO date-time such as 2025-03-03T08:30:00+08:00, got ${JSON.stringify(fromText)}`);
    }
    const seconds = numberOpt(args, 'seconds', { min: 1, max: 6 * 3600 });
    const to = new Date(from.getTime() + seconds * 1000);
    const { ffmpeg } = mediaBinaries(config);
    const { detector, modelVersion } = await openDetector(config);
    try {
      const report = await withDatabase(config, log, (db) =>
        runWindow({ cameraCode, from, to }, { pool: db.pool, detector, modelVersion, ffmpegPath: ffmpeg, evidenceDir: config.evidenceDir, sampleFps: config.sampleFps, log }),
      );
      out(args.values['json'] === true ? JSON.stringify(toJson(report), null, 2) : formatReport(report, config.evidenceDir));
      return report.status === 'done' ? 0 : 1;
    } finally {
      await detector.close();
    }
  },
};

function toJson(r: WindowReport) {
  return {
    window: r.windowId,
    status: r.status,
    reason: r.reason,
    camera: r.cameraCode,
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    covered_seconds: r.coveredSeconds,
    frames_analysed: r.framesAnalysed,
    counts: r.counts,
    unjudged: r.unjudged,
    violations: r.violations.map((v) => ({
      id: v.id,
      category: v.category,
      track: v.trackId,
      class: v.roadUserClass,
      zone: v.zoneId,
      signal: v.signalId ?? null,
      t: new Date(v.t).toISOString(),
      score: Number(v.score.toFixed(3)),
      evidence: v.evidencePath,
    })),
    processing_seconds: r.durationMs / 1000,
  };
}

function formatReport(r: WindowReport, evidenceDir: string): string {
  const head = `Window ${r.windowId} of camera ${r.cameraCode}, ${r.from.toISOString()} – ${r.to.toISOString()}: ${r.status}`;
  if (r.status === 'failed' || !r.counts) return `${head}\nreason: ${r.reason}`;
  const lines = [head, `footage covered: ${r.coveredSeconds.toFixed(1)} s, frames analysed: ${r.framesAnalysed}, processing: ${(r.durationMs / 1000).toFixed(1)} s`];
  if (r.reason) lines.push(`note: ${r.reason}`);
  lines.push('', 'category              exposures  violations  unjudged  compliance (95% CI)');
  for (const c of CATEGORIES) {
    const k = r.counts[c];
    const rate = complianceRate(k.exposures, k.violations, r.coveredSeconds);
    const pct = rate.rate === null ? 'n/a (no exposures)' : `${(100 * rate.rate).toFixed(1)}% (${(100 * rate.interval!.low).toFixed(1)}–${(100 * rate.interval!.high).toFixed(1)}%, n=${k.exposures})`;
    lines.push(`${c.padEnd(22)}${String(k.exposures).padStart(9)}${String(k.violations).padStart(12)}${String(r.unjudged?.[c] ?? 0).padStart(10)}  ${pct}`);
  }
  lines.push('', `${r.violations.length} violation(s):`);
  for (const v of r.violations) {
    lines.push(`  ${new Date(v.t).toISOString()}  ${v.category.padEnd(20)} track ${v.trackId} (${v.roadUserClass}) at ${v.zoneId}, score ${v.score.toFixed(2)}  ${v.evidencePath ? `${evidenceDir}/${v.evidencePath}` : ''}`);
  }
  return lines.join('\n');
}
