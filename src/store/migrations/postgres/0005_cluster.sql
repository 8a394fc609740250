-- Several nodes on one database (docs/operations.md). Every subject hashes into one of 1024
-- buckets (store/subject_bucket.h); partition p of a cluster with N partitions is the set of
-- buckets b with b % N = p. Events and engine state carry their bucket so that the node that
-- leases a partition reads only its rows.

ALTER TABLE events ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_bucket_seq ON events (bucket, seq);

ALTER TABLE rule_windows ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rule_windows_bucket ON rule_windows (bucket);

ALTER TABLE rule_counters ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX rule_counters_bucket ON rule_counters (bucket);

ALTER TABLE alerts ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX alerts_bucket_unresolved ON alerts (bucket) WHERE NOT resolved;

ALTER TABLE tickets ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX tickets_bucket_open ON tickets (bucket) WHERE open;

-- Settings the nodes of a cluster must agree on, such as the partition count.
CREATE TABLE cluster_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Leases with expiry: "partition/<p>" for the engine of a partition, "notifier" for the one node
-- that sends notifications. Times are microseconds since the epoch on the database's clock.
-- `epoch` grows by one at every change of holder, so a write fenced by (node_id, epoch) fails
-- once another node has taken the lease over.
CREATE TABLE leases (
  name TEXT PRIMARY KEY,
  node_id TEXT NOT NULL DEFAULT '',
  epoch BIGINT NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL DEFAULT 0,
  renewed_at BIGINT NOT NULL DEFAULT 0
);

-- The nodes that have heartbeated, for operators and for sharing partitions out fairly.
CREATE TABLE cluster_nodes (
  node_id TEXT PRIMARY KEY,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  listen TEXT NOT NULL DEFAULT '',
  version TEXT NOT NULL DEFAULT ''
);

-- Notification settings an admin changes at run time (GET/PUT /api/v1/notify/settings), such as
-- digest_weekday, digest_hour and digest_time_zone. A name without a row takes the server's
-- configured value.
CREATE TABLE notify_settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Alert lists join the owner that the alert body names to the users table and sort by the time
-- it was raised (store/postgres/pg_alert_query.cc uses these very expressions).
CREATE INDEX alerts_owner ON alerts ((body::jsonb ->> 'owner_id'));
CREATE INDEX alerts_raised ON alerts (((body::jsonb ->> 'raised_at')::bigint), id COLLATE "C");

-- Alert actions (acknowledge, snooze, resolve) that a node passes to the node leasing the alert's
-- partition. The owner applies a pending row and writes the outcome; the asking node waits for it.
-- Only PostgreSQL clusters use it; SQLite keeps the same schema.
CREATE TABLE alert_actions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  kind TEXT NOT NULL,
  actor TEXT NOT NULL,
  until_at BIGINT NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT '',
  requested_at BIGINT NOT NULL,
  done BOOLEAN NOT NULL DEFAULT FALSE,
  error_code TEXT NOT NULL DEFAULT '',  -- ErrorCodeName of the failure; empty when it succeeded
  message_zh TEXT NOT NULL DEFAULT '',
  message_en TEXT NOT NULL DEFAULT ''
);
CREATE INDEX alert_actions_pending ON alert_actions (bucket) WHERE NOT done;
