-- 給付金支給決定通知書. One batch per 決定日 (a file is one decision run); loading the same 決定日
-- again replaces its lines in one transaction. Members see a batch once it is loaded.
CREATE TABLE benefit_batches (
    id           TEXT   PRIMARY KEY,        -- the 決定日, 'YYYY-MM-DD'
    file_name    TEXT   NOT NULL,
    loaded_at    BIGINT NOT NULL,
    loaded_by    TEXT   REFERENCES staff (id), -- NULL: `server import-benefits`
    line_count   BIGINT NOT NULL,
    campaign_id  TEXT                       -- its 「給付金のお知らせを掲載しました」, if a staff member loaded it
);

CREATE TABLE benefit_lines (
    batch_id   TEXT   NOT NULL REFERENCES benefit_batches (id),
    line       BIGINT NOT NULL,
    kigo       TEXT   NOT NULL,
    bango      TEXT   NOT NULL,
    branch     TEXT   NOT NULL,             -- 枝番 ('' when the file has none)
    kind       TEXT   NOT NULL,             -- a BenefitKind code
    target     TEXT   NOT NULL,             -- 対象: 診療年月 or period, in words
    patient    TEXT   NOT NULL,
    facility   TEXT   NOT NULL,
    amount     BIGINT NOT NULL,             -- 支給額, yen
    pay_on     TEXT,                        -- 支給予定日
    account    TEXT   NOT NULL,             -- 振込先: bank and the last 3 digits only
    PRIMARY KEY (batch_id, line)
);
CREATE INDEX benefit_lines_household ON benefit_lines (kigo, bango);

-- When a member became 資格喪失: their account can still log in, read-only, for
-- DOCUMENTS_AFTER_LEAVING_MONTHS to read the household's documents (one tax season). Members lost
-- before this migration count from their roster row's last change.
ALTER TABLE roster ADD COLUMN lost_at BIGINT;
UPDATE roster SET lost_at = updated_at WHERE status = 'lost';
