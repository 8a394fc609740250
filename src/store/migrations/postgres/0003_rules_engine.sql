-- The rules engine: the event log, rule pack versions and the engine state. The same tables
-- and meaning as migrations/sqlite/0003_rules_engine.sql, with BOOLEAN flags and identity
-- columns. Engine state rows keep the JSON forms of rules/state_json.h in `body`.

CREATE TABLE events (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  actor TEXT NOT NULL DEFAULT '',
  occurred_at BIGINT NOT NULL,
  received_at BIGINT NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  origin_rule TEXT NOT NULL DEFAULT '',
  causation_depth BIGINT NOT NULL DEFAULT 0 CHECK (causation_depth >= 0)
);
CREATE INDEX events_occurred_at ON events (occurred_at, id);
CREATE INDEX events_subject ON events (subject_type, subject_id, occurred_at);

CREATE TABLE rule_pack_versions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  pack_id TEXT NOT NULL,
  version BIGINT NOT NULL CHECK (version >= 1),
  yaml TEXT NOT NULL,
  published_at BIGINT NOT NULL,
  published_by TEXT NOT NULL,
  active BOOLEAN NOT NULL DEFAULT FALSE,
  UNIQUE (pack_id, version)
);
CREATE UNIQUE INDEX rule_pack_versions_one_active ON rule_pack_versions (pack_id) WHERE active;

CREATE TABLE rule_windows (
  pack_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  deadline BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (pack_id, rule_id, subject_type, subject_id)
);
CREATE INDEX rule_windows_deadline ON rule_windows (deadline);

CREATE TABLE rule_counters (
  pack_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (pack_id, rule_id, subject_type, subject_id)
);

-- One row per alert; `resolved` rows are kept for reports and never loaded at restart.
CREATE TABLE alerts (
  id TEXT PRIMARY KEY,
  pack_id TEXT NOT NULL,
  rule_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id TEXT NOT NULL,
  level TEXT NOT NULL,
  status TEXT NOT NULL,
  resolved BOOLEAN NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX alerts_unresolved ON alerts (resolved, id);
CREATE INDEX alerts_subject ON alerts (subject_type, subject_id);

-- The alert's history, append-only, numbered by the engine's sequence within the alert.
CREATE TABLE alert_history (
  alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  sequence BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (alert_id, sequence)
);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,
  alert_id TEXT NOT NULL,
  department TEXT NOT NULL,
  open BOOLEAN NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX tickets_open ON tickets (open, id);

CREATE TABLE processed_events (
  event_id TEXT PRIMARY KEY,
  processed_at BIGINT NOT NULL
);

-- Alert changes waiting for the notifiers, in the order the engine made them.
CREATE TABLE alert_outbox (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT
);
CREATE INDEX alert_outbox_unsent ON alert_outbox (sent_at, seq);
