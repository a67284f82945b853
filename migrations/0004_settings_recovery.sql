-- プロフィール設定 (address changes waiting for their confirmation link) and
-- ログインID・パスワード忘れた方 (one-time links to set a new password).

-- A new or changed address takes effect only once its owner clicks the link mailed to it.
CREATE TABLE email_changes (
    account_id   TEXT   NOT NULL REFERENCES accounts (id),
    slot         BIGINT NOT NULL,         -- 1..3
    email        TEXT   NOT NULL,
    email_norm   TEXT   NOT NULL,
    token_hash   TEXT   NOT NULL UNIQUE,
    expires_at   BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (account_id, slot)
);

CREATE TABLE password_resets (
    token_hash   TEXT   PRIMARY KEY,
    account_id   TEXT   NOT NULL REFERENCES accounts (id),
    expires_at   BIGINT NOT NULL,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);
CREATE INDEX password_resets_account ON password_resets (account_id);

-- ログイン・パスワード問い合わせ専用フォーム: kept for staff until they close it.
CREATE TABLE inquiries (
    id          TEXT   PRIMARY KEY,
    reference   TEXT   NOT NULL UNIQUE,   -- told to the member, e.g. Q-20261125-7K3M
    kind        TEXT   NOT NULL,          -- registration | login | paper_lost | other
    name        TEXT   NOT NULL,
    kigo        TEXT   NOT NULL,
    bango       TEXT   NOT NULL,
    birth_date  TEXT   NOT NULL,
    email       TEXT   NOT NULL,
    phone       TEXT,
    body        TEXT   NOT NULL,
    status      TEXT   NOT NULL DEFAULT 'open',  -- open | closed
    created_at  BIGINT NOT NULL,
    closed_at   BIGINT
);
CREATE INDEX inquiries_status ON inquiries (status, created_at);
