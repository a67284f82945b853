-- Limits that hold under parallel requests, a keyed hash for the audit log, stateless
-- CAPTCHAs, one account per address, and the sessions a member can see and end.

-- One row per limit and subject: counted with one atomic upsert that returns the new count
-- (README.md "Security notes"). Replaces count-then-insert.
DROP TABLE rate_events;
CREATE TABLE rate_counters (
    key           TEXT   PRIMARY KEY,     -- kind:keyed hash of the subject
    window_start  BIGINT NOT NULL,        -- the count restarts when the window has passed
    count         BIGINT NOT NULL
);

-- The attempt before this one, read by the same statement that counts it (login delays).
ALTER TABLE login_throttle ADD COLUMN prev_failure_at BIGINT NOT NULL DEFAULT 0;

-- Secrets generated once and shared by every instance (e.g. the audit log's HMAC key).
CREATE TABLE server_secrets (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- CAPTCHAs carry their own signed answer; only a checked one is written (single use).
DROP TABLE captchas;
CREATE TABLE captchas_used (
    id_hash     TEXT   PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);

-- An address belongs to at most one account (the forgot flow must never choose).
DROP INDEX account_emails_norm;
CREATE UNIQUE INDEX account_emails_norm ON account_emails (email_norm);

-- ログイン中の端末
ALTER TABLE sessions ADD COLUMN user_agent TEXT;

-- The worker that holds a mail's lease (fencing: a worker whose lease ran out sends nothing).
ALTER TABLE mail_outbox ADD COLUMN lease_token TEXT;
