//! The roster import, the first letters (仮パスワード) and the inquiry list.

use super::open_db;
use app::backend::documents::qualification::{self, Source};
use app::backend::platform::{Clock, Config, SystemClock};
use app::backend::roster;
use std::path::PathBuf;

pub(crate) async fn import_roster(config: &Config, file: &PathBuf, mode: roster::Mode, dry_run: bool) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("{} を読めません: {e}", file.display()))?;
    let clock = SystemClock;
    let parsed = roster::decode(&bytes).and_then(|text| roster::parse(&text, clock.today()));
    let refused = |errors: &[roster::RowError]| {
        for e in errors {
            eprintln!("{e}");
        }
        format!("{} 件の誤りがあるため、名簿を取り込みませんでした（何も変更していません）。", errors.len())
    };
    let rows = match parsed {
        Ok(rows) => rows,
        Err(roster::ImportError::Rows(errors)) => return Err(refused(&errors)),
        Err(e) => return Err(e.to_string()),
    };
    let db = open_db(config).await?;
    if dry_run {
        let plan = roster::plan(&db, &rows, mode).await.map_err(|e| e.to_string())?;
        println!(
            "確認のみ（何も変更していません）: 新規 {} 件、変更 {} 件、変更なし {} 件、資格喪失になる {} 件",
            plan.new.len(),
            plan.changed.len(),
            plan.unchanged,
            plan.retired.len()
        );
        for (line, number, fields) in &plan.changed {
            println!("  変更 {line}行目 {number}: {}", fields.join("・"));
        }
        for (number, name) in &plan.retired {
            println!("  資格喪失 {number} {name}");
        }
        return Ok(());
    }
    let now = clock.now();
    let mut tx = app::backend::platform::db::begin(&db).await.map_err(|e| e.to_string())?;
    let s = match roster::import_in(&mut tx, &rows, now, mode, &mut |_| {}).await {
        Ok(s) => s,
        Err(roster::ImportError::Rows(errors)) => return Err(refused(&errors)),
        Err(e) => return Err(e.to_string()),
    };
    let issued = qualification::issue(&mut tx, config, now, Source::Roster, None).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!(
        "名簿を取り込みました: {} 件（新規 {} 件、更新 {} 件、資格喪失 {} 件）。資格情報のお知らせ {} 件を発行しました（メールは送っていません）。",
        rows.len(),
        s.inserted,
        s.updated,
        s.retired,
        issued.notices
    );
    Ok(())
}

/// `import-family`: the 被扶養者名簿, with the 資格情報のお知らせ it issues, in one transaction.
pub(crate) async fn import_family(config: &Config, file: &PathBuf, dry_run: bool) -> Result<(), String> {
    use roster::family;
    let bytes = std::fs::read(file).map_err(|e| format!("{} を読めません: {e}", file.display()))?;
    let clock = SystemClock;
    let refused = |errors: &[roster::RowError]| {
        for e in errors {
            eprintln!("{e}");
        }
        format!("{} 件の誤りがあるため、被扶養者名簿を取り込みませんでした（何も変更していません）。", errors.len())
    };
    let rows = match roster::decode(&bytes).and_then(|text| family::parse(&text, clock.today())) {
        Ok(rows) => rows,
        Err(roster::ImportError::Rows(errors)) => return Err(refused(&errors)),
        Err(e) => return Err(e.to_string()),
    };
    let db = open_db(config).await?;
    if dry_run {
        let mut conn = db.acquire().await.map_err(|e| e.to_string())?;
        let plan = match family::plan(&mut conn, &rows).await {
            Ok(plan) => plan,
            Err(roster::ImportError::Rows(errors)) => return Err(refused(&errors)),
            Err(e) => return Err(e.to_string()),
        };
        println!(
            "確認のみ（何も変更していません）: {} 世帯、新しい被扶養者 {} 人、変更 {} 人、変更なし {} 人、外れる方 {} 人",
            plan.households,
            plan.new,
            plan.changed.len(),
            plan.unchanged,
            plan.removed.len()
        );
        for (key, name) in &plan.removed {
            println!("  外れる {key} {name}");
        }
        return Ok(());
    }
    let now = clock.now();
    let mut tx = app::backend::platform::db::begin(&db).await.map_err(|e| e.to_string())?;
    let s = match family::import_in(&mut tx, &rows, now).await {
        Ok(s) => s,
        Err(roster::ImportError::Rows(errors)) => return Err(refused(&errors)),
        Err(e) => return Err(e.to_string()),
    };
    let issued = qualification::issue(&mut tx, config, now, Source::Family, None).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    println!(
        "被扶養者名簿を取り込みました: {} 世帯、被扶養者 {} 人（外れた方 {} 人）。資格情報のお知らせ {} 件を発行しました（メールは送っていません）。",
        s.households, s.dependents, s.removed, issued.notices
    );
    Ok(())
}

pub(crate) async fn issue_temp_credentials(
    config: &Config,
    members: &[String],
    all_without_email: bool,
    out: &PathBuf,
    days: i64,
) -> Result<(), String> {
    use app::backend::members::temp_credentials::{self, Selection};
    use app::domain::{Bango, Kigo};
    let selection = if all_without_email {
        Selection::AllWithoutEmail
    } else {
        let parsed: Result<Vec<_>, String> = members
            .iter()
            .map(|m| {
                let (k, b) = m.split_once('-').ok_or_else(|| format!("{m}: 記号-番号 の形で指定してください（例 12-345）"))?;
                Ok((Kigo::parse(k).map_err(|e| format!("{m}: {e}"))?, Bango::parse(b).map_err(|e| format!("{m}: {e}"))?))
            })
            .collect();
        Selection::Members(parsed?)
    };
    // Refuse before changing anything if the file cannot be written.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(out)
        .map_err(|e| format!("{} を作成できません（既にある場合は別の名前を指定してください）: {e}", out.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    let db = open_db(config).await?;
    let issued = temp_credentials::issue(&db, SystemClock.now(), &selection, days, None).await;
    let report = match issued {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(out);
            return Err(e.to_string());
        }
    };
    let csv = temp_credentials::to_csv(&report.issued, &format!("{}/", config.public_url)).map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut file, &csv).map_err(|e| format!("{} に書き込めません: {e}", out.display()))?;
    for s in &report.skipped {
        eprintln!("{}-{}: {}", s.kigo, s.bango, s.reason);
    }
    println!(
        "{} 件の仮パスワードを発行し、{} に書き出しました（有効期限 {days} 日）。{} 件は発行していません。",
        report.issued.len(),
        out.display(),
        report.skipped.len()
    );
    Ok(())
}

pub(crate) async fn inquiries(config: &Config, all: bool, close: Option<&str>) -> Result<(), String> {
    use app::backend::members::inquiry;
    let db = open_db(config).await?;
    if let Some(reference) = close {
        return match inquiry::close(&db, reference, SystemClock.now()).await.map_err(|e| e.to_string())? {
            true => {
                println!("{reference} を対応済みにしました。");
                Ok(())
            }
            false => Err(format!("未対応の問い合わせ {reference} はありません。")),
        };
    }
    let rows = inquiry::list(&db, all).await.map_err(|e| e.to_string())?;
    if rows.is_empty() {
        println!("{}", if all { "問い合わせはありません。" } else { "未対応の問い合わせはありません。" });
    }
    for r in &rows {
        let kind = app::domain::InquiryKind::parse(&r.kind).map(|k| k.label()).unwrap_or("?");
        println!(
            "――― {} [{}] {} 受付 {}",
            r.reference,
            if r.status == "open" { "未対応" } else { "対応済み" },
            kind,
            app::backend::platform::clock::jst(r.created_at, "%Y/%m/%d %H:%M")
        );
        println!("氏名: {}  記号・番号: {}-{}  生年月日: {}", r.name, r.kigo, r.bango, r.birth_date);
        println!("連絡先: {}  電話: {}", r.email, r.phone.as_deref().unwrap_or("（なし）"));
        println!("{}\n", r.body);
    }
    Ok(())
}
