-- Money safety: every Djomy transaction of an order is recorded and followed,
-- caps on OTP codes and on prompts per phone, once-only merchant events keyed
-- per event (a duplicate charge is announced for each extra transaction) and
-- per delivery channel, and when a payment was paid.

-- Every Djomy transaction created for an order, the current one included
-- (payments.transaction_id names the current one). A transaction stays
-- followed until Djomy reports it closed, whatever the order's own status:
-- money taken on a second transaction must never go unnoticed.
CREATE TABLE payment_transactions (
  transaction_id TEXT PRIMARY KEY,                 -- Djomy's transactionId
  payment_id     TEXT NOT NULL REFERENCES payments (id),
  status         TEXT NOT NULL,                    -- Djomy's last word on it (a hint until verified_at is set)
  origin         TEXT NOT NULL CHECK (origin IN ('create', 'found')), -- our create's answer, or found later (list, webhook)
  next_url       TEXT,                             -- the portal or wallet URL the create answer gave
  paid_amount    INTEGER,
  flag           TEXT,                             -- duplicate_charge, amount_mismatch, … (needs a human)
  verified_at    INTEGER,                          -- last answer of the status endpoint
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX payment_transactions_by_payment ON payment_transactions (payment_id, created_at);
-- The cron follows open transactions, least recently checked first.
CREATE INDEX payment_transactions_open ON payment_transactions (coalesce(verified_at, created_at))
  WHERE status NOT IN ('SUCCESS', 'FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED');
CREATE INDEX payment_transactions_flagged ON payment_transactions (created_at) WHERE flag IS NOT NULL;

INSERT INTO payment_transactions
  (transaction_id, payment_id, status, origin, next_url, paid_amount, verified_at, created_at, updated_at)
SELECT transaction_id, id, status, 'create', next_url, paid_amount, verified_at, created_at, updated_at
FROM payments WHERE transaction_id IS NOT NULL;

-- OTP codes that reached Djomy for this payment (at most 5).
ALTER TABLE payments ADD COLUMN otp_attempts INTEGER NOT NULL DEFAULT 0;
-- When the payment became paid (the console's revenue is counted by this).
ALTER TABLE payments ADD COLUMN paid_at INTEGER;
UPDATE payments SET paid_at = updated_at WHERE paid = 1;
CREATE INDEX payments_by_paid ON payments (paid_at) WHERE paid_at IS NOT NULL;
-- When a create's answer was first lost (Djomy may have created a transaction we never heard
-- of), and when the cron last searched Djomy's list for this payment's transactions.
ALTER TABLE payments ADD COLUMN lost_create_at INTEGER;
ALTER TABLE payments ADD COLUMN swept_at INTEGER;
-- Prompts per payer phone: direct payments of one phone in the last minutes.
CREATE INDEX payments_direct_by_phone ON payments (payer_phone, created_at) WHERE flow = 'direct';
-- The cron's lane for payments whose Djomy transactions may be unknown to us.
CREATE INDEX payments_to_sweep ON payments (coalesce(swept_at, 0), created_at)
  WHERE transaction_id IS NULL OR lost_create_at IS NOT NULL;
-- Retention: closed payments by age.
CREATE INDEX payments_by_updated ON payments (updated_at) WHERE payer_phone IS NOT NULL;
CREATE INDEX idempotency_keys_by_created ON idempotency_keys (created_at);

-- The outbox, rebuilt: one row per event and delivery channel. `event_key` is
-- what makes an event once-only: its type, or, for a duplicate charge, the
-- type and the extra transaction (each one is announced).
CREATE TABLE outbox_v2 (
  id              TEXT PRIMARY KEY,                -- the Standard Webhooks webhook-id, stable across retries
  payment_id      TEXT NOT NULL REFERENCES payments (id),
  type            TEXT NOT NULL,                   -- payment.succeeded, payment.failed, payment.refunded, payment.flagged
  event_key       TEXT NOT NULL,
  channel         TEXT NOT NULL DEFAULT 'webhook',
  payload         TEXT NOT NULL,                   -- the exact JSON body delivered
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'gone', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  last_attempt_at INTEGER,
  delivered_at    INTEGER,
  UNIQUE (payment_id, event_key, channel)
);
INSERT INTO outbox_v2 (id, payment_id, type, event_key, channel, payload, state, attempts, last_error,
                       created_at, last_attempt_at, delivered_at)
SELECT id, payment_id, type, type, 'webhook', payload, state, attempts, last_error,
       created_at, last_attempt_at, delivered_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_v2 RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (created_at) WHERE state = 'pending';
CREATE INDEX outbox_by_payment ON outbox (payment_id, created_at);
