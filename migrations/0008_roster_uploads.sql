-- 名簿アップロード (管理者): a file uploaded in the browser waits here for its preview, and is
-- applied from that preview once (applied_at), in one transaction.
CREATE TABLE roster_uploads (
    id          TEXT   PRIMARY KEY,
    staff_id    TEXT   NOT NULL REFERENCES staff (id),
    mode        TEXT   NOT NULL,          -- upsert | replace
    file_name   TEXT   NOT NULL,
    content     TEXT   NOT NULL,          -- the file decoded to UTF-8
    created_at  BIGINT NOT NULL,
    applied_at  BIGINT,
    summary     TEXT                      -- what the apply did
);
