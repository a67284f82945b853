-- Login throttling and the notices shown on ホーム.

-- Consecutive login failures per login ID as typed (hashed) and per client address.
CREATE TABLE login_throttle (
    key              TEXT   PRIMARY KEY,
    failures         BIGINT NOT NULL DEFAULT 0,
    last_failure_at  BIGINT NOT NULL DEFAULT 0,
    locked_until     BIGINT NOT NULL DEFAULT 0
);

-- 健保からのお知らせ
CREATE TABLE notices (
    id            TEXT   PRIMARY KEY,
    title         TEXT   NOT NULL,
    body          TEXT   NOT NULL,
    published_at  BIGINT NOT NULL
);
CREATE INDEX notices_published ON notices (published_at);
