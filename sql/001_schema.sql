-- Schema v1: sites, the footage catalog, and processing results.
-- Times are timestamptz (UTC in code); a site's time zone is only for display
-- and sampling. Later changes go in new numbered files; never edit this one.

-- Sites ---------------------------------------------------------------------

CREATE TABLE intersections (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code             text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  name             text NOT NULL CHECK (name <> ''),
  district         text,
  responsible_unit text,
  time_zone        text NOT NULL CHECK (time_zone <> ''),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cameras (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- The recordings folder name: ROOT/<code>/<date>/<time>.mp4.
  code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$'),
  intersection_id bigint NOT NULL REFERENCES intersections (id) ON DELETE RESTRICT,
  name            text,
  width           integer NOT NULL CHECK (width > 0),
  height          integer NOT NULL CHECK (height > 0),
  -- The sites-file calibration (pipelines/sites/schema.ts); NULL until calibrated.
  calibration     jsonb CHECK (calibration IS NULL OR jsonb_typeof(calibration) = 'object'),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cameras_intersection_idx ON cameras (intersection_id);

-- Footage catalog -------------------------------------------------------------

-- One row per recording file. Keyed by camera code text, not a foreign key:
-- files of cameras not yet in the sites are catalogued too, so that problems
-- show before the site is imported.
CREATE TABLE footage_segments (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  camera_code   text NOT NULL CHECK (camera_code <> ''),
  path          text NOT NULL UNIQUE,
  status        text NOT NULL CHECK (status IN ('ok', 'unreadable')),
  reason        text,
  starts_at     timestamptz,
  ends_at       timestamptz,
  -- Where starts_at came from: the file name (in the site's time zone) or the
  -- container's creation_time tag.
  time_source   text CHECK (time_source IN ('name', 'creation_time')),
  time_zone     text,
  duration_s    double precision CHECK (duration_s > 0),
  creation_time timestamptz,
  codec         text,
  width         integer CHECK (width > 0),
  height        integer CHECK (height > 0),
  fps           double precision CHECK (fps > 0),
  frame_count   integer CHECK (frame_count >= 0),
  bytes         bigint NOT NULL CHECK (bytes >= 0),
  mtime         timestamptz NOT NULL,
  scanned_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (status = 'ok' OR reason IS NOT NULL),
  CHECK (status = 'unreadable' OR (starts_at IS NOT NULL AND ends_at > starts_at AND duration_s IS NOT NULL
                                   AND codec IS NOT NULL AND width IS NOT NULL AND height IS NOT NULL)),
  CHECK (ends_at IS NULL OR starts_at IS NOT NULL)
);
CREATE INDEX footage_segments_camera_time_idx ON footage_segments (camera_code, starts_at) WHERE status = 'ok';

-- Processing ------------------------------------------------------------------

-- One invocation of the pipeline over a set of windows (assessment month,
-- nightly job, manual run). params holds what reproduces it (month, seed, rules).
CREATE TABLE runs (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind        text NOT NULL CHECK (kind <> ''),
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed', 'cancelled')),
  reason      text,
  params      jsonb NOT NULL DEFAULT '{}'::jsonb,
  seed        bigint,
  created_at  timestamptz NOT NULL DEFAULT now(),
  started_at  timestamptz,
  finished_at timestamptz,
  CHECK (status <> 'failed' OR reason IS NOT NULL),
  CHECK (finished_at IS NULL OR started_at IS NULL OR finished_at >= started_at)
);

-- A window of one camera's footage. (camera, starts_at, ends_at) identifies it,
-- so processing the same window again replaces its rows rather than adding to them.
CREATE TABLE windows (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id          bigint REFERENCES runs (id) ON DELETE SET NULL,
  camera_id       bigint NOT NULL REFERENCES cameras (id) ON DELETE CASCADE,
  starts_at       timestamptz NOT NULL,
  ends_at         timestamptz NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'failed')),
  -- Why the window failed (file, cause), or a note on partial coverage.
  reason          text,
  model_version   text,
  rules_version   text,
  -- Seconds of the window that footage covered (less than its length at gaps).
  covered_seconds double precision CHECK (covered_seconds >= 0),
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  processed_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (camera_id, starts_at, ends_at),
  CHECK (ends_at > starts_at),
  CHECK (status <> 'failed' OR reason IS NOT NULL),
  CHECK (status <> 'done' OR (processed_at IS NOT NULL AND model_version IS NOT NULL AND rules_version IS NOT NULL))
);
CREATE INDEX windows_run_idx ON windows (run_id);
CREATE INDEX windows_camera_time_idx ON windows (camera_id, starts_at);
CREATE INDEX windows_status_idx ON windows (status) WHERE status IN ('pending', 'running', 'failed');

-- Exposures and violations per category of a processed window (every category,
-- zeros included, so rates know their sample size).
CREATE TABLE window_counts (
  window_id  bigint NOT NULL REFERENCES windows (id) ON DELETE CASCADE,
  category   text NOT NULL CHECK (category IN ('red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk')),
  exposures  integer NOT NULL CHECK (exposures >= 0),
  violations integer NOT NULL CHECK (violations >= 0),
  PRIMARY KEY (window_id, category),
  -- A violator was exposed: compliance rate = 1 - violations / exposures stays in [0, 1].
  CHECK (violations <= exposures)
);

CREATE TABLE violations (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  window_id       bigint NOT NULL REFERENCES windows (id) ON DELETE CASCADE,
  category        text NOT NULL CHECK (category IN ('red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk')),
  -- Tracker id, unique within the window.
  track_id        integer NOT NULL CHECK (track_id >= 0),
  road_user_class text NOT NULL CHECK (road_user_class IN ('vehicle', 'large_vehicle', 'non_motor', 'pedestrian')),
  -- Approach id (vehicle categories) or crosswalk / carriageway id (jaywalk).
  zone_id         text NOT NULL,
  signal_id       text,
  -- The decisive moment (stop-line crossing, carriageway entry), absolute time.
  t               timestamptz NOT NULL,
  score           real NOT NULL CHECK (score >= 0 AND score <= 1),
  -- Folder of the annotated evidence frames, relative to the evidence directory.
  evidence_path   text,
  -- [before the line, past the line, continued]: {frameIndex, t, box} each.
  moments         jsonb NOT NULL CHECK (jsonb_typeof(moments) = 'array'),
  review_status   text NOT NULL DEFAULT 'pending' CHECK (review_status IN ('pending', 'confirmed', 'rejected')),
  reviewed_at     timestamptz,
  reviewed_by     text,
  review_note     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  -- One violation per road user and category in a window: no double counting.
  UNIQUE (window_id, category, track_id),
  CHECK (review_status = 'pending' OR reviewed_at IS NOT NULL)
);
CREATE INDEX violations_review_queue_idx ON violations (created_at) WHERE review_status = 'pending';
CREATE INDEX violations_category_t_idx ON violations (category, t);
