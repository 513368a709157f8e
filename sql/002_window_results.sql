-- Window results need what a reviewer and a rate both rely on: how many
-- events the rules could not judge (never silently dropped), the decode
-- report (gaps, missing frames) and which road users were seen.
ALTER TABLE windows
  ADD COLUMN frames_analysed integer CHECK (frames_analysed >= 0),
  ADD COLUMN decode_report   jsonb,
  ADD COLUMN duration_ms     integer CHECK (duration_ms >= 0);

ALTER TABLE window_counts
  ADD COLUMN unjudged integer NOT NULL DEFAULT 0 CHECK (unjudged >= 0);
