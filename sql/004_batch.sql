-- Batch processing (issue 6): assessor-style sampling plans and the windows
-- they drew, runs of a plan shared by pg-boss workers, daily rollups,
-- month-to-date ratings and pre-assessment simulations.
-- Owned by services/plan, services/queue, services/rollup, services/simulate.
-- pg-boss keeps its job tables in its own schema (pgboss) of this database.
-- Never edit once applied: add a new numbered file.

-- Plans ---------------------------------------------------------------------

-- One draw. params is the sampling request as given (period, hours, windows,
-- minutes, scope, strata, seed): with the same footage it draws the same
-- windows again; coverage_digest tells whether the catalog has changed since.
CREATE TABLE plans (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind            text NOT NULL CHECK (kind IN ('assessment', 'nightly')),
  params          jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  seed            text NOT NULL CHECK (seed <> ''),
  period_from     date NOT NULL,
  period_to       date NOT NULL,
  window_minutes  double precision NOT NULL CHECK (window_minutes > 0),
  window_count    integer NOT NULL CHECK (window_count >= 0),
  -- What the request could draw: eligible hours and capacity per camera,
  -- group and stratum (pipelines/sampling PlanDescription), or per camera for nightly plans.
  description     jsonb NOT NULL,
  coverage_digest text NOT NULL,
  -- One nightly plan per day: a nightly job that runs again finds it instead of drawing twice.
  nightly_date    date UNIQUE,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (period_to >= period_from),
  CHECK ((kind = 'nightly') = (nightly_date IS NOT NULL))
);

CREATE TABLE plan_windows (
  plan_id           bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  -- Position in the plan (sorted by start, then camera).
  seq               integer NOT NULL CHECK (seq >= 0),
  camera_code       text NOT NULL,
  intersection_code text NOT NULL,
  starts_at         timestamptz NOT NULL,
  ends_at           timestamptz NOT NULL,
  stratum           text NOT NULL,
  PRIMARY KEY (plan_id, seq),
  UNIQUE (plan_id, camera_code, starts_at),
  CHECK (ends_at > starts_at)
);

-- Runs ----------------------------------------------------------------------

ALTER TABLE runs ADD COLUMN plan_id bigint REFERENCES plans (id) ON DELETE RESTRICT;
-- One run per plan: `crosswatch run --plan ID` a second time finds the first
-- run and queues nothing, so no window is processed twice.
CREATE UNIQUE INDEX runs_plan_idx ON runs (plan_id) WHERE plan_id IS NOT NULL;

-- Each window of a run and where it stands. A row and its pg-boss job are
-- inserted in one transaction, so a window is queued exactly once per run.
-- 'queued' also covers a window waiting for its retry (reason holds the last error).
CREATE TABLE run_windows (
  run_id          bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  seq             integer NOT NULL CHECK (seq >= 0),
  status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
  reason          text,
  job_id          uuid NOT NULL,
  -- The windows row once a worker has started it.
  window_id       bigint REFERENCES windows (id) ON DELETE SET NULL,
  attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- Worker (host:pid) that last took it.
  worker          text,
  covered_seconds double precision CHECK (covered_seconds >= 0),
  started_at      timestamptz,
  finished_at     timestamptz,
  PRIMARY KEY (run_id, seq),
  CHECK (status <> 'failed' OR reason IS NOT NULL),
  CHECK (status NOT IN ('done', 'failed') OR finished_at IS NOT NULL)
);
CREATE INDEX run_windows_open_idx ON run_windows (run_id) WHERE status IN ('queued', 'running');

-- Rollups and ratings -------------------------------------------------------

-- Per intersection, local day (of the window start, in the intersection's
-- zone) and category: sums over its done windows. Refreshing a range of days
-- replaces their rows, so a refresh run twice gives the same rows.
CREATE TABLE daily_rollups (
  day             date NOT NULL,
  intersection_id bigint NOT NULL REFERENCES intersections (id) ON DELETE CASCADE,
  category        text NOT NULL CHECK (category IN ('red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk')),
  windows         integer NOT NULL CHECK (windows >= 0),
  covered_seconds double precision NOT NULL CHECK (covered_seconds >= 0),
  exposures       integer NOT NULL CHECK (exposures >= 0),
  -- As counted by the pipeline (sum of window_counts.violations).
  violations      integer NOT NULL CHECK (violations >= 0),
  -- Of those, rejected by a reviewer (at most the window's count): rates use violations - rejected.
  rejected        integer NOT NULL CHECK (rejected >= 0),
  unjudged        integer NOT NULL CHECK (unjudged >= 0),
  refreshed_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (day, intersection_id, category),
  CHECK (rejected <= violations AND violations <= exposures)
);
CREATE INDEX daily_rollups_intersection_idx ON daily_rollups (intersection_id, day);

-- Month-to-date rating per intersection and category ('all' = every
-- category together), from the daily rollups; violations here are after
-- rejections. Rate and interval are NULL without exposures.
CREATE TABLE monthly_ratings (
  month               date NOT NULL CHECK (extract(day FROM month) = 1),
  intersection_id     bigint NOT NULL REFERENCES intersections (id) ON DELETE CASCADE,
  category            text NOT NULL CHECK (category IN ('all', 'red_light', 'non_motor_red_light', 'stop_line_overrun', 'jaywalk')),
  -- Last local day with processed windows.
  through_day         date NOT NULL,
  days                integer NOT NULL CHECK (days >= 0),
  windows             integer NOT NULL CHECK (windows >= 0),
  covered_seconds     double precision NOT NULL CHECK (covered_seconds >= 0),
  exposures           integer NOT NULL CHECK (exposures >= 0),
  violations          integer NOT NULL CHECK (violations >= 0),
  compliance_rate     double precision CHECK (compliance_rate BETWEEN 0 AND 1),
  ci_low              double precision,
  ci_high             double precision,
  violations_per_hour double precision,
  refreshed_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (month, intersection_id, category),
  CHECK ((exposures = 0) = (compliance_rate IS NULL))
);

-- Pre-assessment ------------------------------------------------------------

-- One `crosswatch simulate`: its parameters (N, L, D, seed, rule, length
-- policy), what it rests on, and the whole result (pipelines/assessment PreAssessment).
CREATE TABLE simulations (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  month             date NOT NULL CHECK (extract(day FROM month) = 1),
  params            jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  -- Done windows of the month found, and how many the city-wide estimate used.
  windows_found     integer NOT NULL CHECK (windows_found >= 0),
  windows_used      integer NOT NULL CHECK (windows_used >= 0),
  results           jsonb NOT NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX simulations_month_idx ON simulations (month, created_at);

-- The headline figures per target ('city' or an intersection code), for lists
-- without unpacking results. A refused intersection has a refusal and no figures.
CREATE TABLE simulation_results (
  simulation_id    bigint NOT NULL REFERENCES simulations (id) ON DELETE CASCADE,
  target           text NOT NULL,
  windows_used     integer NOT NULL CHECK (windows_used >= 0),
  expected_score   double precision,
  score_p5         double precision,
  score_p95        double precision,
  pass_probability double precision CHECK (pass_probability BETWEEN 0 AND 1),
  refusal          text,
  PRIMARY KEY (simulation_id, target),
  CHECK ((refusal IS NULL) = (expected_score IS NOT NULL))
);
