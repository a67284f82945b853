-- 利用規約・個人情報の取扱い (CONTENT_DIR): what each member agreed to (ConsentDocuments::key, both
-- versions) and when. NULL: registered before agreement was asked, or by paper letter: the
-- portal asks at the next request, as it does when a version changes.
ALTER TABLE accounts ADD COLUMN consent_version TEXT;
ALTER TABLE accounts ADD COLUMN consent_at BIGINT;

-- 2段階認証 for members (MEMBER_2FA=optional|required), as the staff login has it.
ALTER TABLE accounts ADD COLUMN totp_secret TEXT;                        -- sealed; NULL = not enrolled
ALTER TABLE accounts ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0; -- the last accepted code's step (no replay)
ALTER TABLE accounts ADD COLUMN totp_setup_secret TEXT;                  -- sealed; shown while enrolling

-- 10 single-use backup codes per enrolled member (keyed hashes only).
CREATE TABLE account_backup_codes (
    account_id  TEXT   NOT NULL REFERENCES accounts (id),
    code_hash   TEXT   NOT NULL,
    used_at     BIGINT,
    PRIMARY KEY (account_id, code_hash)
);

-- A login whose password was right and whose code is awaited (cookie `portal_login_code`): no
-- session exists until the code is spent. A few minutes, a few tries, then the password again.
CREATE TABLE login_second_steps (
    id_hash     TEXT    PRIMARY KEY,
    account_id  TEXT    NOT NULL REFERENCES accounts (id),
    next_path   TEXT    NOT NULL,
    tries       BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    client_ip   TEXT,
    user_agent  TEXT
);
CREATE INDEX login_second_steps_account ON login_second_steps (account_id);
