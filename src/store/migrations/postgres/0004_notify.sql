-- Notifications: channels, addresses, messages and reader cursors. The same tables and meaning
-- as migrations/sqlite/0004_notify.sql, with BOOLEAN flags and identity columns.

CREATE TABLE notify_channels (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk', 'feishu', 'smtp', 'webhook')),
  enabled BOOLEAN NOT NULL DEFAULT TRUE,
  config TEXT NOT NULL DEFAULT '{}',
  sealed_secrets TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE notify_addresses (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('user', 'department')),
  owner TEXT NOT NULL,
  channel_id BIGINT NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
  target TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
  UNIQUE (owner_kind, owner, channel_id, target)
);
CREATE INDEX notify_addresses_channel ON notify_addresses (channel_id);

CREATE TABLE notify_messages (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source TEXT NOT NULL,
  channel_id BIGINT NOT NULL REFERENCES notify_channels (id) ON DELETE CASCADE,
  target TEXT NOT NULL DEFAULT '',
  locale TEXT NOT NULL DEFAULT 'zh-CN',
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
  attempts BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  UNIQUE (source, channel_id, target)
);
CREATE INDEX notify_messages_due ON notify_messages (state, next_attempt_at, id);
CREATE INDEX notify_messages_channel ON notify_messages (channel_id, state);

CREATE TABLE notify_cursors (
  name TEXT PRIMARY KEY,
  position BIGINT NOT NULL
);
