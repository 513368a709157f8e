// The figures tables (sql/005_figures.sql) against a recomputation from the
// raw rows after every kind of change a deployment makes: windows done and
// redone, counts replaced, violations rejected and un-rejected, windows
// pruned, a camera moved, a zone changed, an intersection removed. After
// figures_refresh() they must equal the raw sums exactly.
import t from 'tap';
import { testDatabase } from '../../helpers/db.ts';
import { addSite, addWindow } from '../api/helpers.ts';

const RAW = `
  WITH per_count AS (
    SELECT i.id AS intersection_id, (w.starts_at AT TIME ZONE i.time_zone)::date AS day, w.id AS window_id,
           COALESCE(w.covered_seconds, extract(epoch FROM w.ends_at - w.starts_at)) AS covered, wc.category, wc.exposures,
           GREATEST(wc.violations - (SELECT count(*) FROM violations v WHERE v.window_id = w.id AND v.category = wc.category AND v.review_status = 'rejected'), 0) AS violations
      FROM windows w JOIN cameras c ON c.id = w.camera_id JOIN intersections i ON i.id = c.intersection_id JOIN window_counts wc ON wc.window_id = w.id
     WHERE w.status = 'done'),
  per_window AS (SELECT intersection_id, day, window_id, covered, sum(exposures) AS exposures, sum(violations) AS violations FROM per_count GROUP BY 1, 2, 3, 4),
  days AS (
    SELECT intersection_id, day, category, count(*) AS windows, sum(covered) AS covered, sum(exposures) AS exposures, sum(violations) AS violations FROM per_count GROUP BY 1, 2, 3
    UNION ALL
    SELECT intersection_id, day, 'all', count(*), sum(covered), sum(exposures), sum(violations) FROM per_window GROUP BY 1, 2)
  SELECT 'day' AS level, intersection_id::text AS who, to_char(day, 'YYYY-MM-DD') AS at, category, windows::int, covered::float8, exposures::int, violations::int FROM days
  UNION ALL
  SELECT 'month', intersection_id::text, to_char(date_trunc('month', day), 'YYYY-MM-DD'), category, sum(windows)::int, sum(covered)::float8, sum(exposures)::int, sum(violations)::int FROM days GROUP BY 2, 3, 4
  UNION ALL
  SELECT 'city', '', to_char(day, 'YYYY-MM-DD'), category, sum(windows)::int, sum(covered)::float8, sum(exposures)::int, sum(violations)::int FROM days GROUP BY 3, 4
  ORDER BY 1, 2, 3, 4`;

const STORED = `
  SELECT 'day' AS level, intersection_id::text AS who, to_char(day, 'YYYY-MM-DD') AS at, category, windows, covered_seconds AS covered, exposures::int, violations::int FROM figures_day
  UNION ALL
  SELECT 'month', intersection_id::text, to_char(month, 'YYYY-MM-DD'), category, windows, covered_seconds, exposures::int, violations::int FROM figures_month
  UNION ALL
  SELECT 'city', '', to_char(day, 'YYYY-MM-DD'), category, windows, covered_seconds, exposures::int, violations::int FROM figures_city_day
  ORDER BY 1, 2, 3, 4`;

t.test('figures equal the raw sums after every kind of change', async (t) => {
  const db = await testDatabase(t);
  const q = (text: string, values: unknown[] = []) => db.pool.query(text, values);
  let version = Number((await q('SELECT figures_refresh() AS v')).rows[0].v);
  const check = async (what: string) => {
    const v = Number((await q('SELECT figures_refresh() AS v')).rows[0].v);
    t.ok(v > version, `${what}: the version moves (${version} → ${v})`);
    version = v;
    const [raw, stored] = await Promise.all([q(RAW), q(STORED)]);
    t.same(stored.rows, raw.rows, `${what} (${raw.rows.length} figure rows)`);
    t.equal((await q('SELECT count(*)::int AS n FROM figures_dirty')).rows[0].n, 0, `${what}: nothing left dirty`);
    t.equal(Number((await q('SELECT figures_refresh() AS v')).rows[0].v), v, `${what}: nothing changed since, the version stays`);
  };
  const A = await addSite(db, 'A');
  const B = await addSite(db, 'B');
  const a1 = await addWindow(db, A.cameraId, '2024-05-10T02:00:00Z', { red_light: [100, 5], jaywalk: [20, 1] });
  const a2 = await addWindow(db, A.cameraId, '2024-05-31T17:00:00Z', { red_light: [10, 3] }); // local June 1
  await addWindow(db, B.cameraId, '2024-05-10T03:00:00Z', { red_light: [40, 2] });
  await check('windows written done');
  await addWindow(db, B.cameraId, '2024-05-11T03:00:00Z', {}, { status: 'failed' });
  t.equal(Number((await q('SELECT figures_refresh() AS v')).rows[0].v), version, 'a failed window changes no figure');
  t.ok((await q(`SELECT 1 FROM figures_day WHERE category = 'all'`)).rowCount! > 0);

  await q(`UPDATE violations SET review_status = 'rejected', reviewed_at = now() WHERE id = ANY ($1::bigint[])`, [a1.violationIds.slice(0, 2)]);
  await check('two violations rejected');
  await q(`UPDATE violations SET review_status = 'confirmed' WHERE id = $1`, [a1.violationIds[0]]);
  await check('a rejection taken back');

  // Reprocessing: the window goes back to running, its counts are replaced, then done again.
  await q(`UPDATE windows SET status = 'running', processed_at = NULL WHERE id = $1`, [a2.windowId]);
  await check('a window being redone no longer counts');
  await q(`UPDATE window_counts SET exposures = 12, violations = 1 WHERE window_id = $1 AND category = 'red_light'`, [a2.windowId]);
  await q(`UPDATE windows SET status = 'done', processed_at = now(), covered_seconds = 540 WHERE id = $1`, [a2.windowId]);
  await check('the window done again with new counts and coverage');

  await q(`DELETE FROM windows WHERE id = $1`, [a1.windowId]);
  await check('a window pruned (its counts and violations go with it)');

  await q(`UPDATE cameras SET intersection_id = $1 WHERE id = $2`, [B.intersectionId, A.cameraId]);
  await check('a camera moved to another intersection');
  await q(`UPDATE intersections SET time_zone = 'UTC' WHERE id = $1`, [B.intersectionId]);
  await check('a zone changed: windows on other local days');

  const C = await addSite(db, 'C');
  await addWindow(db, C.cameraId, '2024-05-10T05:00:00Z', { red_light: [30, 3] });
  await check('a new intersection');
  await q(`DELETE FROM cameras WHERE id = $1`, [C.cameraId]);
  await check('a camera deleted with its windows');
  await addWindow(db, B.cameraId, '2024-05-12T05:00:00Z', { jaywalk: [8, 2] });
  // Sites import removes an intersection with its cameras, in one transaction.
  const client = await db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`DELETE FROM cameras WHERE intersection_id = $1`, [B.intersectionId]);
    await client.query(`DELETE FROM intersections WHERE id = $1`, [B.intersectionId]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  await check('an intersection deleted with its cameras');
  t.equal((await q(`SELECT count(*)::int AS n FROM figures_city_day`)).rows[0].n, 0, 'no city figures left');
});

t.test('a refresh waits for a writer and then counts its change', async (t) => {
  const db = await testDatabase(t);
  const A = await addSite(db, 'A');
  const w = await addWindow(db, A.cameraId, '2024-05-10T02:00:00Z', { red_light: [50, 4] });
  await db.pool.query('SELECT figures_refresh()');
  const writer = await db.pool.connect();
  try {
    await writer.query('BEGIN');
    await writer.query(`UPDATE violations SET review_status = 'rejected', reviewed_at = now() WHERE id = $1`, [w.violationIds[0]]);
    // A reader refreshing now must not lose the writer's mark: the writer holds it.
    const reading = db.pool.query('SELECT figures_refresh()');
    await new Promise((r) => setTimeout(r, 200));
    await writer.query('COMMIT');
    await reading;
  } finally {
    writer.release();
  }
  await db.pool.query('SELECT figures_refresh()');
  const { rows } = await db.pool.query(`SELECT violations::int FROM figures_day WHERE category = 'red_light'`);
  t.same(rows, [{ violations: 3 }], 'the rejection is counted');
});
