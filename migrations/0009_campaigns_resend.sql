-- 配信メール: a mail for one 配信メール設定 category, drafted by staff and sent by a 管理者 to
-- every confirmed address of the members who want that category.
CREATE TABLE mail_campaigns (
    id          TEXT   PRIMARY KEY,
    category    TEXT   NOT NULL,          -- a MailPreference code (medical_expenses...)
    subject     TEXT   NOT NULL,
    body        TEXT   NOT NULL,
    created_by  TEXT   NOT NULL REFERENCES staff (id),
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    started_at  BIGINT,                   -- set once, by the send: the draft is frozen from then
    started_by  TEXT   REFERENCES staff (id),
    total       BIGINT NOT NULL DEFAULT 0 -- the addresses chosen at the send
);

-- The addresses of a sent campaign, chosen once at the send. The key keeps one mail per address
-- per campaign; the worker hands them to the outbox at MAIL_RATE_PER_MINUTE (queued_at), each
-- once (a conditional update), so a restart resumes where it stopped.
CREATE TABLE campaign_recipients (
    campaign_id  TEXT   NOT NULL REFERENCES mail_campaigns (id),
    email_norm   TEXT   NOT NULL,
    email        TEXT   NOT NULL,
    account_id   TEXT   NOT NULL,         -- whose preference the unsubscribe link turns off
    queued_at    BIGINT,
    outbox_id    TEXT,
    PRIMARY KEY (campaign_id, email_norm)
);
CREATE INDEX campaign_recipients_waiting ON campaign_recipients (queued_at, campaign_id);

-- One row that dispatchers (workers of every instance) update first in their transaction: they
-- take turns, so the rate's count of the last minute is never read before another's commit.
CREATE TABLE campaign_dispatch (
    id           BIGINT PRIMARY KEY,
    last_run_at  BIGINT NOT NULL
);
INSERT INTO campaign_dispatch (id, last_run_at) VALUES (1, 0);

-- A category mail's one-click unsubscribe URL (RFC 8058 List-Unsubscribe), set per mail.
ALTER TABLE mail_outbox ADD COLUMN list_unsubscribe TEXT;

-- 送信エラー's 再送: what the mail held (plain, or the procedure of its one-time link: outbox.rs
-- MailKind) and when staff sent it again (once).
ALTER TABLE mail_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'plain';
ALTER TABLE mail_outbox ADD COLUMN resent_at BIGINT;
