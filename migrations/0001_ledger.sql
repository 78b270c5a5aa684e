-- The payment ledger. Money is integers in the currency's smallest unit
-- (GNF has none, so 30000 means 30 000 GNF). Times are Unix milliseconds.

CREATE TABLE products (
  sku        TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  amount     INTEGER NOT NULL CHECK (amount > 0),
  currency   TEXT NOT NULL DEFAULT 'GNF',
  active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  updated_at INTEGER NOT NULL
);

CREATE TABLE payment_links (
  reference          TEXT PRIMARY KEY,            -- Djomy's paymentLinkReference
  usage_type         TEXT NOT NULL CHECK (usage_type IN ('UNIQUE', 'MULTIPLE')),
  usage_limit        INTEGER,
  amount             INTEGER,                     -- NULL: the payer types the amount
  country_code       TEXT NOT NULL,
  link_name          TEXT,
  merchant_reference TEXT,
  page_url           TEXT NOT NULL,
  status             TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL
);

CREATE TABLE payments (
  id               TEXT PRIMARY KEY,              -- pay_<160 random bits>, the public key
  flow             TEXT NOT NULL CHECK (flow IN ('gateway', 'direct', 'link', 'external')),
  status           TEXT NOT NULL CHECK (status IN
                     ('CREATED','PENDING','REDIRECTED','SUCCESS','CAPTURED','FAILED','CANCELLED','TIMEOUT','REFUNDED')),
  paid             INTEGER NOT NULL DEFAULT 0 CHECK (paid IN (0, 1)),
  version          INTEGER NOT NULL DEFAULT 0,    -- compare-and-set guard for status changes
  transition_id    TEXT,                          -- random id of the last applied change: its event rows follow it
  amount           INTEGER NOT NULL,              -- what the order costs
  currency         TEXT NOT NULL,
  country_code     TEXT NOT NULL,
  payment_method   TEXT,
  payer_phone      TEXT,                          -- normalised 00<cc><number>; never logged unmasked
  reference        TEXT,                          -- the merchant's order reference
  items            TEXT,                          -- JSON [{sku, name, quantity, unitAmount}]
  metadata         TEXT,                          -- JSON flat object
  allowed_methods  TEXT,                          -- JSON array (gateway)
  success_url      TEXT,
  cancel_url       TEXT,
  transaction_id   TEXT UNIQUE,                   -- Djomy's transactionId, once created there
  next_url         TEXT,                          -- portal (gateway) or wallet page (KULU)
  link_reference   TEXT REFERENCES payment_links (reference),
  paid_amount      INTEGER,                       -- from verify_payment
  received_amount  INTEGER,
  fees             INTEGER,
  djomy_currency   TEXT,                          -- Djomy's label as received (GNF, FCFA, Dollar, Leones)
  flag             TEXT,                          -- why a payment needs a human: amount_mismatch, …
  create_error     TEXT,                          -- JSON {kind, status, message} when Djomy creation failed
  close_reason     TEXT,                          -- why our ledger closed it (not Djomy)
  last_error       TEXT,                          -- last failed verify (kind and HTTP status), for dead letters
  verify_count     INTEGER NOT NULL DEFAULT 0,
  verified_at      INTEGER,                       -- last verify_payment answer
  expires_at       INTEGER NOT NULL,              -- after this, the cron may close it
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

-- Admin list: newest first, optionally by status; the cursor is (created_at, id).
CREATE INDEX payments_by_created ON payments (created_at DESC, id DESC);
CREATE INDEX payments_by_status_created ON payments (status, created_at DESC, id DESC);
-- The cron: open payments, oldest verify first.
CREATE INDEX payments_open_by_verified ON payments (verified_at, created_at)
  WHERE status IN ('CREATED', 'PENDING', 'REDIRECTED', 'CAPTURED');
CREATE INDEX payments_by_link ON payments (link_reference) WHERE link_reference IS NOT NULL;

-- Every status change (and every flag) with its source. Append-only.
CREATE TABLE payment_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  payment_id  TEXT NOT NULL REFERENCES payments (id),
  from_status TEXT,
  to_status   TEXT NOT NULL,
  source      TEXT NOT NULL CHECK (source IN ('create','otp','webhook','return','poll','schedule','cron','admin','link')),
  detail      TEXT,                               -- JSON
  created_at  INTEGER NOT NULL
);
CREATE INDEX payment_events_by_payment ON payment_events (payment_id, id);

CREATE TABLE idempotency_keys (
  key          TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,                     -- SHA-256 of the canonical request body
  payment_id   TEXT NOT NULL REFERENCES payments (id),
  created_at   INTEGER NOT NULL
);

-- Djomy webhooks as received (valid signature only), deduplicated by eventId.
CREATE TABLE webhook_events (
  event_id       TEXT PRIMARY KEY,
  event_type     TEXT NOT NULL,
  version        TEXT NOT NULL CHECK (version IN ('v1', 'v2')),
  transaction_id TEXT,
  link_reference TEXT,
  ignored        INTEGER NOT NULL DEFAULT 0,      -- payouts and unknown event types
  body           TEXT NOT NULL,
  received_at    INTEGER NOT NULL
);
CREATE INDEX webhook_events_by_received ON webhook_events (received_at DESC);

-- Merchant notifications, written in the same batch as the status change they announce.
CREATE TABLE outbox (
  id              TEXT PRIMARY KEY,               -- the Standard Webhooks webhook-id, stable across retries
  payment_id      TEXT NOT NULL REFERENCES payments (id),
  type            TEXT NOT NULL,                  -- payment.succeeded, payment.failed, payment.refunded, payment.flagged
  payload         TEXT NOT NULL,                  -- the exact JSON body delivered
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'gone', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  last_attempt_at INTEGER,
  delivered_at    INTEGER,
  UNIQUE (payment_id, type)
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE state = 'pending';

-- Jobs that exhausted their retries, and configuration problems met by jobs.
CREATE TABLE dead_letters (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  queue       TEXT NOT NULL,
  kind        TEXT NOT NULL,
  payment_id  TEXT,
  body        TEXT NOT NULL,
  error       TEXT,
  attempts    INTEGER,
  created_at  INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_created ON dead_letters (created_at DESC, id DESC);
