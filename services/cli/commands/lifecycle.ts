// Data lifecycle: `crosswatch prune [--dry-run]`, `crosswatch backup --out DIR`,
// `crosswatch restore --from DIR` (services/lifecycle; docs/reliability.md).
import path from 'node:path';
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { withDatabase } from '../../db/index.ts';
import { backup, restore } from '../../lifecycle/backup.ts';
import { pruneEvidence } from '../../lifecycle/prune.ts';
import { stringOpt, type Command } from '../command.ts';

const noPositionals = (name: string, positionals: string[]) => {
  if (positionals.length > 0) throw new CrosswatchError('USAGE', `unexpected ${JSON.stringify(positionals.join(' '))}: crosswatch ${name} takes options only`);
};

export const pruneCommand: Command = {
  name: 'prune',
  summary: 'Remove evidence past its retention (clearing the rows that pointed to it) and orphan evidence files; --dry-run only reports',
  usage: '[--dry-run] [--json]',
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    noPositionals('prune', args.positionals);
    const r = await withDatabase(config, log, (db) =>
      pruneEvidence(db.pool, {
        evidenceDir: config.evidenceDir,
        retentionDays: config.evidenceRetentionDays,
        confirmedRetentionDays: config.evidenceRetentionConfirmedDays,
        // A window in progress writes its files before committing the rows: twice the job expiry, at least an hour.
        orphanGraceMs: Math.max(3_600_000, 2 * config.jobExpireSeconds * 1000),
        dryRun: args.values['dry-run'] === true,
        log,
      }),
    );
    if (args.values['json'] === true) out(JSON.stringify(r, null, 2));
    else {
      const verb = r.dryRun ? 'would remove' : 'removed';
      out(`${r.dryRun ? 'Dry run: ' : ''}${r.expiredRows} violation(s) past retention (${config.evidenceRetentionDays} d; confirmed ${config.evidenceRetentionConfirmedDays} d): ${verb} ${r.expiredFiles} file(s); ${verb} ${r.orphanFiles} orphan file(s); ${(r.bytes / 1e6).toFixed(1)} MB${r.keptYoungOrphans > 0 ? `; ${r.keptYoungOrphans} recent unreferenced file(s) kept (a window may be committing them)` : ''}.`);
    }
    return 0;
  },
};

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Back up the database (every application table, one consistent snapshot) and the evidence files its rows point to into a new folder',
  usage: '--out DIR [--json]',
  options: { out: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    noPositionals('backup', args.positionals);
    const dir = path.resolve(stringOpt(args, 'out', true));
    const m = await withDatabase(config, log, (db) => backup(db.pool, { out: dir, evidenceDir: config.evidenceDir, log }));
    const rows = m.tables.reduce((a, t) => a + t.rows, 0);
    if (args.values['json'] === true) out(JSON.stringify({ out: dir, tables: m.tables, files: m.evidence.length, missing: m.missingEvidence }, null, 2));
    else out(`Backup in ${dir}: ${m.tables.length} tables, ${rows} rows, ${m.evidence.length} evidence file(s)${m.missingEvidence.length > 0 ? `; ${m.missingEvidence.length} file(s) rows point to were already missing (listed in manifest.json)` : ''}.`);
    return m.missingEvidence.length > 0 ? 1 : 0;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a backup into an empty database and an empty evidence folder, checking row counts and file digests',
  usage: '--from DIR [--json]',
  options: { from: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    noPositionals('restore', args.positionals);
    const dir = path.resolve(stringOpt(args, 'from', true));
    const m = await withDatabase(config, log, (db) => restore(db.pool, { from: dir, evidenceDir: config.evidenceDir, log }));
    const rows = m.tables.reduce((a, t) => a + t.rows, 0);
    if (args.values['json'] === true) out(JSON.stringify({ from: dir, tables: m.tables, files: m.evidence.length }, null, 2));
    else out(`Restored ${rows} rows in ${m.tables.length} tables and ${m.evidence.length} evidence file(s) from ${dir} (backup of ${m.createdAt}).`);
    return 0;
  },
};
