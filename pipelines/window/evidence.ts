// Evidence for a judged window: for each violation, the three moments'
// frames composed into one JPEG with the governing signal's state at each
// moment. The frames come from the window's own decode (evidence-archive.ts)
// where it kept them; the rest from seeks into the file at full resolution.
// Writing the files is the caller's.
import type { Calibration } from '../sites/schema.ts';
import type { EvidenceMoment, Segment, SignalColour, Violation } from '../types.ts';
import type { FootageSegment } from '../decode/index.ts';
import { extractMany } from '../decode/extract-run.ts';
import { composeEvidence, type EvidenceImage, type EvidenceMomentInput } from '../evidence/index.ts';
import type { WindowOutcome } from './process-window.ts';
import { asSegment } from '../rules/zones.ts';

export interface EvidenceContext {
  cameraCode: string;
  timeZone: string;
  windowId: string;
  calibration: Calibration;
  segments: readonly FootageSegment[];
  ffmpegPath: string;
  signal?: AbortSignal;
}

export interface ComposedEvidence {
  violation: Violation;
  /** Number of the violation within the window: names its file. */
  n: number;
  jpeg: Buffer;
  /** Moments (of 3) whose frame came from the window's decode; the others were seeks. */
  fromDecode: number;
}

/**
 * Full-resolution frames held at once while composing: violations are taken
 * in groups whose missing moments fit this budget, and each group's missing
 * moments come from as few ffmpeg seeks as their spacing allows (extractMany).
 * One seek per moment (extractMoments) cost ~1.5 s each on the loaded 2-core
 * machine with the twin's 10 s keyframe interval.
 */
const EVIDENCE_FRAME_BUDGET_BYTES = 24 * 2 ** 20;

export async function composeWindowEvidence(outcome: WindowOutcome, ctx: EvidenceContext): Promise<ComposedEvidence[]> {
  const out: ComposedEvidence[] = [];
  const ordered = [...outcome.judgement.violations].sort((a, b) => a.t - b.t || a.trackId - b.trackId);
  const frameBytes = Math.max(...ctx.segments.map((s) => s.width * s.height * 3), 1);
  const perGroup = Math.max(1, Math.floor(EVIDENCE_FRAME_BUDGET_BYTES / frameBytes / 3));
  // ffmpeg's own thread count: by now the window's decoding and inference are done, its cores are free.
  const opts = { ffmpegPath: ctx.ffmpegPath, threads: 0, frameBytes, maxRunBytes: EVIDENCE_FRAME_BUDGET_BYTES, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const archived = outcome.evidenceFrames;
  for (let g = 0; g < ordered.length; g += perGroup) {
    const group = ordered.slice(g, g + perGroup);
    const missing = group.flatMap((v) => v.moments.filter((m) => !archived.has(m.frameIndex)));
    const sought = missing.length > 0 ? await extractMany(ctx.segments, missing.map((m) => m.t), opts) : [];
    const seekFrames = new Map<EvidenceMoment, EvidenceImage>(missing.map((m, i) => [m, sought[i]!]));
    for (const [k, v] of group.entries()) {
      const frames = v.moments.map((m) => archived.get(m.frameIndex) ?? seekFrames.get(m)!);
      const fromDecode = v.moments.filter((m) => archived.has(m.frameIndex)).length;
      out.push({ ...(await composeOne(outcome, ctx, v, g + k, frames)), fromDecode });
    }
  }
  return out;
}

async function composeOne(outcome: WindowOutcome, ctx: EvidenceContext, v: Violation, n: number, frames: EvidenceImage[]): Promise<Omit<ComposedEvidence, 'fromDecode'>> {
  const moment = (i: 0 | 1 | 2): EvidenceMomentInput => ({
    image: frames[i]!,
    t: v.moments[i].t,
    box: v.moments[i].box,
    ...(v.signalId ? { signalColour: colourAt(outcome, v.moments[i].frameIndex, v.signalId) } : {}),
  });
  const moments = [moment(0), moment(1), moment(2)] as const;
  const region = signalRegion(ctx.calibration, v.signalId);
  const jpeg = await composeEvidence({
    category: v.category,
    trackId: v.trackId,
    cameraCode: ctx.cameraCode,
    timeZone: ctx.timeZone,
    windowId: ctx.windowId,
    moments,
    lines: linesFor(ctx.calibration, v.zoneId),
    ...(region ? { signalRegion: region } : {}),
  });
  return { violation: v, n, jpeg };
}

function colourAt(outcome: WindowOutcome, frameIndex: number, signalId: string): SignalColour {
  return outcome.signalFrames.get(frameIndex)?.states[signalId] ?? 'unknown';
}

function signalRegion(c: Calibration, signalId: string | undefined) {
  if (!signalId) return undefined;
  for (const a of c.approaches) for (const s of a.signals) if (s.id === signalId) return s.region;
  for (const w of c.crosswalks) if (w.signal.id === signalId) return w.signal.region;
  return undefined;
}

/** The lines a reviewer judges the violation by: an approach's stop and second line, or a crosswalk's edges. */
function linesFor(c: Calibration, zoneId: string): Segment[] {
  const approach = c.approaches.find((a) => a.id === zoneId);
  if (approach) return [asSegment(approach.stop_line), asSegment(approach.second_line)];
  return [];
}
