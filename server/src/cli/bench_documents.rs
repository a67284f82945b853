//! `bench-family ROWS`: the family and 給付金 figures of `make bench` on `DATABASE_URL` (SQLite or
//! PostgreSQL). Loads a roster of ROWS insured persons, then imports a family file of ROWS
//! 被扶養者 (with the 資格情報のお知らせ it issues: 2 × ROWS notices on a first import) and a decision
//! file of ROWS 給付金 lines, each with the CLI's code, timed; then a household of 4 persons with
//! a session for the PDFs. Prints `<family seconds> <benefit seconds> <peak MiB> <session token>`.

use app::backend::documents::{benefit_file, benefits, qualification};
use app::backend::platform::{Clock, Config, SystemClock};
use app::backend::roster::{self, family};
use std::fmt::Write as _;

fn parse_err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub(crate) async fn bench_family(config: &Config, rows: usize) -> Result<(), String> {
    let db = super::open_db(config).await?;
    let clock = SystemClock;
    let (now, today) = (clock.now(), clock.today());
    let mut csv = String::from("kigo,bango,birth_date,name,name_kana,email,status,branch,acquired_on\n");
    for i in 0..rows {
        writeln!(csv, "92,{},1980-01-01,被保険者 {i},,,在職,00,2005-04-01", i + 1).map_err(parse_err)?;
    }
    writeln!(csv, "96,1,1975-05-05,山田 太郎,ヤマダ タロウ,,在職,00,1998-04-01").map_err(parse_err)?;
    let insured = roster::parse(&csv, today).map_err(parse_err)?;
    roster::import(&db, &insured, now).await.map_err(parse_err)?;

    let mut csv = String::from("記号,番号,枝番,氏名,氏名カナ,生年月日,続柄,資格取得日,資格喪失日\n");
    for i in 0..rows {
        writeln!(csv, "92,{},01,被扶養者 {i},ヒフヨウシャ,1985-06-15,妻,2010-04-01,", i + 1).map_err(parse_err)?;
    }
    for (branch, name, relation) in [("01", "山田 花子", "妻"), ("02", "山田 陽翔", "長男"), ("03", "山田 結衣", "長女")] {
        writeln!(csv, "96,1,{branch},{name},,2010-01-01,{relation},2010-01-01,").map_err(parse_err)?;
    }
    let started = std::time::Instant::now();
    let dependents = family::parse(&csv, today).map_err(parse_err)?;
    let mut tx = app::backend::platform::db::begin(&db).await.map_err(parse_err)?;
    family::import_in(&mut tx, &dependents, now).await.map_err(parse_err)?;
    qualification::issue(&mut tx, config, now, qualification::Source::Family, None).await.map_err(parse_err)?;
    tx.commit().await.map_err(parse_err)?;
    let family_seconds = started.elapsed().as_secs_f64();

    let decided = today - chrono::Duration::days(1);
    let mut csv = String::from("記号,番号,枝番,給付の種類,対象,受診者,医療機関等名称,決定日,支給額,支給予定日,振込先金融機関,口座番号\n");
    for i in 0..rows {
        writeln!(
            csv,
            "92,{},01,高額療養費,2026-08,被扶養者 {i},東京ミライ総合病院,{decided},45600,{decided},みずほ銀行 新宿支店,1234567",
            i + 1
        )
        .map_err(parse_err)?;
    }
    let started = std::time::Instant::now();
    let file = benefit_file::parse(&csv, today).map_err(parse_err)?;
    let mut tx = app::backend::platform::db::begin(&db).await.map_err(parse_err)?;
    benefits::load(&mut tx, config, &file, "bench.csv", None, now).await.map_err(parse_err)?;
    tx.commit().await.map_err(parse_err)?;
    let benefit_seconds = started.elapsed().as_secs_f64();
    let peak = super::bench::peak_mib();

    let account = app::backend::platform::ids::new_id();
    sqlx::query(
        "INSERT INTO accounts (id, kigo, bango, login_id, login_id_norm, password_hash, nickname, email1, created_at, updated_at, consent_version) \
         VALUES ($1, '96', '1', 'bench.family', 'bench.family', '-', 'bench', NULL, $2, $2, $3)",
    )
    .bind(&account)
    .bind(now)
    .bind(&config.consent.key)
    .execute(&db)
    .await
    .map_err(parse_err)?;
    let token = app::backend::identity::session::MEMBERS
        .open(&db, &account, &app::backend::platform::Client::default(), now)
        .await
        .map_err(parse_err)?;
    println!("{family_seconds:.1} {benefit_seconds:.1} {peak:.0} {token}");
    Ok(())
}
