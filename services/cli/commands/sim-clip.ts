// `crosswatch sim clip`: one synthetic clip with its ground truth and sites file.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { LAYOUT_NAMES, parseConditions, writeClip } from '../../../pipelines/sim/index.ts';
import { mediaBinaries } from '../../media/binaries.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';

export const simClip: Command = {
  name: 'sim clip',
  summary: 'Render a synthetic junction clip (PATH.mp4) with ground truth (PATH.gt.json.gz) and sites file (PATH.sites.json)',
  usage:
    '--seed N --seconds S --out PATH [--conditions day|dusk|night[,rain,noise,shake,compressed]] [--layout NAME] [--width W --height H --fps F] [--start ISO] [--json]\n' +
    `  layouts: ${LAYOUT_NAMES.join(', ')} (default: by seed)`,
  options: {
    seed: { type: 'string' },
    seconds: { type: 'string' },
    out: { type: 'string' },
    conditions: { type: 'string' },
    layout: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    fps: { type: 'string' },
    start: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, ctx) {
    const seed = numberOpt(args, 'seed', { integer: true, min: 0, max: 2 ** 32 - 1 });
    const seconds = numberOpt(args, 'seconds', { min: 0.04, max: 3600 });
    const out = stringOpt(args, 'out', true);
    const width = numberOpt(args, 'width', { default: 1280, integer: true, min: 160, max: 3840 });
    const height = numberOpt(args, 'height', { default: 720, integer: true, min: 90, max: 2160 });
    const fps = numberOpt(args, 'fps', { default: 25, min: 1, max: 60 });
    if (width % 2 || height % 2) throw new CrosswatchError('USAGE', '--width and --height must be even (yuv420p)');
    const startRaw = stringOpt(args, 'start');
    const start = startRaw ? new Date(startRaw) : undefined;
    if (start && Number.isNaN(start.getTime())) throw new CrosswatchError('USAGE', `--start expects an ISO date-time, got ${JSON.stringify(startRaw)}`);
    const layout = stringOpt(args, 'layout');
    if (layout && !LAYOUT_NAMES.includes(layout)) throw new CrosswatchError('USAGE', `--layout must be one of ${LAYOUT_NAMES.join(', ')}`);
    let conditions;
    try {
      conditions = parseConditions(stringOpt(args, 'conditions') ?? 'day');
    } catch (cause) {
      throw new CrosswatchError('USAGE', `--conditions: ${(cause as Error).message}`, { cause });
    }
    const { ffmpeg } = mediaBinaries(ctx.config);
    const t0 = Date.now();
    const written = await writeClip({ seed, seconds, out, conditions, width, height, fps, ffmpegPath: ffmpeg, ...(layout ? { layout } : {}), ...(start ? { start } : {}), timeZone: ctx.config.defaultTimeZone });
    const gt = written.clip.groundTruth;
    const elapsed = (Date.now() - t0) / 1000;
    ctx.log.info({ video: written.video, frames: gt.frameCount, seconds: elapsed, realtime: seconds / elapsed }, 'sim clip written');
    if (args.values['json']) {
      ctx.out(JSON.stringify({ video: written.video, groundTruth: written.groundTruth, sites: written.sites, layout: gt.layout, conditions: gt.conditions, counts: gt.counts }));
    } else {
      ctx.out(`${written.video} (${gt.layout}, ${gt.conditions.join(',')}, ${gt.frameCount} frames)\n${written.groundTruth}\n${written.sites}`);
      for (const [cat, c] of Object.entries(gt.counts)) ctx.out(`  ${cat.padEnd(20)} exposures ${String(c.exposures).padStart(3)}  violations ${String(c.violations).padStart(3)}`);
    }
    return 0;
  },
};
