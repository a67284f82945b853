//! `import-roster` against real databases: upsert, atomicity, address ownership.

mod common;

use app::backend::roster::{self, ImportError, ImportSummary};
use common::{all_dbs, T0};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

async fn import(db: &app::backend::platform::Db, csv: &str) -> Result<ImportSummary, ImportError> {
    let rows = roster::parse(csv, today())?;
    roster::import(db, &rows, T0).await
}

async fn roster_rows(db: &app::backend::platform::Db) -> Vec<(String, String, String, Option<String>, String)> {
    sqlx::query_as("SELECT kigo, bango, name, email_norm, status FROM roster ORDER BY kigo, bango").fetch_all(db).await.unwrap()
}

const HEADER: &str = "kigo,bango,birth_date,name,name_kana,email,status\n";

#[tokio::test]
async fn the_demo_roster_imports_and_reimports_idempotently() {
    let demo = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../demo/roster.csv")).unwrap();
    let text = roster::decode(&demo).unwrap();
    for t in all_dbs().await {
        let first = import(&t.db, &text).await.unwrap();
        assert_eq!((first.inserted, first.updated), (6, 0), "{}", t.name);
        let before = roster_rows(&t.db).await;
        let second = import(&t.db, &text).await.unwrap();
        assert_eq!((second.inserted, second.updated), (0, 6), "{}", t.name);
        assert_eq!(roster_rows(&t.db).await, before, "{}", t.name);
        let statuses: std::collections::BTreeSet<String> = before.iter().map(|r| r.4.clone()).collect();
        assert_eq!(statuses.len(), 4, "every 区分 is in the demo roster");
        assert!(before.iter().any(|r| r.3.is_none()), "one member has no email");
    }
}

#[tokio::test]
async fn an_upsert_updates_by_kigo_and_bango_with_leading_zeros_ignored() {
    for t in all_dbs().await {
        import(&t.db, &format!("{HEADER}12,345,1985-04-01,山田 太郎,,Taro@Example.test,在職\n")).await.unwrap();
        let s = import(&t.db, &format!("{HEADER}12,000345,1985-04-01,山田 太郎,,taro@home.test,任意継続\n")).await.unwrap();
        assert_eq!((s.inserted, s.updated), (0, 1), "{}", t.name);
        let rows = roster_rows(&t.db).await;
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].3.as_deref(), Some("taro@home.test"), "{}", t.name);
        assert_eq!(rows[0].4, "voluntary_continuation");
    }
}

#[tokio::test]
async fn a_bad_row_imports_nothing() {
    for t in all_dbs().await {
        import(&t.db, &format!("{HEADER}12,1,1980-01-01,既存,,,在職\n")).await.unwrap();
        let before = roster_rows(&t.db).await;
        let err =
            import(&t.db, &format!("{HEADER}12,1,1980-01-01,変更,,,在職\n12,2,1980-01-01,新規,,,在職\n12,3,not-a-date,誤り,,,在職\n"))
                .await
                .unwrap_err();
        let ImportError::Rows(errors) = err else { panic!("{err:?}") };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert_eq!(roster_rows(&t.db).await, before, "{}", t.name);
    }
}

#[tokio::test]
async fn an_address_of_another_member_is_refused_and_nothing_is_imported() {
    for t in all_dbs().await {
        import(&t.db, &format!("{HEADER}12,1,1980-01-01,一,,one@example.test,在職\n")).await.unwrap();
        let before = roster_rows(&t.db).await;
        let err =
            import(&t.db, &format!("{HEADER}12,5,1980-01-01,五,,,在職\n12,2,1980-01-01,二,,ONE@example.test,在職\n")).await.unwrap_err();
        let ImportError::Rows(errors) = err else { panic!("{err:?}") };
        assert_eq!(errors[0].line, 3, "{}", t.name);
        assert!(errors[0].reason.contains("別の被保険者"));
        assert_eq!(roster_rows(&t.db).await, before, "{}", t.name);
    }
}

#[tokio::test]
async fn two_members_may_swap_addresses_in_one_import() {
    for t in all_dbs().await {
        import(&t.db, &format!("{HEADER}12,1,1980-01-01,一,,a@example.test,在職\n12,2,1980-01-01,二,,b@example.test,在職\n"))
            .await
            .unwrap();
        import(&t.db, &format!("{HEADER}12,1,1980-01-01,一,,b@example.test,在職\n12,2,1980-01-01,二,,a@example.test,在職\n"))
            .await
            .unwrap();
        let rows = roster_rows(&t.db).await;
        assert_eq!(rows[0].3.as_deref(), Some("b@example.test"), "{}", t.name);
        assert_eq!(rows[1].3.as_deref(), Some("a@example.test"), "{}", t.name);
    }
}

#[tokio::test]
async fn a_large_roster_imports_in_one_transaction() {
    let mut csv = String::from(HEADER);
    for i in 0..2_000 {
        csv.push_str(&format!("{:02},{},1980-01-01,被保険者{i},,m{i}@example.test,在職\n", i % 100, i));
    }
    for t in all_dbs().await {
        let s = import(&t.db, &csv).await.unwrap();
        assert_eq!(s.inserted, 2_000, "{}", t.name);
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster WHERE email_norm IS NOT NULL").fetch_one(&t.db).await.unwrap();
        assert_eq!(n, 2_000, "{}", t.name);
    }
}

/// 全件置換: a dry run says what would change and changes nothing; applying it retires the member
/// absent from the file, whose account can then no longer log in (nothing is deleted).
#[tokio::test]
async fn a_full_replacement_previews_then_retires_the_members_absent_from_the_file() {
    use roster::Mode;
    for t in all_dbs().await {
        let (state, _clock) = common::member_with_account(&t).await;
        let taro = "12,345,1985-04-01,山田 太郎,ヤマダ タロウ,taro@corp.test,在職\n";
        // 山田 太郎 changes 区分 and gets a カナ; 鈴木 一郎 is new; nobody else is in the file.
        let csv = format!("{HEADER}{}12,900,1970-01-01,鈴木 一郎,,,在職\n", taro.replace("在職", "任意継続"));
        let mut others = roster_rows(&state.db).await;
        others.retain(|r| r.1 != "345");
        let rows = roster::parse(&csv, today()).unwrap();
        let before = roster_rows(&state.db).await;
        let plan = roster::plan(&state.db, &rows, Mode::Replace).await.unwrap();
        assert_eq!(plan.new, vec![3]);
        assert_eq!(plan.changed, vec![(2, "12-345".to_string(), vec!["氏名カナ", "区分"])]);
        assert_eq!(plan.retired.len(), others.iter().filter(|r| r.4 != "lost").count(), "{:?} vs {others:?}", plan.retired);
        assert_eq!(roster_rows(&state.db).await, before, "a plan changes nothing ({})", t.name);
        let upsert = roster::plan(&state.db, &rows, Mode::Upsert).await.unwrap();
        assert!(upsert.retired.is_empty(), "without 全件置換 nobody retires");

        let summary = roster::import_with(&state.db, &rows, T0, Mode::Replace).await.unwrap();
        assert_eq!((summary.inserted, summary.updated, summary.retired), (1, 1, plan.retired.len() as u64));
        let after = roster_rows(&state.db).await;
        for r in &after {
            let expected = match r.1.as_str() {
                "345" => "voluntary_continuation",
                "900" => "employed",
                _ => "lost",
            };
            assert_eq!(r.4, expected, "{r:?} ({})", t.name);
        }
        // 佐藤 花子 left: her account stays (logging in read-only for a while: api_roster_upload);
        // her 資格喪失 is dated; 山田 太郎 still logs in.
        let (lost_at,): (Option<i64>,) =
            sqlx::query_as("SELECT lost_at FROM roster WHERE bango = '346'").fetch_one(&state.db).await.unwrap();
        assert_eq!(lost_at, Some(T0), "{}", t.name);
        assert!(common::login(&state, None, "Yamada.Taro", common::PASSWORD).await.is_ok(), "{}", t.name);
        let (accounts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts").fetch_one(&state.db).await.unwrap();
        assert_eq!(accounts, 2, "nothing is deleted");
        // Applying the same file again retires nobody more.
        let again = roster::import_with(&state.db, &rows, T0, Mode::Replace).await.unwrap();
        assert_eq!(again.retired, 0);
    }
}

#[tokio::test]
async fn an_import_tells_how_many_rows_are_written_after_each_batch() {
    let csv: String =
        std::iter::once(HEADER.to_string()).chain((1..=5500).map(|i| format!("33,{i},1980-01-01,被保険者 {i},,,在職\n"))).collect();
    let rows = roster::parse(&csv, today()).unwrap();
    for t in all_dbs().await {
        let mut written = Vec::new();
        let mut tx = app::backend::platform::db::begin(&t.db).await.unwrap();
        let summary = roster::import_in(&mut tx, &rows, T0, roster::Mode::Upsert, &mut |n| written.push(n)).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(summary.inserted, 5500);
        // 500 rows a statement on SQLite, 5,000 on PostgreSQL's bulk path.
        let batch = if t.name == "postgres" { 5000 } else { 500 };
        let expected: Vec<u64> = (1..).map(|k| k * batch).take_while(|&n| n < 5500).chain([5500]).collect();
        assert_eq!(written, expected, "the upload page's progress ({})", t.name);
        let count: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM roster WHERE bango <> '' AND kigo = '33'").fetch_one(&t.db).await.unwrap();
        assert_eq!(count.0, 5500);
    }
}
