-- The first schema: organisation, customers, products, the pipeline, activities, custom fields.
--
-- Conventions: every entity table has an integer id, a unique external_id (the source system's
-- id), created_at and updated_at in UTC microseconds since the Unix epoch. A reference column is
-- <field>_id; money is <field>_fen (integer fen) plus <field>_currency (ISO 4217); a civil date is
-- TEXT 'YYYY-MM-DD'; a timestamp is INTEGER microseconds. name_key is model::NameKey(name), for
-- matching names that differ in case, width or white space.

CREATE TABLE org_units (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('company', 'region', 'team')),
  parent_id INTEGER REFERENCES org_units (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX org_units_name ON org_units (name);
CREATE INDEX org_units_name_key ON org_units (name_key);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('rep', 'manager', 'director', 'cs', 'admin')),
  org_unit_id INTEGER REFERENCES org_units (id) ON DELETE SET NULL,
  manager_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  email TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX users_name ON users (name);
CREATE INDEX users_name_key ON users (name_key);
CREATE INDEX users_manager ON users (manager_id);

CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  industry TEXT,
  employees INTEGER CHECK (employees >= 0),
  revenue_fen INTEGER CHECK (revenue_fen >= 0),
  revenue_currency TEXT CHECK (length(revenue_currency) = 3),
  region TEXT,
  parent_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  year_established INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX accounts_name ON accounts (name);
CREATE INDEX accounts_name_key ON accounts (name_key);

CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  title TEXT,
  phone TEXT,
  email TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_name ON contacts (name);
CREATE INDEX contacts_name_key ON contacts (name_key);
CREATE INDEX contacts_account ON contacts (account_id);

CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  series TEXT,
  list_price_fen INTEGER CHECK (list_price_fen >= 0),
  list_price_currency TEXT CHECK (length(list_price_currency) = 3),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX products_name ON products (name);
CREATE INDEX products_name_key ON products (name_key);

CREATE TABLE leads (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  company TEXT,
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  source TEXT,
  status TEXT,
  created_on TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX leads_name ON leads (name);
CREATE INDEX leads_name_key ON leads (name_key);
CREATE INDEX leads_owner ON leads (owner_id);

CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT,
  name_key TEXT,
  stage TEXT NOT NULL,
  amount_fen INTEGER CHECK (amount_fen >= 0),
  amount_currency TEXT CHECK (length(amount_currency) = 3),
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  product_id INTEGER REFERENCES products (id) ON DELETE SET NULL,
  engage_date TEXT,
  close_date TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX opportunities_name ON opportunities (name);
CREATE INDEX opportunities_name_key ON opportunities (name_key);
CREATE INDEX opportunities_stage ON opportunities (stage);
CREATE INDEX opportunities_owner ON opportunities (owner_id);
CREATE INDEX opportunities_account ON opportunities (account_id);
CREATE INDEX opportunities_product ON opportunities (product_id);

CREATE TABLE opportunity_stage_history (
  id INTEGER PRIMARY KEY,
  opportunity_id INTEGER NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
  from_stage TEXT,
  to_stage TEXT NOT NULL,
  changed_at INTEGER NOT NULL
);
CREATE INDEX opportunity_stage_history_opportunity
  ON opportunity_stage_history (opportunity_id, changed_at);

CREATE TABLE activities (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  type TEXT NOT NULL,
  actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  subject_type TEXT,
  subject_id INTEGER,
  occurred_at INTEGER NOT NULL,
  subject_text TEXT,
  payload TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX activities_subject ON activities (subject_type, subject_id, occurred_at);
CREATE INDEX activities_occurred_at ON activities (occurred_at);
CREATE INDEX activities_actor ON activities (actor_id, occurred_at);

-- Custom fields: a definition per (entity, name), and typed values per (field, entity row).
-- allowed_values is a JSON array of strings (enum fields only); target is the referenced kind.
CREATE TABLE custom_field_definitions (
  id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL
    CHECK (type IN ('string', 'enum', 'int', 'money', 'date', 'timestamp', 'bool', 'reference')),
  required INTEGER NOT NULL DEFAULT 0,
  allowed_values TEXT NOT NULL DEFAULT '[]',
  target TEXT,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (entity, name)
);

-- One typed column group is set per row, chosen by the definition's type: string_value for
-- string and enum, int_value for int, money_fen and money_currency, date_value ('YYYY-MM-DD'),
-- timestamp_value (UTC microseconds), bool_value (0 or 1), reference_id.
CREATE TABLE custom_field_values (
  field_id INTEGER NOT NULL REFERENCES custom_field_definitions (id) ON DELETE CASCADE,
  entity_id INTEGER NOT NULL,
  string_value TEXT,
  int_value INTEGER,
  money_fen INTEGER,
  money_currency TEXT,
  date_value TEXT,
  timestamp_value INTEGER,
  bool_value INTEGER CHECK (bool_value IN (0, 1)),
  reference_id INTEGER,
  PRIMARY KEY (field_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX custom_field_values_entity ON custom_field_values (entity_id);
