//! `import-medical`: the society's claims file (医療費データ), one 処理年月 per file; `import-benefits`:
//! a decision file of 給付金, one 決定日 per file.

use super::open_db;
use app::backend::documents::medical_file;
use app::backend::platform::csv_file::ImportError;
use app::backend::platform::{Clock, Config, SystemClock};
use app::domain::medical::Month;
use std::path::Path;

pub(crate) async fn import_medical(config: &Config, file: &Path, dry_run: bool) -> Result<(), String> {
    let db = open_db(config).await?;
    let clock = SystemClock;
    let now = clock.now();
    let this_month = Month::of_unix_jst(now);
    let started = std::time::Instant::now();
    match medical_file::load_path(&db, file, now, this_month, !dry_run).await {
        Ok(s) => {
            let label = Month::from_iso(&s.batch).map(Month::label).unwrap_or_default();
            let done = if dry_run {
                "確認のみ（何も変更していません）"
            } else {
                "医療費データを取り込みました（未公開：職員画面の「医療費データ取込」で公開予約してください）"
            };
            println!(
                "{done}: 処理年月 {label}、{} 行、{} 世帯、診療年月 {}〜{}、置き換えた行 {}、{:.1} 秒",
                s.lines,
                s.households,
                s.first_month,
                s.last_month,
                s.replaced,
                started.elapsed().as_secs_f64()
            );
            if s.unknown > 0 {
                println!("名簿にない記号・番号の行: {} 件（取り込み済み。名簿に追加されると表示されます）", s.unknown);
                for (line, number) in &s.unknown_shown {
                    println!("  {line}行目 {number}");
                }
            }
            Ok(())
        }
        Err(ImportError::Rows(errors)) => {
            for e in &errors {
                if e.line == 0 {
                    eprintln!("{}", e.reason);
                } else {
                    eprintln!("{e}");
                }
            }
            Err(format!("誤りがあるため、医療費データを取り込みませんでした（何も変更していません）。{} 件を表示しました。", errors.len()))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// `import-benefits`: a decision file of 給付金, one 決定日 per file, published at once (no mail).
pub(crate) async fn import_benefits(config: &Config, file: &Path, dry_run: bool) -> Result<(), String> {
    use app::backend::documents::{benefit_file, benefits};
    let bytes = std::fs::read(file).map_err(|e| format!("{} を読めません: {e}", file.display()))?;
    let clock = SystemClock;
    let refused = |errors: &[app::backend::platform::csv_file::RowError]| {
        for e in errors {
            eprintln!("{e}");
        }
        format!("{} 件の誤りがあるため、取り込みませんでした（何も変更していません）。", errors.len())
    };
    let parsed = app::backend::platform::csv_file::decode(&bytes).and_then(|text| benefit_file::parse(&text, clock.today()));
    let checked = match parsed {
        Ok(f) => f,
        Err(ImportError::Rows(errors)) => return Err(refused(&errors)),
        Err(e) => return Err(e.to_string()),
    };
    let db = open_db(config).await?;
    let mut tx = app::backend::platform::db::begin(&db).await.map_err(|e| e.to_string())?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let loaded = match benefits::load(&mut tx, config, &checked, &name, None, clock.now()).await {
        Ok(l) => l,
        Err(ImportError::Rows(errors)) => return Err(refused(&errors)),
        Err(e) => return Err(e.to_string()),
    };
    let words = format!("決定日 {}、{} 件、{} 世帯、置き換えた行 {}", loaded.batch, loaded.lines, loaded.households, loaded.replaced);
    if dry_run {
        tx.rollback().await.map_err(|e| e.to_string())?;
        println!("確認のみ（何も変更していません）: {words}");
    } else {
        tx.commit().await.map_err(|e| e.to_string())?;
        println!("給付金の決定を取り込み、掲載しました（メールは送っていません）: {words}");
    }
    Ok(())
}
