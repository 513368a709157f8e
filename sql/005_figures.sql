-- Figures behind trends and ratings, kept exact and cheap to read.
--
-- Summing raw windows per request cost hundreds of milliseconds once a city
-- had a year of results. Instead, per intersection and local day (of the
-- window start, in the intersection's zone) and category, the sums over its
-- done windows are stored, with violations already net of reviewer
-- rejections; per month and city-wide per day too, so a ranking or a city
-- trend reads hundreds of rows, not a million.
--
-- Exact without a batch step: every change that can move a figure (a window
-- done or undone, its counts, a violation rejected or un-rejected, a camera
-- moved, a zone changed, a window pruned) marks its (intersection, day)
-- dirty in the same transaction, by triggers, so no writer can forget.
-- Readers call figures_refresh() first, which recomputes the dirty days and
-- their months and city days. A writer's mark is an upsert, so it holds the
-- mark's row lock until it commits: a refresh deleting that mark waits for the
-- commit and then recomputes from data that includes it.
--
-- category 'all' is every category together: exposures and violations
-- summed, each window counted once.

CREATE TABLE figures_dirty (
  intersection_id bigint NOT NULL,
  day             date NOT NULL,
  marks           bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (intersection_id, day)
);

CREATE TABLE figures_day (
  intersection_id bigint NOT NULL REFERENCES intersections (id) ON DELETE CASCADE,
  day             date NOT NULL,
  category        text NOT NULL CHECK (category IN ('all', 'red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk')),
  windows         integer NOT NULL CHECK (windows >= 0),
  covered_seconds double precision NOT NULL CHECK (covered_seconds >= 0),
  exposures       bigint NOT NULL CHECK (exposures >= 0),
  -- Net of rejected violations: what rates count.
  violations      bigint NOT NULL CHECK (violations >= 0),
  PRIMARY KEY (intersection_id, category, day)
);

CREATE TABLE figures_month (
  intersection_id bigint NOT NULL REFERENCES intersections (id) ON DELETE CASCADE,
  month           date NOT NULL CHECK (extract(day FROM month) = 1),
  category        text NOT NULL,
  windows         integer NOT NULL,
  covered_seconds double precision NOT NULL,
  exposures       bigint NOT NULL,
  violations      bigint NOT NULL,
  PRIMARY KEY (month, category, intersection_id)
);

-- Every intersection's local days added together (a city lies in one zone in practice).
CREATE TABLE figures_city_day (
  day             date NOT NULL,
  category        text NOT NULL,
  windows         integer NOT NULL,
  covered_seconds double precision NOT NULL,
  exposures       bigint NOT NULL,
  violations      bigint NOT NULL,
  PRIMARY KEY (category, day)
);

-- Bumped by every refresh that recomputed something: readers key their
-- caches on it (services/api/figures.ts).
CREATE TABLE figures_version (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  version bigint NOT NULL
);
INSERT INTO figures_version (version) VALUES (0);

-- Marking --------------------------------------------------------------------

CREATE FUNCTION figures_mark(ids bigint[], days date[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO figures_dirty (intersection_id, day)
  SELECT DISTINCT i, d FROM unnest(ids, days) AS x(i, d) WHERE i IS NOT NULL AND d IS NOT NULL ORDER BY 1, 2
  ON CONFLICT (intersection_id, day) DO UPDATE SET marks = figures_dirty.marks + 1
$$;

-- Done windows (before or after the change) mark their day.
CREATE FUNCTION figures_mark_windows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM figures_mark(array_agg(c.intersection_id), array_agg((o.starts_at AT TIME ZONE i.time_zone)::date))
       FROM old_rows o JOIN cameras c ON c.id = o.camera_id JOIN intersections i ON i.id = c.intersection_id
      WHERE o.status = 'done';
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM figures_mark(array_agg(c.intersection_id), array_agg((n.starts_at AT TIME ZONE i.time_zone)::date))
       FROM new_rows n JOIN cameras c ON c.id = n.camera_id JOIN intersections i ON i.id = c.intersection_id
      WHERE n.status = 'done';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER figures_windows_insert AFTER INSERT ON windows REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_windows();
CREATE TRIGGER figures_windows_update AFTER UPDATE ON windows REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_windows();
CREATE TRIGGER figures_windows_delete AFTER DELETE ON windows REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_windows();

-- Counts, and violations rejected (before or after), mark their window's day.
-- A window deleted with them (cascade) has marked its day itself.
CREATE FUNCTION figures_mark_window_ids(window_ids bigint[]) RETURNS void LANGUAGE sql AS $$
  SELECT figures_mark(array_agg(c.intersection_id), array_agg((w.starts_at AT TIME ZONE i.time_zone)::date))
    FROM unnest(window_ids) AS x(id)
    JOIN windows w ON w.id = x.id JOIN cameras c ON c.id = w.camera_id JOIN intersections i ON i.id = c.intersection_id
   WHERE w.status = 'done'
$$;

CREATE FUNCTION figures_mark_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM figures_mark_window_ids(ARRAY(SELECT DISTINCT window_id FROM old_rows));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM figures_mark_window_ids(ARRAY(SELECT DISTINCT window_id FROM new_rows));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER figures_counts_insert AFTER INSERT ON window_counts REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_counts();
CREATE TRIGGER figures_counts_update AFTER UPDATE ON window_counts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_counts();
CREATE TRIGGER figures_counts_delete AFTER DELETE ON window_counts REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_counts();

CREATE FUNCTION figures_mark_rejections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM figures_mark_window_ids(ARRAY(SELECT DISTINCT window_id FROM old_rows WHERE review_status = 'rejected'));
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM figures_mark_window_ids(ARRAY(SELECT DISTINCT window_id FROM new_rows WHERE review_status = 'rejected'));
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER figures_violations_insert AFTER INSERT ON violations REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_rejections();
CREATE TRIGGER figures_violations_update AFTER UPDATE ON violations REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_rejections();
CREATE TRIGGER figures_violations_delete AFTER DELETE ON violations REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION figures_mark_rejections();

-- A camera moved to another intersection, or deleted (its windows go with
-- it, after it, so they cannot find their intersection): every figure day of
-- the intersections involved is recomputed.
CREATE FUNCTION figures_mark_cameras() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM figures_mark(array_agg(f.intersection_id), array_agg(f.day))
     FROM (SELECT DISTINCT intersection_id, day FROM figures_day WHERE intersection_id = OLD.intersection_id) f;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  PERFORM figures_mark(array_agg(NEW.intersection_id), array_agg((w.starts_at AT TIME ZONE i.time_zone)::date))
     FROM windows w JOIN intersections i ON i.id = NEW.intersection_id WHERE w.camera_id = NEW.id AND w.status = 'done';
  RETURN NULL;
END
$$;
CREATE TRIGGER figures_cameras_move AFTER UPDATE OF intersection_id ON cameras
  FOR EACH ROW WHEN (OLD.intersection_id IS DISTINCT FROM NEW.intersection_id) EXECUTE FUNCTION figures_mark_cameras();
CREATE TRIGGER figures_cameras_delete BEFORE DELETE ON cameras
  FOR EACH ROW EXECUTE FUNCTION figures_mark_cameras();

-- A zone changed: the windows fall on other local days.
CREATE FUNCTION figures_mark_zone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM figures_mark(array_agg(f.intersection_id), array_agg(f.day)) FROM (SELECT DISTINCT intersection_id, day FROM figures_day WHERE intersection_id = NEW.id) f;
  PERFORM figures_mark(array_agg(NEW.id), array_agg((w.starts_at AT TIME ZONE NEW.time_zone)::date))
     FROM windows w JOIN cameras c ON c.id = w.camera_id WHERE c.intersection_id = NEW.id AND w.status = 'done';
  RETURN NULL;
END
$$;
CREATE TRIGGER figures_intersections_zone AFTER UPDATE OF time_zone ON intersections
  FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION figures_mark_zone();

-- An intersection deleted takes its figure days along (foreign keys); its
-- city days must be recomputed without it.
CREATE FUNCTION figures_mark_intersection_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM figures_mark(array_agg(f.intersection_id), array_agg(f.day)) FROM (SELECT DISTINCT intersection_id, day FROM figures_day WHERE intersection_id = OLD.id) f;
  RETURN OLD;
END
$$;
CREATE TRIGGER figures_intersections_delete BEFORE DELETE ON intersections
  FOR EACH ROW EXECUTE FUNCTION figures_mark_intersection_gone();

-- Refreshing -----------------------------------------------------------------

-- Recomputes every dirty day, its month and its city day; returns the
-- figures' version, bumped when anything was recomputed: the figures tables
-- are at least that fresh when it returns. One refresh at a time (an
-- advisory lock); each statement reads what was committed when it started
-- (READ COMMITTED), so marks taken after waiting on a writer are recomputed
-- with that writer's data.
CREATE FUNCTION figures_refresh() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  ids bigint[];
  days date[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM figures_dirty) THEN
    RETURN (SELECT version FROM figures_version);
  END IF;
  PERFORM pg_advisory_xact_lock(hashtext('crosswatch figures_refresh'));
  WITH d AS (DELETE FROM figures_dirty RETURNING intersection_id, day)
  SELECT array_agg(intersection_id ORDER BY intersection_id, day), array_agg(day ORDER BY intersection_id, day) INTO ids, days FROM d;
  IF ids IS NULL THEN
    RETURN (SELECT version FROM figures_version);
  END IF;

  DELETE FROM figures_day f USING unnest(ids, days) AS x(i, d) WHERE f.intersection_id = x.i AND f.day = x.d;
  INSERT INTO figures_day (intersection_id, day, category, windows, covered_seconds, exposures, violations)
  WITH bounds AS MATERIALIZED (
    -- The day's instants first, so the windows index is searched by camera and start.
    SELECT x.i AS intersection_id, x.d AS day, (x.d::timestamp AT TIME ZONE i.time_zone) AS lo, ((x.d + 1)::timestamp AT TIME ZONE i.time_zone) AS hi
      FROM unnest(ids, days) AS x(i, d) JOIN intersections i ON i.id = x.i
  ),
  per_count AS (
    SELECT b.intersection_id, b.day, w.id AS window_id,
           COALESCE(w.covered_seconds, extract(epoch FROM w.ends_at - w.starts_at)) AS covered,
           wc.category, wc.exposures,
           GREATEST(wc.violations - COALESCE(r.n, 0), 0) AS violations
      FROM bounds b
      JOIN cameras c ON c.intersection_id = b.intersection_id
      JOIN LATERAL (SELECT * FROM windows w WHERE w.camera_id = c.id AND w.starts_at >= b.lo AND w.starts_at < b.hi AND w.status = 'done') w ON true
      JOIN window_counts wc ON wc.window_id = w.id
      LEFT JOIN LATERAL (SELECT count(*) AS n FROM violations v
                          WHERE v.window_id = w.id AND v.category = wc.category AND v.review_status = 'rejected') r ON true
  ),
  per_window AS (
    SELECT intersection_id, day, window_id, covered, sum(exposures) AS exposures, sum(violations) AS violations
      FROM per_count GROUP BY intersection_id, day, window_id, covered
  )
  SELECT intersection_id, day, category, count(*), sum(covered), sum(exposures), sum(violations) FROM per_count GROUP BY intersection_id, day, category
  UNION ALL
  SELECT intersection_id, day, 'all', count(*), sum(covered), sum(exposures), sum(violations) FROM per_window GROUP BY intersection_id, day;

  DELETE FROM figures_month f
   USING (SELECT DISTINCT i, date_trunc('month', d)::date AS m FROM unnest(ids, days) AS x(i, d)) x
   WHERE f.intersection_id = x.i AND f.month = x.m;
  INSERT INTO figures_month (intersection_id, month, category, windows, covered_seconds, exposures, violations)
  SELECT f.intersection_id, x.m, f.category, sum(f.windows), sum(f.covered_seconds), sum(f.exposures), sum(f.violations)
    FROM (SELECT DISTINCT i, date_trunc('month', d)::date AS m FROM unnest(ids, days) AS x(i, d)) x
    JOIN figures_day f ON f.intersection_id = x.i AND f.day >= x.m AND f.day < (x.m + interval '1 month')::date
   GROUP BY f.intersection_id, x.m, f.category;

  DELETE FROM figures_city_day WHERE day IN (SELECT DISTINCT unnest(days));
  INSERT INTO figures_city_day (day, category, windows, covered_seconds, exposures, violations)
  SELECT day, category, sum(windows), sum(covered_seconds), sum(exposures), sum(violations)
    FROM figures_day WHERE day IN (SELECT DISTINCT unnest(days)) GROUP BY day, category;
  UPDATE figures_version SET version = version + 1;
  RETURN (SELECT version FROM figures_version);
END
$$;

-- Figures for what is already stored.
SELECT figures_mark(array_agg(c.intersection_id), array_agg((w.starts_at AT TIME ZONE i.time_zone)::date))
  FROM windows w JOIN cameras c ON c.id = w.camera_id JOIN intersections i ON i.id = c.intersection_id
 WHERE w.status = 'done';
SELECT figures_refresh();
