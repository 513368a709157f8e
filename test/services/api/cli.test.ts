// `crosswatch keys create|list|revoke` against a test database: the key is
// printed once and works; list never shows it; revoke takes effect at once.
import t from 'tap';
import { main } from '../../../services/cli/main.ts';
import { addSite, addWindow, apiFixture } from './helpers.ts';

const f = await apiFixture(t);
const saved = process.env['DATABASE_URL'];
process.env['DATABASE_URL'] = f.db.url;
t.teardown(() => {
  if (saved === undefined) delete process.env['DATABASE_URL'];
  else process.env['DATABASE_URL'] = saved;
});

async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(argv, (s) => lines.push(s));
  return { code, out: lines.join('\n') };
}

t.test('create, use, list, revoke', async (t) => {
  const created = await cli('keys', 'create', '--role', 'reviewer', '--name', 'Officer Li', '--expires-days', '30');
  t.equal(created.code, 0);
  const key = created.out.trim();
  t.match(key, /^cw_[A-Za-z0-9_-]{43}$/);
  const me = await f.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${key}` } });
  t.same(me.json(), { name: 'Officer Li', role: 'reviewer' });
  const list = await cli('keys', 'list', '--json');
  t.equal(list.code, 0);
  t.notOk(list.out.includes(key.slice(3)), 'list never shows a key');
  const row = (JSON.parse(list.out) as { id: string; name: string; expiresAt: string | null }[]).find((k) => k.name === 'Officer Li')!;
  t.ok(row.expiresAt);
  t.equal((await cli('keys', 'revoke', row.id)).code, 0);
  t.equal((await f.app.inject({ url: '/api/me', headers: { authorization: `Bearer ${key}` } })).statusCode, 401);
  t.equal((await cli('keys', 'revoke', '424242')).code, 1);
});

t.test('bad arguments name the option', async (t) => {
  t.equal((await cli('keys', 'create', '--role', 'boss', '--name', 'x')).code, 2);
  t.equal((await cli('keys', 'create', '--role', 'viewer')).code, 2);
  t.equal((await cli('keys', 'create', '--role', 'viewer', '--name', 'x', '--expires-days', '0')).code, 2);
});

t.test('ranking prints the month as the API ranks it, with flags', async (t) => {
  const units = ['U1', 'U1', 'U2', 'U2'];
  // Compliance 100%, 97%, 90%, 70% on 100 exposures each.
  for (const [k, violations] of [0, 3, 10, 30].entries()) {
    const site = await addSite(f.db, `R${k + 1}`, { unit: units[k]! });
    await addWindow(f.db, site.cameraId, '2024-05-10T02:00:00Z', { red_light: [100, violations] });
  }
  const json = await cli('ranking', '--month', '2024-05', '--json');
  t.equal(json.code, 0);
  const api = (await f.app.inject({ url: '/api/ratings?month=2024-05', headers: f.as('viewer') })).json();
  t.same(JSON.parse(json.out), api, 'the same ranking as GET /api/ratings');
  const text = await cli('ranking', '--month', '2024-05');
  t.equal(text.code, 0);
  t.match(text.out, /^1\s+R1 Junction R1\s+A\s+red\s+100\.0%/m, 'best: rank 1, band A, red flag');
  t.match(text.out, /^4\s+R4 Junction R4\s+E\s+black\s+70\.0%/m, 'worst: band E, black flag');
  const byUnit = await cli('ranking', '--month', '2024-05', '--by', 'unit');
  t.match(byUnit.out, /^1\s+U1\s/m);
  t.equal((await cli('ranking', '--month', '2024-13')).code, 2);
  t.equal((await cli('ranking', '--by', 'district')).code, 2);
  t.equal((await cli('ranking', '--category', 'speeding')).code, 2);
});
