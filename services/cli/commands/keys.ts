// `crosswatch keys create|list|revoke`: API keys. A key is printed once, at
// creation; only its hash is stored.
import { CrosswatchError } from '../../../pipelines/errors.ts';
import { isRole, ROLES } from '../../api/access.ts';
import { createKey, listKeys, revokeKey } from '../../api/keys.ts';
import { withDatabase } from '../../db/index.ts';
import { numberOpt, stringOpt, type Command } from '../command.ts';
import { formatTable } from './sites.ts';

export const keysCreate: Command = {
  name: 'keys create',
  summary: 'Create an API key (printed once) with a role: viewer, reviewer, operator or admin',
  usage: '--role R --name N [--expires-days D] [--json]',
  options: { role: { type: 'string' }, name: { type: 'string' }, 'expires-days': { type: 'string' }, json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const role = stringOpt(args, 'role', true);
    if (!isRole(role)) throw new CrosswatchError('USAGE', `--role expects one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
    const name = stringOpt(args, 'name', true).trim();
    if (name === '' || name.length > 200) throw new CrosswatchError('USAGE', '--name expects 1 to 200 characters');
    const expiresDays = args.values['expires-days'] === undefined ? undefined : numberOpt(args, 'expires-days', { min: 1, max: 3650, integer: true });
    const k = await withDatabase(config, log, (db) => createKey(db.pool, { name, role, expiresDays }));
    if (args.values['json'] === true) out(JSON.stringify(k, null, 2));
    else {
      out(k.key);
      process.stderr.write(`Key ${k.prefix}… (${k.role}, "${k.name}"${k.expiresAt ? `, expires ${k.expiresAt}` : ''}): shown once, store it now.\n`);
    }
    return 0;
  },
};

export const keysList: Command = {
  name: 'keys list',
  summary: 'List API keys (prefix, role, expiry, revocation; never the keys)',
  usage: '[--json]',
  options: { json: { type: 'boolean' } },
  async run(args, { config, log, out }) {
    const keys = await withDatabase(config, log, (db) => listKeys(db.pool));
    if (args.values['json'] === true) out(JSON.stringify(keys, null, 2));
    else if (keys.length === 0) out('No API keys: create one with "crosswatch keys create --role R --name N".');
    else {
      const rows = keys.map((k) => [k.id, k.prefix + '…', k.role, k.name, k.expiresAt ?? '-', k.revokedAt ? `revoked ${k.revokedAt}` : 'active', k.lastUsedAt ?? '-']);
      out(formatTable(['id', 'prefix', 'role', 'name', 'expires', 'state', 'last used'], rows));
    }
    return 0;
  },
};

export const keysRevoke: Command = {
  name: 'keys revoke',
  summary: 'Revoke an API key by id or prefix; effective on the next request',
  usage: 'ID|PREFIX',
  async run(args, { config, log, out }) {
    const which = args.positionals[0];
    if (!which || args.positionals.length > 1) throw new CrosswatchError('USAGE', 'expects one key id or prefix\nusage: crosswatch keys revoke ID|PREFIX');
    const revoked = await withDatabase(config, log, (db) => revokeKey(db.pool, which.replace(/…$/, '')));
    if (revoked.length === 0) throw new CrosswatchError('NOT_FOUND', `no key with id or prefix ${JSON.stringify(which)}`);
    for (const k of revoked) out(`Revoked key ${k.id} (${k.prefix}…, ${k.role}, "${k.name}").`);
    return 0;
  },
};
