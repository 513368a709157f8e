-- API: access keys, the review audit trail, and indexes the API's reads need.
-- Owned by services/api. Never edit once applied: add a new numbered file.

-- One row per API key. Only the SHA-256 of the key is stored; the key itself
-- is printed once at creation. `prefix` (the key's first characters) lets a
-- person tell keys apart in lists without revealing them.
CREATE TABLE api_keys (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name         text NOT NULL CHECK (name <> '' AND length(name) <= 200),
  role         text NOT NULL CHECK (role IN ('viewer', 'reviewer', 'operator', 'admin')),
  prefix       text NOT NULL,
  key_hash     text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);

-- Every review decision, appended and never changed. No foreign key to
-- violations: reprocessing a window may replace its violation rows, and the
-- trail must outlive them, so it keeps what identifies the road user too.
CREATE TABLE review_audit (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  violation_id bigint NOT NULL,
  window_id    bigint NOT NULL,
  category     text NOT NULL,
  track_id     integer NOT NULL,
  key_id       bigint,
  actor        text NOT NULL,
  from_status  text NOT NULL CHECK (from_status IN ('pending', 'confirmed', 'rejected')),
  to_status    text NOT NULL CHECK (to_status IN ('confirmed', 'rejected')),
  reason       text,
  at           timestamptz NOT NULL DEFAULT now(),
  CHECK (to_status <> 'rejected' OR (reason IS NOT NULL AND reason <> ''))
);
CREATE INDEX review_audit_violation_idx ON review_audit (violation_id, at);

CREATE FUNCTION review_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'review_audit is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER review_audit_no_change BEFORE UPDATE OR DELETE ON review_audit
  FOR EACH ROW EXECUTE FUNCTION review_audit_append_only();
CREATE TRIGGER review_audit_no_truncate BEFORE TRUNCATE ON review_audit
  FOR EACH STATEMENT EXECUTE FUNCTION review_audit_append_only();

-- Rates subtract rejected violations per window and category.
CREATE INDEX api_violations_rejected_idx ON violations (window_id, category) WHERE review_status = 'rejected';
-- Violation lists page on (t, id); windows lists and city trends on starts_at.
CREATE INDEX api_violations_t_id_idx ON violations (t, id);
CREATE INDEX api_violations_window_idx ON violations (window_id);
CREATE INDEX api_windows_starts_id_idx ON windows (starts_at, id);
