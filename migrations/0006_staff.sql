-- 職員画面: staff accounts with two-factor login, member support, the inquiry queue, audit.

-- Staff accounts: separate from members. The login ID is the staff member's address.
CREATE TABLE staff (
    id                TEXT    PRIMARY KEY,
    name              TEXT    NOT NULL,
    email             TEXT    NOT NULL,
    email_norm        TEXT    NOT NULL UNIQUE,
    role              TEXT    NOT NULL,   -- admin (管理者) | agent (担当者)
    password_hash     TEXT,               -- NULL until the setup link is used
    totp_secret       TEXT,               -- sealed (backend::secret::seal), NULL until set up
    totp_last_step    BIGINT  NOT NULL DEFAULT 0,  -- the last accepted code's time step (no replay)
    setup_token_hash  TEXT    UNIQUE,     -- the one-time setup link
    setup_secret      TEXT,               -- the TOTP secret the setup page shows (sealed)
    setup_expires_at  BIGINT,
    disabled_at       BIGINT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);

-- 10 single-use backup codes per staff member (hashes only).
CREATE TABLE staff_backup_codes (
    staff_id   TEXT   NOT NULL REFERENCES staff (id),
    code_hash  TEXT   NOT NULL,
    used_at    BIGINT,
    PRIMARY KEY (staff_id, code_hash)
);

-- Staff sessions (cookie scoped to /staff), shared by every instance.
CREATE TABLE staff_sessions (
    id_hash       TEXT   PRIMARY KEY,
    staff_id      TEXT   NOT NULL REFERENCES staff (id),
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    client_ip     TEXT
);
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

-- Who did it (a staff member) beside whom it concerned (a member's account).
ALTER TABLE audit_log ADD COLUMN staff_id TEXT;
-- The member page and the 監査ログ filters read by account and by staff member.
CREATE INDEX audit_log_account ON audit_log (account_id, at);
CREATE INDEX audit_log_staff ON audit_log (staff_id, at);

-- 利用停止 by staff: the account can no longer log in (nothing is deleted).
ALTER TABLE accounts ADD COLUMN disabled_at BIGINT;

-- The member page lists the last mails sent to a member's addresses.
CREATE INDEX mail_outbox_recipient ON mail_outbox (recipient, created_at);

-- The inquiry queue: 未対応 (open) / 対応中 (in_progress) / 完了 (closed), an assignee,
-- internal notes and the replies sent.
ALTER TABLE inquiries ADD COLUMN assignee_id TEXT REFERENCES staff (id);
CREATE TABLE inquiry_entries (
    id          TEXT   PRIMARY KEY,
    inquiry_id  TEXT   NOT NULL REFERENCES inquiries (id),
    staff_id    TEXT   NOT NULL REFERENCES staff (id),
    kind        TEXT   NOT NULL,          -- note | reply
    body        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX inquiry_entries_inquiry ON inquiry_entries (inquiry_id, created_at);
