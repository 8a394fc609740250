-- The cluster tables of migrations/postgres/0005_cluster.sql, kept the same here so that the
-- schema versions match and `salesradar migrate` can copy them. A single SQLite node leases
-- nothing; the bucket columns are still filled (store/subject_bucket.h) but not indexed, since
-- one node reads every bucket.

ALTER TABLE events ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rule_windows ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;

ALTER TABLE rule_counters ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;

ALTER TABLE alerts ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;

ALTER TABLE tickets ADD COLUMN bucket INTEGER NOT NULL DEFAULT 0;

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
  epoch INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL DEFAULT 0,
  renewed_at INTEGER NOT NULL DEFAULT 0
);

-- The nodes that have heartbeated, for operators and for sharing partitions out fairly.
CREATE TABLE cluster_nodes (
  node_id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
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
-- it was raised (store/sqlite/sqlite_alert_query.cc uses these very expressions).
CREATE INDEX alerts_owner ON alerts (json_extract(body, '$.owner_id'));
CREATE INDEX alerts_raised ON alerts (json_extract(body, '$.raised_at'), id);

-- Alert actions (acknowledge, snooze, resolve) that a node passes to the node leasing the alert's
-- partition. The owner applies a pending row and writes the outcome; the asking node waits for it.
-- Only PostgreSQL clusters use it; SQLite keeps the same schema.
CREATE TABLE alert_actions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
