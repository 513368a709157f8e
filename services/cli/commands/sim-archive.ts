// `crosswatch sim archive`: a month of synthetic recordings for N
// intersections in the catalog layout, with sites.json and ground truth.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { writeArchive } from '../../../pipelines/sim/archive-write.ts';
import { mediaBinaries } from '../../media/binaries.ts';
import { startProgress } from '../progress.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';

export const simArchive: Command = {
  name: 'sim archive',
  summary: 'Write a month of synthetic recordings for N intersections (DIR/<camera>/<YYYY-MM-DD>/<HH-MM-SS>.mp4) with DIR/sites.json',
  usage: '--intersections N --month YYYY-MM --clips-per-day K --clip-seconds S --out DIR [--seed N] [--days D] [--width W --height H --fps F] [--json]',
  options: {
    intersections: { type: 'string' },
    month: { type: 'string' },
    'clips-per-day': { type: 'string' },
    'clip-seconds': { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string' },
    width: { type: 'string' },
    height: { type: 'string' },
    fps: { type: 'string' },
    days: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args, ctx) {
    const intersections = numberOpt(args, 'intersections', { integer: true, min: 1, max: 99 });
    const month = stringOpt(args, 'month', true);
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new CrosswatchError('USAGE', `--month expects YYYY-MM, got ${JSON.stringify(month)}`);
    const clipsPerDay = numberOpt(args, 'clips-per-day', { integer: true, min: 1, max: 200 });
    const clipSeconds = numberOpt(args, 'clip-seconds', { min: 1, max: 3600 });
    const out = stringOpt(args, 'out', true);
    const seed = numberOpt(args, 'seed', { default: 1, integer: true, min: 0, max: 2 ** 32 - 1 });
    const width = numberOpt(args, 'width', { default: 1280, integer: true, min: 160, max: 3840 });
    const height = numberOpt(args, 'height', { default: 720, integer: true, min: 90, max: 2160 });
    const fps = numberOpt(args, 'fps', { default: 25, min: 1, max: 60 });
    if (clipsPerDay * clipSeconds > 13 * 3600) throw new CrosswatchError('USAGE', '--clips-per-day x --clip-seconds must fit in the 07:00-20:00 recording day');
    const { ffmpeg } = mediaBinaries(ctx.config);
    const monthDays = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
    const days = numberOpt(args, 'days', { default: monthDays, integer: true, min: 1, max: monthDays });
    const progress = startProgress(ctx.log, 'sim archive', intersections * days * clipsPerDay, 'clips');
    let result;
    try {
      result = await writeArchive({
        intersections, month, clipsPerDay, clipSeconds, seed, out, width, height, fps, days,
        timeZone: ctx.config.defaultTimeZone,
        ffmpegPath: ffmpeg,
        onClip: (c) => progress.tick(1, c.relPath),
      });
    } finally {
      progress.stop();
    }
    if (args.values['json']) ctx.out(JSON.stringify(result));
    else {
      ctx.out(`${result.clips} clips under ${out}\n${result.sites}`);
      for (const [cat, c] of Object.entries(result.counts)) ctx.out(`  ${cat.padEnd(20)} exposures ${String(c.exposures).padStart(5)}  violations ${String(c.violations).padStart(5)}`);
    }
    return 0;
  },
};
