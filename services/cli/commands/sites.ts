// `crosswatch sites import FILE` and `crosswatch sites list`.
import { CrosswatchError, isCrosswatchError, type PathIssue } from '../../../pipelines/errors.ts';
import { withDatabase } from '../../db/index.ts';
import { importSites, listSites, readSitesFile } from '../../sites/import.ts';
import type { Command } from '../command.ts';

export const sitesImport: Command = {
  name: 'sites import',
  summary: 'Validate a sites file (intersections, cameras, calibration) and import it; re-importing updates',
  usage: 'FILE [--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const file = args.positionals[0];
    if (!file || args.positionals.length > 1) throw new CrosswatchError('USAGE', 'expects one sites file\nusage: crosswatch sites import FILE [--json]');
    const json = args.values['json'] === true;
    let sites;
    try {
      sites = await readSitesFile(file);
    } catch (err) {
      // --json callers get the problems as data on stdout, not only as text.
      if (!json || !isCrosswatchError(err, 'SITES_INVALID')) throw err;
      out(JSON.stringify({ ok: false, file, issues: err.details as PathIssue[] }, null, 2));
      return 1;
    }
    const summary = await withDatabase(config, log, (db) => importSites(db.pool, sites, config.defaultTimeZone));
    if (json) out(JSON.stringify({ ok: true, file, ...summary }, null, 2));
    else {
      const { intersections: i, cameras: c } = summary;
      out(`Imported ${file}: intersections ${i.inserted} new, ${i.updated} updated; cameras ${c.inserted} new, ${c.updated} updated.`);
    }
    return 0;
  },
};

export const sitesList: Command = {
  name: 'sites list',
  summary: 'List the imported intersections and their cameras',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const rows = await withDatabase(config, log, (db) => listSites(db.pool));
    if (args.values['json'] === true) {
      out(JSON.stringify(rows, null, 2));
      return 0;
    }
    if (rows.length === 0) {
      out('No sites imported yet: run "crosswatch sites import FILE".');
      return 0;
    }
    const table = rows.map((r) => [
      r.intersection,
      r.name,
      r.time_zone,
      r.camera ?? '-',
      r.width ? `${r.width}×${r.height}` : '-',
      r.camera ? (r.calibrated ? 'yes' : 'no') : '-',
      r.calibrated ? (r.ground_mapped ? 'yes' : 'no') : '-',
    ]);
    out(formatTable(['intersection', 'name', 'time zone', 'camera', 'resolution', 'calibrated', 'ground points'], table));
    return 0;
  },
};

/** Left-aligned columns separated by two spaces. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
