// `crosswatch catalog ROOT`: index the recordings, then report coverage.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { catalogReport, type CatalogReport } from '../../catalog/report.ts';
import { scanFootage } from '../../catalog/scan.ts';
import { withDatabase } from '../../db/index.ts';
import { mediaBinaries } from '../../media/binaries.ts';
import type { Command } from '../command.ts';
import { startProgress, type Progress } from '../progress.ts';
import { formatTable } from './sites.ts';

export const catalog: Command = {
  name: 'catalog',
  summary: 'Index recordings under ROOT/<camera>/<YYYY-MM-DD>/<HH-MM-SS>.mp4 and report coverage and broken files',
  usage: 'ROOT [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const root = args.positionals[0];
    if (!root || args.positionals.length > 1) throw new CrosswatchError('USAGE', 'expects one recordings folder\nusage: crosswatch catalog ROOT [--json]');
    const { ffprobe } = mediaBinaries(config);
    let progress: Progress | undefined;
    const report = await withDatabase(config, log, async (db) => {
      try {
        const stats = await scanFootage(db.pool, root, {
          ffprobe,
          concurrency: config.catalogConcurrency,
          defaultTimeZone: config.defaultTimeZone,
          log,
          onTotal: (n) => (progress = startProgress(log, 'catalog', n, 'files')),
          onFile: (f) => progress?.tick(1, f.rel),
        });
        return await catalogReport(db.pool, stats, config.defaultTimeZone);
      } finally {
        progress?.stop();
      }
    });
    out(args.values['json'] === true ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  },
};

function formatReport(r: CatalogReport): string {
  const s = r.scan;
  const lines = [
    `Catalogued ${s.root}: ${s.files} files (${s.probed} probed, ${s.unchanged} unchanged${s.removed ? `, ${s.removed} vanished removed` : ''}), ${r.segments} readable segments, ${r.unreadable.length} unreadable.`,
    '',
  ];
  const rows = r.cameras.flatMap((c) => [
    [c.camera, c.known ? 'known' : 'UNKNOWN', 'all days', hours(c.footage_hours), String(c.segments), String(c.gaps), String(c.unreadable)],
    ...c.days.map((d) => ['', '', d.date, hours(d.footage_hours), String(d.segments), String(d.gaps), '']),
  ]);
  lines.push(formatTable(['camera', 'in sites', 'day (local)', 'footage (hours)', 'segments', 'gaps', 'unreadable'], rows));
  const unknown = r.cameras.filter((c) => !c.known).map((c) => c.camera);
  if (unknown.length) lines.push('', `Unknown cameras (not in the sites; times read in ${r.cameras.find((c) => !c.known)!.time_zone}): ${unknown.join(', ')}`);
  if (r.unreadable.length) lines.push('', 'Unreadable files:', ...r.unreadable.map((u) => `  ${u.path}: ${u.reason}`));
  if (r.gaps.length) lines.push('', 'Gaps (UTC):', ...r.gaps.map((g) => `  ${g.camera}  ${g.from} → ${g.to}  (${minutes(g.from, g.to)} min)`));
  if (s.outside_camera_folders.length) lines.push('', 'Ignored (not inside a camera folder):', ...s.outside_camera_folders.map((p) => `  ${p}`));
  return lines.join('\n');
}

const hours = (h: number) => h.toFixed(h < 1 ? 3 : 2);
const minutes = (from: string, to: string) => ((Date.parse(to) - Date.parse(from)) / 60000).toFixed(1);
