-- 健保からのお知らせ written by staff: schedule (掲載開始 = published_at, 掲載終了), audience by
-- roster 区分, 重要 first, withdrawal. Plain text only: nothing staff type is HTML to members.
ALTER TABLE notices ADD COLUMN ends_at BIGINT;                         -- NULL: no end
ALTER TABLE notices ADD COLUMN important BIGINT NOT NULL DEFAULT 0;
ALTER TABLE notices ADD COLUMN audience TEXT NOT NULL DEFAULT '';     -- '' = every member; else status codes, comma-separated
ALTER TABLE notices ADD COLUMN withdrawn_at BIGINT;
ALTER TABLE notices ADD COLUMN created_by TEXT;                        -- staff.id
ALTER TABLE notices ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
