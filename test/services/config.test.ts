import t from 'tap';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../services/config.ts';
import { isCrosswatchError } from '../../pipelines/errors.ts';

t.test('defaults work with an empty environment', async (t) => {
  const c = loadConfig({});
  t.equal(c.sampleFps, 8);
  t.equal(c.pgPort, 0);
  t.ok(path.isAbsolute(c.pgDataDir));
  t.ok(c.evidenceDir.startsWith(c.dataDir));
  t.equal(c.databaseUrl, undefined);
  t.equal(c.detectorThreads, undefined, 'detector threads follow the cores unless set');
  t.equal(loadConfig({ CROSSWATCH_DETECTOR_THREADS: '3' }).detectorThreads, 3);
});

t.test('environment converts and overrides the file', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-config-'));
  const file = path.join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ sampleFps: 5, catalogConcurrency: 2 }));
  const c = loadConfig({ CROSSWATCH_CONFIG: file, CROSSWATCH_SAMPLE_FPS: '10' });
  t.equal(c.sampleFps, 10);
  t.equal(c.catalogConcurrency, 2);
});

const invalid: [string, Record<string, string>, RegExp][] = [
  ['fps not a number', { CROSSWATCH_SAMPLE_FPS: 'fast' }, /CROSSWATCH_SAMPLE_FPS \(sampleFps\): a number/],
  ['fps zero', { CROSSWATCH_SAMPLE_FPS: '0' }, /CROSSWATCH_SAMPLE_FPS.*> 0/],
  ['port too large', { CROSSWATCH_PG_PORT: '70000' }, /CROSSWATCH_PG_PORT \(pgPort\): an integer >= 0 <= 65535/],
  ['bad url', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL \(databaseUrl\): a postgres/],
  ['bad log level', { LOG_LEVEL: 'loud' }, /LOG_LEVEL \(logLevel\): one of "fatal"/],
  ['bad zone', { CROSSWATCH_TIME_ZONE: 'Mars/Olympus' }, /CROSSWATCH_TIME_ZONE.*IANA/],
  ['detector threads zero', { CROSSWATCH_DETECTOR_THREADS: '0' }, /CROSSWATCH_DETECTOR_THREADS \(detectorThreads\): an integer >= 1/],
  ['detector threads not a number', { CROSSWATCH_DETECTOR_THREADS: 'two' }, /CROSSWATCH_DETECTOR_THREADS \(detectorThreads\)/],
  ['missing file', { CROSSWATCH_CONFIG: '/nonexistent/c.json' }, /CROSSWATCH_CONFIG: cannot read \/nonexistent\/c.json/],
];
for (const [name, env, re] of invalid) {
  t.test(`invalid: ${name}`, async (t) => {
    try {
      loadConfig(env);
      t.fail('expected CONFIG_INVALID');
    } catch (err) {
      t.ok(isCrosswatchError(err, 'CONFIG_INVALID'));
      t.match((err as Error).message, re);
    }
  });
}

t.test('unknown key in the file is named', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cw-config-'));
  const file = path.join(dir, 'c.json');
  writeFileSync(file, JSON.stringify({ sampleFPS: 5 }));
  t.throws(() => loadConfig({ CROSSWATCH_CONFIG: file }), /unknown setting "sampleFPS"/);
});

t.test('README documents every setting', async (t) => {
  const { readFileSync } = await import('node:fs');
  const { ENV_NAMES } = await import('../../services/config.ts');
  const readme = readFileSync(path.join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  for (const [key, env] of Object.entries(ENV_NAMES)) t.ok(readme.includes(`\`${env}\``), `${env} (${key}) is in README.md`);
});
