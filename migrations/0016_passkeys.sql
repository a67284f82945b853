-- パスキー (WebAuthn) of members: the credential webauthn-rs verifies against (JSON), what
-- セキュリティ設定 shows (name, times, the counter and backup flags the authenticator reported),
-- and the user handle a discoverable login returns (one per account).
CREATE TABLE passkeys (
    id              TEXT   PRIMARY KEY,   -- the credential id, base64url
    account_id      TEXT   NOT NULL REFERENCES accounts (id),
    user_handle     TEXT   NOT NULL,
    name            TEXT   NOT NULL,
    passkey         TEXT   NOT NULL,
    sign_count      BIGINT NOT NULL DEFAULT 0,
    backup_eligible BIGINT NOT NULL DEFAULT 0,
    backup_state    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT
);
CREATE INDEX passkeys_account ON passkeys (account_id);

-- A ceremony in progress (registration or authentication): its state stays on the server,
-- bound to the hash of the cookie that began it, one use, five minutes.
CREATE TABLE webauthn_ceremonies (
    id          TEXT   PRIMARY KEY,
    purpose     TEXT   NOT NULL,
    bound_to    TEXT   NOT NULL UNIQUE,
    account_id  TEXT,
    state       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
