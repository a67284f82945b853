-- 職員の依頼と承認: an action that hands over or removes a factor of a registered member
-- (2段階認証リセット, 仮パスワード再発行, メールアドレス1の設定) is asked by one staff member and
-- carried out only when a 管理者 other than them approves it. One open request per account and
-- action; decided requests stay as the record of who asked and who approved.
CREATE TABLE staff_requests (
    id               TEXT    PRIMARY KEY,
    account_id       TEXT    NOT NULL,
    kigo             TEXT    NOT NULL,
    bango            TEXT    NOT NULL,
    action           TEXT    NOT NULL,
    email            TEXT,
    reason           TEXT    NOT NULL,
    requested_by     TEXT    NOT NULL REFERENCES staff (id),
    requested_at     BIGINT  NOT NULL,
    decided_by       TEXT    REFERENCES staff (id),
    decided_at       BIGINT,
    decision         TEXT,
    decision_reason  TEXT
);
CREATE UNIQUE INDEX staff_requests_open ON staff_requests (account_id, action) WHERE decided_at IS NULL;
CREATE INDEX staff_requests_account ON staff_requests (account_id, requested_at);

-- A staff member who is also insured by the society: their own 記号・番号 (optional), so they
-- cannot act on their own member record.
ALTER TABLE staff ADD COLUMN member_kigo TEXT;
ALTER TABLE staff ADD COLUMN member_bango TEXT;
