-- 医療費のお知らせ. One batch per 処理年月 (the society's monthly claims file); loading the same
-- 処理年月 again replaces its lines in one transaction. Members see a batch's lines from its
-- publish_at (公開予約) until it is withdrawn.
CREATE TABLE medical_batches (
    id             TEXT    PRIMARY KEY,       -- the 処理年月, 'YYYY-MM'
    file_name      TEXT    NOT NULL,
    loaded_at      BIGINT  NOT NULL,
    loaded_by      TEXT    REFERENCES staff (id), -- NULL: loaded by `server import-medical`
    line_count     BIGINT  NOT NULL,
    unknown_count  BIGINT  NOT NULL,          -- lines whose 記号・番号 is not on the roster
    first_month    TEXT    NOT NULL,          -- the 診療年月 range of its lines
    last_month     TEXT    NOT NULL,
    publish_at     BIGINT,                    -- NULL: not (or no longer) scheduled
    published_by   TEXT    REFERENCES staff (id),
    withdrawn_at   BIGINT,
    notified_at    BIGINT,                    -- its 「医療費のお知らせを掲載しました」 campaign was started
    campaign_id    TEXT
);
CREATE INDEX medical_batches_due ON medical_batches (publish_at) WHERE notified_at IS NULL;

CREATE TABLE medical_lines (
    batch_id       TEXT    NOT NULL REFERENCES medical_batches (id),
    line           BIGINT  NOT NULL,          -- its line in the file (for questions about it)
    kigo           TEXT    NOT NULL,
    bango          TEXT    NOT NULL,
    branch         TEXT    NOT NULL,          -- 枝番 ('' when the file has none)
    patient        TEXT    NOT NULL,          -- 受診者氏名
    service_month  TEXT    NOT NULL,          -- 診療年月 'YYYY-MM'
    facility       TEXT    NOT NULL,          -- '' when the claim names none
    category       TEXT    NOT NULL,          -- a Category code
    days           BIGINT  NOT NULL,
    total_cost     BIGINT  NOT NULL,          -- 医療費総額 (10割)
    self_pay       BIGINT  NOT NULL,          -- 被保険者等が支払った医療費の額
    PRIMARY KEY (batch_id, line)
);
CREATE INDEX medical_lines_household ON medical_lines (kigo, bango, service_month);

-- 書類の取込: a file uploaded in the console waits here for its preview and is applied from it
-- once (applied_at, claimed by a conditional update).
CREATE TABLE document_uploads (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,             -- medical
    staff_id    TEXT    NOT NULL REFERENCES staff (id),
    file_name   TEXT    NOT NULL,
    content     TEXT    NOT NULL,             -- the file decoded to UTF-8
    created_at  BIGINT  NOT NULL,
    applied_at  BIGINT,
    summary     TEXT
);
