// Hostile sites files and model configs: a valid file broken at a random
// JSON path (a wrong type, a hostile string, a huge or negative number, a
// deleted or an unknown key). Every rejection names JSON paths that point
// into the rejected document, each with a message; no validator throws
// anything but its own error. The sites files also go through
// the API (POST /api/sites/import): 200 or a 400 whose details carry the paths.
import t from 'tap';
import fc from 'fast-check';
import { isCrosswatchError, type PathIssue } from '../../pipelines/errors.ts';
import { parseModelConfig } from '../../pipelines/detect/model-config.ts';
import { validateSites } from '../../pipelines/sites/validate.ts';
import { exampleSites } from '../helpers/sites.ts';
import { apiFixture } from '../services/api/helpers.ts';
import { hostileJson, hostileString } from './payloads.ts';

const RUNS = Number(process.env['CROSSWATCH_FUZZ_RUNS'] ?? 600);

type Json = unknown;
type Mutation = { path: string[]; op: 'set' | 'delete' | 'add'; value: Json; key: string };

/** Every JSON path (as segments) in a value. */
function pathsOf(v: Json, at: string[] = []): string[][] {
  const out = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...pathsOf(x, [...at, String(i)])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...at, k]));
  return out;
}

function mutate(base: Json, m: Mutation): { value: Json; pointer: string } {
  const copy = structuredClone(base);
  const pointer = (segs: string[]) => segs.map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
  if (m.path.length === 0) return { value: m.op === 'set' ? m.value : copy, pointer: '' };
  const parent = m.path.slice(0, -1).reduce<any>((o, k) => o[k], copy);
  const last = m.path.at(-1)!;
  if (m.op === 'set') parent[last] = m.value;
  else if (m.op === 'delete') Array.isArray(parent) ? parent.splice(Number(last), 1) : delete parent[last];
  else if (!Array.isArray(parent) && typeof parent === 'object' && parent !== null) {
    parent[`x-${m.key}`] = m.value;
    return { value: copy, pointer: pointer([...m.path.slice(0, -1), `x-${m.key}`]) };
  }
  return { value: copy, pointer: pointer(m.path) };
}

/** The path points into the document: at a value, or at a missing field of an existing object. */
function resolves(doc: Json, pointer: string): boolean {
  if (pointer === '') return true;
  const segs = pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at: any = doc;
  for (let i = 0; i < segs.length; i++) {
    if (at === null || typeof at !== 'object') return false;
    if (!(segs[i]! in at)) return i === segs.length - 1;
    at = at[segs[i]!];
  }
  return true;
}

function mutations(base: Json, o: { plainKeys?: boolean } = {}): fc.Arbitrary<Mutation> {
  const paths = pathsOf(base);
  const key = fc.string({ maxLength: 8 });
  return fc.record({
    path: fc.constantFrom(...paths),
    op: fc.constantFrom('set', 'set', 'set', 'delete', 'add'),
    value: fc.oneof(hostileString, hostileJson, fc.constantFrom(-1, 0, 1e308, -1e308, 2 ** 53, 0.5, null, true, [], {})),
    key: o.plainKeys ? key.map((k) => k.replace(/[/~]/g, '_')) : key,
  }) as fc.Arbitrary<Mutation>;
}

/**
 * Every issue names a JSON path into the rejected document with a message;
 * cross-field checks may name a sibling (the second line when the stop line
 * moved), so the path must resolve, not equal the broken field.
 */
function checkIssues(doc: Json, issues: PathIssue[]): boolean {
  return issues.length > 0 && issues.every((i) => typeof i.path === 'string' && (i.path === '' || i.path.startsWith('/')) && resolves(doc, i.path) && i.message.length > 3);
}

t.test(`sites files: ${RUNS} broken at random paths`, async (t) => {
  const base = exampleSites();
  let rejected = 0;
  await fc.assert(
    fc.property(mutations(base), (m) => {
      const { value } = mutate(base, m);
      const r = validateSites(value);
      if (r.ok) return true;
      rejected++;
      return checkIssues(value, r.issues);
    }),
    { numRuns: RUNS },
  );
  t.ok(rejected > RUNS / 2, `${rejected} rejections, each naming a related JSON path`);
});

t.test(`model configs: ${RUNS} broken at random paths`, async (t) => {
  const base = { layout: 'ultralytics', classes: ['person', 'car'], class_map: { person: 'pedestrian', car: 'vehicle' }, score_threshold: 0.25, nms_iou: 0.45, max_detections: 100, input: { width: 640, height: 640 }, strides: [8, 16, 32], letterbox: 'center', rider_ioa: 0.5, input_range: '0-1' };
  t.doesNotThrow(() => parseModelConfig(base, 'base.json'));
  let rejected = 0;
  // Keys with '/' or '~' are fuzzed apart below (a known defect).
  await fc.assert(
    fc.property(mutations(base, { plainKeys: true }), (m) => {
      const { value } = mutate(base, m);
      fc.pre(!pathsOf(value).some((p) => p.some((k) => /[/~]/.test(k))));
      try {
        parseModelConfig(value, 'fuzz.json');
        return true;
      } catch (err) {
        if (!isCrosswatchError(err, 'MODEL_INVALID')) throw err;
        rejected++;
        const issues = (err.details as { issues: PathIssue[] }).issues;
        return checkIssues(value, issues) && issues.every((i) => err.message.includes(i.path || '/'));
      }
    }),
    { numRuns: RUNS },
  );
  t.ok(rejected > RUNS / 3, `${rejected} rejections, each naming a related JSON path in its message`);
});

t.test('model config keys containing "/" or "~" are named by an escaped JSON pointer (RFC 6901)', { todo: 'pipelines/detect/model-config.ts writes `/${key}` unescaped: "/x/y" for the key "x/y" (owned by the detect stage)' }, async (t) => {
  for (const key of ['a/b', 'a~b']) {
    try {
      parseModelConfig({ [key]: 1 }, 'fuzz.json');
      t.fail('accepted an unknown key');
    } catch (err) {
      const issues = (err as { details: { issues: PathIssue[] } }).details.issues;
      t.same(issues.map((i) => i.path), [`/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`]);
    }
  }
});

t.test('broken sites files through POST /api/sites/import', async (t) => {
  const f = await apiFixture(t);
  const base = exampleSites();
  const statuses: Record<number, number> = {};
  await fc.assert(
    fc.asyncProperty(mutations(base), async (m) => {
      const { value } = mutate(base, m);
      const res = await f.app.inject({ method: 'POST', url: '/api/sites/import', payload: JSON.stringify(value) ?? 'null', headers: { ...f.as('operator'), 'content-type': 'application/json' } });
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      if (res.statusCode === 200) return true;
      if (res.statusCode !== 400) return false;
      const error = (res.json() as { error: { code: string; message: string } }).error;
      if (error.code === 'BAD_REQUEST') return /__proto__/.test(error.message); // prototype poisoning, refused by the JSON parser
      const details = (res.json() as { error: { details?: PathIssue[] } }).error.details ?? [];
      // The route's own schema answers /body/... paths; the sites validator answers file paths.
      return checkIssues(value, details.map((d) => ({ ...d, path: d.path.replace(/^\/body/, '') })));
    }),
    { numRuns: Math.min(RUNS, 300) },
  );
  t.comment(`sites import statuses: ${JSON.stringify(statuses)}`);
  t.notOk(Object.keys(statuses).some((s) => Number(s) >= 500), 'no 5xx');
});
