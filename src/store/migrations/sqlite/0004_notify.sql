-- Notifications: the channels an admin configures (robots, SMTP, webhooks), the addresses of
-- people and departments on those channels, and one message row per (source, channel, target)
-- that the notify worker sends with retries.
--
-- A channel's secrets (robot keys, signing secrets, SMTP passwords) are stored only sealed with
-- libsodium's crypto_secretbox under the key file <data_dir>/secret.key, as base64 of the nonce
-- followed by the ciphertext; the API never returns them.

CREATE TABLE notify_channels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'feishu', 'smtp', 'webhook')),
  enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  config TEXT NOT NULL DEFAULT '{}',
  sealed_secrets TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- owner_kind 'user': owner is the user's row id in decimal; 'department': the department name
-- as rule packs write it in their recipients.
CREATE TABLE notify_addresses (
  id INTEGER PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'department')),
  owner TEXT NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
  target TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  UNIQUE (owner_kind, owner, channel_id, target)
);
CREATE INDEX notify_addresses_channel ON notify_addresses (channel_id);

-- source: "outbox:<alert_outbox.seq>", "digest:<user id>:<week>" or "test:<channel>:<time>".
-- The unique key makes a second expansion of the same source a no-op, so an alert change
-- yields at most one message per channel and target.
-- state: pending -> sending -> sent; pending again (with next_attempt_at) after a retryable
-- failure; failed after the last attempt or a permanent error; unknown when the process
-- stopped while the message was being sent.
CREATE TABLE notify_messages (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  channel_id INTEGER NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
  target TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'zh-CN',
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  UNIQUE (source, channel_id, target)
);
CREATE INDEX notify_messages_due ON notify_messages (state, next_attempt_at, id);
CREATE INDEX notify_messages_channel ON notify_messages (channel_id, state);

-- Positions of readers of append-only tables, such as the notify worker in alert_outbox.
CREATE TABLE notify_cursors (
  name TEXT PRIMARY KEY,
  position INTEGER NOT NULL
);
