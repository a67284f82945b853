-- パスキー (WebAuthn) of members and staff: the credential webauthn-rs verifies against (JSON),
-- what their pages show (name, times, the counter and backup flags the authenticator reported),
-- and the user handle a discoverable login returns (one per owner). Exactly one owner a row.
CREATE TABLE passkeys (
    id              TEXT   PRIMARY KEY,   -- the credential id, base64url
    account_id      TEXT   REFERENCES accounts (id),
    staff_id        TEXT   REFERENCES staff (id),
    user_handle     TEXT   NOT NULL,
    name            TEXT   NOT NULL,
    passkey         TEXT   NOT NULL,
    sign_count      BIGINT NOT NULL DEFAULT 0,
    backup_eligible BIGINT NOT NULL DEFAULT 0,
    backup_state    BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    last_used_at    BIGINT,
    CHECK ((account_id IS NULL) <> (staff_id IS NULL))
);
CREATE INDEX passkeys_account ON passkeys (account_id);
CREATE INDEX passkeys_staff ON passkeys (staff_id);

-- A ceremony in progress (registration or authentication): its state stays on the server,
-- bound to the hash of the cookie that began it, one use, five minutes. `owner`:
-- `member:<account id>`, `staff:<staff id>`, or none (a login with the passkey alone).
CREATE TABLE webauthn_ceremonies (
    id          TEXT   PRIMARY KEY,
    purpose     TEXT   NOT NULL,
    bound_to    TEXT   NOT NULL UNIQUE,
    owner       TEXT,
    state       TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
);
