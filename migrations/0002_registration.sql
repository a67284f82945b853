-- The registration wizard's browser binding, CAPTCHAs and rate limits.

-- Steps 3 and 5 are shown only to the browser that passed step 2 (or step 4):
-- it holds a cookie whose hash is stored here.
ALTER TABLE registrations ADD COLUMN browser_token_hash TEXT;
CREATE UNIQUE INDEX registrations_browser ON registrations (browser_token_hash);

-- 認証文字: one-time, expiring.
CREATE TABLE captchas (
    id          TEXT   PRIMARY KEY,
    answer      TEXT   NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- One row per counted event (a mail sent to an address, a form posted by a client...).
CREATE TABLE rate_events (
    key  TEXT   NOT NULL,
    at   BIGINT NOT NULL
);
CREATE INDEX rate_events_key_at ON rate_events (key, at);
