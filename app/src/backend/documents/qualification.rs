//! 資格情報のお知らせ: issued from the rosters to the insured person and each 被扶養者 when they
//! appear or what the notice says changes (氏名, 記号・番号・枝番, 生年月日, 資格取得日), every
//! version kept; what a household reads (only its own 記号・番号); the mail 「資格情報のお知らせを
//! 掲載しました」 of 「通知書・証明書」; and who still needs paper.

use crate::backend::audit;
use crate::backend::mail::campaigns;
use crate::backend::platform::db::{self, Cell};
use crate::backend::platform::ids::new_id;
use crate::backend::platform::{Config, Db};
use crate::domain::family::{FamilyMember, QualificationNotice, RELATION_INSURED};
use crate::domain::{Branch, MailPreference, MemberStatus};
use std::collections::HashMap;

/// `person` of the insured person's notices (a 被扶養者's is their 枝番).
const INSURED: &str = "insured";

/// A person as the rosters cover them now, with what their notice says.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Covered {
    kigo: String,
    bango: String,
    person: String,
    branch: String,
    name: String,
    birth_date: String,
    relation: String,
    acquired_on: Option<String>,
}

impl Covered {
    /// What a new version is issued for: the items printed on the notice (not the 続柄).
    fn printed(&self) -> (&str, &str, &str, Option<&str>) {
        (&self.branch, &self.name, &self.birth_date, self.acquired_on.as_deref())
    }
}

/// Everyone covered on `today` (JST, `YYYY-MM-DD`): insured persons not 資格喪失, and the
/// 被扶養者 of those whose 資格喪失日 has not come.
async fn covered(conn: &mut sqlx::AnyConnection, today: &str) -> Result<Vec<Covered>, sqlx::Error> {
    type Row = (String, String, Option<String>, String, String, Option<String>);
    let insured: Vec<Row> = sqlx::query_as("SELECT kigo, bango, branch, name, birth_date, acquired_on FROM roster WHERE status <> $1")
        .bind(MemberStatus::Lost.code())
        .fetch_all(&mut *conn)
        .await?;
    let mut people: Vec<Covered> = insured
        .into_iter()
        .map(|(kigo, bango, branch, name, birth_date, acquired_on)| Covered {
            kigo,
            bango,
            person: INSURED.into(),
            branch: branch.unwrap_or_else(|| Branch::INSURED.into()),
            name,
            birth_date,
            relation: RELATION_INSURED.into(),
            acquired_on,
        })
        .collect();
    type Dependent = (String, String, String, String, String, String, String);
    let dependents: Vec<Dependent> = sqlx::query_as(
        "SELECT d.kigo, d.bango, d.branch, d.name, d.birth_date, d.relation, d.acquired_on FROM dependents d \
         JOIN roster r ON r.kigo = d.kigo AND r.bango = d.bango \
         WHERE r.status <> $1 AND (d.lost_on IS NULL OR d.lost_on > $2)",
    )
    .bind(MemberStatus::Lost.code())
    .bind(today)
    .fetch_all(&mut *conn)
    .await?;
    people.extend(dependents.into_iter().map(|(kigo, bango, branch, name, birth_date, relation, acquired_on)| Covered {
        kigo,
        bango,
        person: branch.clone(),
        branch,
        name,
        birth_date,
        relation,
        acquired_on: Some(acquired_on),
    }));
    Ok(people)
}

/// Where the change came from (the issue list and the audit log say it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Roster,
    Family,
}

impl Source {
    fn code(self) -> &'static str {
        match self {
            Self::Roster => "roster",
            Self::Family => "family",
        }
    }
}

/// What an issuing run did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Issued {
    /// The run's id (`None`: nothing changed, nothing issued).
    pub id: Option<String>,
    pub notices: u64,
    /// Addresses the mail goes to (0 without a staff member: a CLI import mails nobody).
    pub recipients: i64,
}

/// Issues a new version for every person who is new or whose notice would now read differently,
/// and retires the notices of persons no longer covered; inside the caller's transaction (the
/// import's), so the rosters and their notices never disagree. When `staff_id` applied the import,
/// the households with a new notice get 「資格情報のお知らせを掲載しました」 (「通知書・証明書」,
/// paced as every 配信メール).
pub async fn issue(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    config: &Config,
    now: i64,
    source: Source,
    staff_id: Option<&str>,
) -> Result<Issued, sqlx::Error> {
    // Two runs at once (a roster and a family import): the second reads the notices the first
    // issued.
    db::take_turn(tx, db::ROSTERS_TURN).await?;
    let today = crate::backend::platform::clock::jst(now, "%Y-%m-%d");
    let people = covered(tx, &today).await?;
    type Current = (String, String, String, String, i64, String, String, String, Option<String>);
    let current: Vec<Current> = sqlx::query_as(
        "SELECT id, kigo, bango, person, version, branch, name, birth_date, acquired_on FROM qualification_notices WHERE is_current = 1",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut current: HashMap<(String, String, String), Current> =
        current.into_iter().map(|c| ((c.1.clone(), c.2.clone(), c.3.clone()), c)).collect();
    let latest: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT kigo, bango, person, MAX(version) FROM qualification_notices GROUP BY kigo, bango, person")
            .fetch_all(&mut **tx)
            .await?;
    let latest: HashMap<(String, String, String), i64> = latest.into_iter().map(|(k, b, p, v)| ((k, b, p), v)).collect();

    let mut retire: Vec<String> = Vec::new();
    let mut new: Vec<(Covered, i64)> = Vec::new();
    for person in people {
        let key = (person.kigo.clone(), person.bango.clone(), person.person.clone());
        match current.remove(&key) {
            Some(c) if (c.5.as_str(), c.6.as_str(), c.7.as_str(), c.8.as_deref()) == person.printed() => {}
            Some(c) => {
                retire.push(c.0);
                new.push((person, c.4 + 1));
            }
            None => {
                let version = latest.get(&key).copied().unwrap_or(0) + 1;
                new.push((person, version));
            }
        }
    }
    // Whoever is left is no longer covered (資格喪失, or no longer in the family file).
    retire.extend(current.into_values().map(|c| c.0));
    for chunk in retire.chunks(500) {
        let marks: Vec<String> = (2..chunk.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!("UPDATE qualification_notices SET is_current = 0 WHERE is_current = $1 AND id IN ({})", marks.join(","));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(1i64);
        for id in chunk {
            query = query.bind(id.clone());
        }
        query.execute(&mut **tx).await?;
    }
    if new.is_empty() {
        return Ok(Issued::default());
    }
    let issue_id = new_id();
    let rows: Vec<Vec<Cell>> = new
        .iter()
        .map(|(p, version)| {
            vec![
                new_id().into(),
                p.kigo.as_str().into(),
                p.bango.as_str().into(),
                p.person.as_str().into(),
                (*version).into(),
                1i64.into(),
                now.into(),
                issue_id.as_str().into(),
                p.branch.as_str().into(),
                p.name.as_str().into(),
                p.birth_date.as_str().into(),
                p.relation.as_str().into(),
                p.acquired_on.clone().into(),
                config.insurer_number.as_str().into(),
                config.society_name.as_str().into(),
            ]
        })
        .collect();
    db::insert_rows(
        tx,
        "qualification_notices",
        &[
            ("id", "text"),
            ("kigo", "text"),
            ("bango", "text"),
            ("person", "text"),
            ("version", "bigint"),
            ("is_current", "bigint"),
            ("issued_at", "bigint"),
            ("issue_id", "text"),
            ("branch", "text"),
            ("name", "text"),
            ("birth_date", "text"),
            ("relation", "text"),
            ("acquired_on", "text"),
            ("insurer_number", "text"),
            ("insurer_name", "text"),
        ],
        &rows,
        "",
    )
    .await?;
    let notices = new.len() as u64;
    let mut recipients = 0;
    let mut campaign_id = None;
    if let Some(staff_id) = staff_id {
        let id = new_id();
        let body = crate::text::mail::qualification_published(crate::backend::mail::letters::url(config, "/qualification"));
        recipients = campaigns::start_own(
            tx,
            campaigns::OwnCampaign {
                id: &id,
                category: MailPreference::Notices,
                subject: crate::text::mail::SUBJECT_QUALIFICATION_PUBLISHED,
                body: &body,
                staff_id,
                now,
                among: (HOUSEHOLDS_OF_ISSUE, &issue_id),
            },
        )
        .await?;
        campaign_id = Some(id);
    }
    sqlx::query(
        "INSERT INTO qualification_issues (id, issued_at, issued_by, source, notices, campaign_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&issue_id)
    .bind(now)
    .bind(staff_id)
    .bind(source.code())
    .bind(notices as i64)
    .bind(&campaign_id)
    .execute(&mut **tx)
    .await?;
    let detail = format!("{} 件（{}） 宛先={recipients}", notices, source.code());
    let event = audit::AuditEvent { staff_id, ..audit::AuditEvent::with_detail(audit::Event::QualificationIssued, &detail) };
    audit::record(&mut **tx, now, event).await?;
    Ok(Issued { id: Some(issue_id), notices, recipients })
}

/// The registered members with a notice in an issuing run: the mail's audience.
const HOUSEHOLDS_OF_ISSUE: &str =
    "EXISTS (SELECT 1 FROM qualification_notices q WHERE q.issue_id = $3 AND q.kigo = a.kigo AND q.bango = a.bango)";

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: String,
    version: i64,
    is_current: i64,
    issued_at: i64,
    insurer_number: String,
    insurer_name: String,
    kigo: String,
    bango: String,
    branch: String,
    name: String,
    relation: String,
    birth_date: String,
    acquired_on: Option<String>,
}

impl From<NoticeRow> for QualificationNotice {
    fn from(r: NoticeRow) -> Self {
        Self {
            id: r.id,
            version: r.version,
            is_current: r.is_current == 1,
            issued_at: r.issued_at,
            insurer_number: r.insurer_number,
            insurer_name: r.insurer_name,
            kigo: r.kigo,
            bango: r.bango,
            branch: r.branch,
            name: r.name,
            relation: r.relation,
            birth_date: r.birth_date,
            acquired_on: r.acquired_on,
        }
    }
}

/// The notices an account's household may read: only its own 記号・番号. `$1` = account id.
const HOUSEHOLD: &str = "SELECT q.id, q.version, q.is_current, q.issued_at, q.insurer_number, q.insurer_name, q.kigo, q.bango, \
     q.branch, q.name, q.relation, q.birth_date, q.acquired_on \
     FROM qualification_notices q JOIN accounts a ON a.kigo = q.kigo AND a.bango = q.bango WHERE a.id = $1";

/// Every version issued to the household: the current ones first (the insured person, then by
/// 枝番), then the earlier ones, newest first.
pub async fn household(db: &Db, account_id: &str) -> Result<Vec<QualificationNotice>, sqlx::Error> {
    let rows: Vec<NoticeRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOUSEHOLD} ORDER BY q.issued_at DESC, q.version DESC")))
        .bind(account_id)
        .fetch_all(db)
        .await?;
    let (mut current, earlier): (Vec<QualificationNotice>, Vec<QualificationNotice>) =
        rows.into_iter().map(QualificationNotice::from).partition(|n| n.is_current);
    current.sort_by_key(QualificationNotice::person_order);
    current.extend(earlier);
    Ok(current)
}

/// One version, if it is the household's (another household's id reads as not found).
pub async fn notice(db: &Db, account_id: &str, id: &str) -> Result<Option<QualificationNotice>, sqlx::Error> {
    let row: Option<NoticeRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{HOUSEHOLD} AND q.id = $2"))).bind(account_id).bind(id).fetch_optional(db).await?;
    Ok(row.map(Into::into))
}

/// ご家族: the insured person and the 被扶養者 as the rosters have them (the insured first, then
/// by 枝番; former 被扶養者 with their 資格喪失日).
pub async fn family(db: &Db, account_id: &str) -> Result<Vec<FamilyMember>, sqlx::Error> {
    type Insured = (Option<String>, String, Option<String>, String, Option<String>);
    let Some((branch, name, name_kana, birth_date, acquired_on)): Option<Insured> = sqlx::query_as(
        "SELECT r.branch, r.name, r.name_kana, r.birth_date, r.acquired_on FROM roster r \
         JOIN accounts a ON a.kigo = r.kigo AND a.bango = r.bango WHERE a.id = $1",
    )
    .bind(account_id)
    .fetch_optional(db)
    .await?
    else {
        return Ok(Vec::new());
    };
    let mut members = vec![FamilyMember {
        insured: true,
        branch: branch.unwrap_or_else(|| Branch::INSURED.into()),
        name,
        name_kana,
        relation: RELATION_INSURED.into(),
        birth_date,
        acquired_on,
        lost_on: None,
    }];
    type Dependent = (String, String, Option<String>, String, String, String, Option<String>);
    let dependents: Vec<Dependent> = sqlx::query_as(
        "SELECT d.branch, d.name, d.name_kana, d.relation, d.birth_date, d.acquired_on, d.lost_on FROM dependents d \
         JOIN accounts a ON a.kigo = d.kigo AND a.bango = d.bango WHERE a.id = $1 ORDER BY d.branch",
    )
    .bind(account_id)
    .fetch_all(db)
    .await?;
    members.extend(dependents.into_iter().map(|(branch, name, name_kana, relation, birth_date, acquired_on, lost_on)| FamilyMember {
        insured: false,
        branch,
        name,
        name_kana,
        relation,
        birth_date,
        acquired_on: Some(acquired_on),
        lost_on,
    }));
    Ok(members)
}

/// An issuing run as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Issue {
    pub id: String,
    pub issued_at: i64,
    pub issued_by: Option<String>,
    pub source: String,
    pub notices: i64,
    pub recipients: Option<i64>,
}

/// The latest runs, newest first, with the staff member's name and the mail's addresses.
pub async fn issues(db: &Db, limit: i64) -> Result<Vec<Issue>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.issued_at, s.name AS issued_by, i.source, i.notices, c.total AS recipients FROM qualification_issues i \
         LEFT JOIN staff s ON s.id = i.issued_by LEFT JOIN mail_campaigns c ON c.id = i.campaign_id \
         ORDER BY i.issued_at DESC, i.id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(db)
    .await
}

/// The households of a run who still need the notice on paper (記号, 番号, 氏名, why).
pub async fn needing_paper(db: &Db, issue_id: &str) -> Result<Vec<super::paper::Household>, sqlx::Error> {
    super::paper::needing_paper(
        db,
        "EXISTS (SELECT 1 FROM qualification_notices q WHERE q.issue_id = $1 AND q.kigo = r.kigo AND q.bango = r.bango)",
        issue_id,
    )
    .await
}
