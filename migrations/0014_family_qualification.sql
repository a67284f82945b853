-- The family (被扶養者) and the 資格情報のお知らせ.

-- The members' roster gains the insured person's 枝番 and 資格取得日 (both optional in the file).
ALTER TABLE roster ADD COLUMN branch TEXT;        -- 枝番; NULL = '00'
ALTER TABLE roster ADD COLUMN acquired_on TEXT;   -- 資格取得日 YYYY-MM-DD, NULL when not given

-- 被扶養者名簿: beside the roster, one row per 被扶養者 of an insured person. A family file
-- replaces the whole family of every 記号・番号 it names.
CREATE TABLE dependents (
    kigo         TEXT   NOT NULL,
    bango        TEXT   NOT NULL,
    branch       TEXT   NOT NULL,          -- 枝番, 2 digits
    name         TEXT   NOT NULL,
    name_kana    TEXT,
    birth_date   TEXT   NOT NULL,
    relation     TEXT   NOT NULL,          -- 続柄 as the society writes it (妻, 長男 …)
    acquired_on  TEXT   NOT NULL,          -- 資格取得日
    lost_on      TEXT,                     -- 資格喪失日
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (kigo, bango, branch),
    FOREIGN KEY (kigo, bango) REFERENCES roster (kigo, bango)
);

-- 資格情報のお知らせ: each version issued to a person, kept (what was issued when). `person` is
-- 'insured' or the 被扶養者's 枝番 at issue; the latest version of each person has is_current = 1
-- until a newer one is issued or the person leaves the household.
CREATE TABLE qualification_notices (
    id              TEXT   PRIMARY KEY,
    kigo            TEXT   NOT NULL,
    bango           TEXT   NOT NULL,
    person          TEXT   NOT NULL,
    version         BIGINT NOT NULL,
    is_current      BIGINT NOT NULL,
    issued_at       BIGINT NOT NULL,
    issue_id        TEXT   NOT NULL,       -- the issuing run (one roster or family import)
    branch          TEXT   NOT NULL,
    name            TEXT   NOT NULL,
    birth_date      TEXT   NOT NULL,
    relation        TEXT   NOT NULL,       -- 本人 for the insured person
    acquired_on     TEXT,
    insurer_number  TEXT   NOT NULL,
    insurer_name    TEXT   NOT NULL,
    UNIQUE (kigo, bango, person, version)
);
CREATE INDEX qualification_notices_household ON qualification_notices (kigo, bango, issued_at);

-- One row per issuing run: the mail 「資格情報のお知らせを掲載しました」 it started (if a staff member
-- applied the import) and its paper list.
CREATE TABLE qualification_issues (
    id           TEXT   PRIMARY KEY,
    issued_at    BIGINT NOT NULL,
    issued_by    TEXT   REFERENCES staff (id),  -- NULL: `server import-roster` / `import-family`
    source       TEXT   NOT NULL,               -- roster | family
    notices      BIGINT NOT NULL,
    campaign_id  TEXT
);

-- Writers of the same rows take turns on a row of their own before reading what they change
-- (`platform::db::take_turn`): on PostgreSQL two family imports, or two issuing runs, at once
-- would otherwise each miss what the other had not committed yet.
CREATE TABLE turns (
    name   TEXT   PRIMARY KEY,
    taken  BIGINT NOT NULL
);
INSERT INTO turns (name, taken) VALUES ('rosters', 0);
