-- The merchant's console (docs/console.md).

-- The wallets a link accepts, as chosen at its creation (a JSON array; NULL =
-- every wallet Djomy offers): the counter poster prints them.
ALTER TABLE payment_links ADD COLUMN allowed_methods TEXT;

-- "Needs attention" counts flagged payments without reading the whole ledger.
CREATE INDEX payments_flagged ON payments (created_at) WHERE flag IS NOT NULL;
