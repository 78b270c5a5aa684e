-- Merchant alerts on Telegram (docs/alerts.md): the outbox already holds one
-- row per event and channel; a row now also says when it may be tried next —
-- a lease while one delivery runs (so a duplicated queue message does not
-- send twice), or the wait a 429 asked for.
ALTER TABLE outbox ADD COLUMN next_attempt_at INTEGER;
