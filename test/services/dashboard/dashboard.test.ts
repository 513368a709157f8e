// Dashboard smoke test: the page, its modules and the chart library load from
// the API itself (no CDN), and every module it imports exists.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DASHBOARD_DIR } from '../../../services/dashboard/plugin.ts';
import { apiFixture } from '../api/helpers.ts';

const f = await apiFixture(t);

t.test('GET / returns the page in Chinese with its script', async (t) => {
  const res = await f.app.inject({ url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /text\/html/);
  t.match(res.body, /<html lang="zh-CN">/);
  t.match(res.body, /<script type="module" src="\/js\/app.js">/);
  t.notMatch(res.body, /https?:\/\//, 'nothing from the internet');
  t.match(res.headers['content-security-policy'], /script-src 'self'/);
});

t.test('the chart library and every module load', async (t) => {
  const lib = await f.app.inject({ url: '/vendor/uplot/uPlot.esm.js' });
  t.equal(lib.statusCode, 200);
  t.match(lib.headers['content-type'], /javascript/);
  t.match(lib.body, /export \{ uPlot as default \}|export default/);
  t.equal((await f.app.inject({ url: '/vendor/uplot/uPlot.min.css' })).statusCode, 200);
  t.equal((await f.app.inject({ url: '/vendor/uplot/uPlot.cjs.js' })).statusCode, 404, 'only the two files are served');
  t.equal((await f.app.inject({ url: '/vendor/uplot/../package.json' })).statusCode, 404);
  const files = readdirSync(DASHBOARD_DIR, { recursive: true }).map(String).filter((p) => /\.(js|css|html)$/.test(p));
  for (const file of files) {
    const res = await f.app.inject({ url: `/${file.split(path.sep).join('/')}` });
    t.equal(res.statusCode, 200, file);
    // Every relative or absolute import in a module must resolve on the server.
    if (file.endsWith('.js')) {
      const src = readFileSync(path.join(DASHBOARD_DIR, file), 'utf8');
      for (const [, spec] of src.matchAll(/from '([^']+)'/g)) {
        const url = spec!.startsWith('/') ? spec! : `/${path.posix.join(path.posix.dirname(file.split(path.sep).join('/')), spec!)}`;
        t.equal((await f.app.inject({ url })).statusCode, 200, `${file} imports ${spec}`);
      }
    }
  }
});

t.test('the pages the dashboard calls exist behind the key', async (t) => {
  for (const url of ['/api/me', '/api/ratings', '/api/trends/city', '/api/violations?status=pending&order=asc&limit=20']) {
    t.equal((await f.app.inject({ url, headers: f.as('viewer') })).statusCode, 200, url);
  }
  t.equal((await f.app.inject({ url: '/api/simulations/latest', headers: f.as('viewer') })).statusCode, 404, "pre-assessment shows 'no simulation yet'");
});
