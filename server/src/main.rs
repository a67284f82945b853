//! `server`: the portal's one binary (README.md "Configuration").

use app::backend::platform::{db, Clock, Config, SystemClock};

use app::backend::mail::outbox;

use app::backend::roster;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "server", version, about = "健康マイポータル: the members' portal server and its staff commands")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default): migrates the database, starts the mail worker.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// After a key change (the new key in SECRET_KEY, the old one in SECRET_KEY_OLD): seal every
    /// stored secret again under the new key; then the old key may leave SECRET_KEY_OLD.
    RotateSecrets,
    /// Import the member roster (被保険者名簿) from a CSV file: UTF-8 or Shift_JIS,
    /// English or Japanese headers; all rows or none.
    ImportRoster {
        /// The CSV file (kigo,bango,birth_date,name,name_kana,email,status).
        file: PathBuf,
        /// 全件置換: the file is the whole roster; members absent from it become 資格喪失
        /// (their accounts can no longer log in; nothing is deleted).
        #[arg(long)]
        replace: bool,
        /// Only print what would change (new, changed with the fields, unchanged, retired).
        #[arg(long)]
        dry_run: bool,
    },
    /// Issue login IDs and temporary passwords (紙通知) and write them to a printable CSV.
    /// Logging in with one forces パスワード変更 then プロフィール設定.
    IssueTempCredentials {
        /// A member as 記号-番号, e.g. 12-345 (repeat for several).
        #[arg(long = "member", value_name = "KIGO-BANGO", required_unless_present = "all_without_email")]
        members: Vec<String>,
        /// Every active member without a company address and without an account.
        #[arg(long, conflicts_with = "members")]
        all_without_email: bool,
        /// The CSV to write (UTF-8 with BOM); must not exist yet. Keep it safe: it holds passwords.
        #[arg(long, short)]
        out: PathBuf,
        /// Days the temporary passwords work.
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(i64).range(1..=365))]
        days: i64,
    },
    /// List the inquiries of the ログイン・パスワード問い合わせ専用フォーム (open ones by default),
    /// or mark one answered.
    Inquiries {
        /// Include answered inquiries.
        #[arg(long)]
        all: bool,
        /// Mark the inquiry with this reference (e.g. Q-20261125-7K3M) answered.
        #[arg(long, value_name = "REFERENCE")]
        close: Option<String>,
    },
    /// The mail outbox: mails given up after their last attempt (their bodies, which may hold
    /// one-time links, are already erased).
    Outbox {
        /// List the mails given up.
        #[arg(long, required = true)]
        failed: bool,
    },
    /// Staff accounts of the 職員画面 (/staff). The first 管理者 is created here.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// `make bench` helper: the median time of one argon2id verification (production
    /// parameters, one core) in seconds, and the verifications per second with every core busy.
    #[command(hide = true)]
    BenchHash,
    /// Check the configuration as `serve` would (settings, database and schema, SMTP server,
    /// proxies, secret) and print what was found, without serving. Fails if serve would.
    CheckConfig,
    /// Write an online, consistent copy of the SQLite database to FILE (a new file). For
    /// PostgreSQL use pg_dump (README.md "Backups").
    Backup {
        /// The copy to write; must not exist yet.
        file: PathBuf,
    },
    /// Send a test mail through the configured SMTP server (or the dev inbox) and report the result.
    SendTestMail {
        /// Recipient address.
        address: String,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Add a staff account and print its one-time setup link (24 h): the staff member opens it
    /// to choose a password and enrol an authenticator app.
    Add {
        /// 氏名, as shown in the console and the audit log.
        #[arg(long)]
        name: String,
        /// The staff member's address: the login ID.
        #[arg(long)]
        email: String,
        /// admin (管理者: everything, staff management included) or agent (担当者).
        #[arg(long, value_parser = ["admin", "agent"])]
        role: String,
        /// Their own 記号-番号 if the society insures them (e.g. 12-345): they may not act on it.
        #[arg(long, value_name = "KIGO-BANGO")]
        member: Option<String>,
    },
}

/// Each argon2id hash allocates 19 MiB. glibc's default raises its mmap threshold after the
/// first such block is freed, then keeps later ones in per-thread heaps that never shrink:
/// a login storm left the server at ~2 GB resident. A fixed threshold keeps every block
/// ≥ 1 MiB in its own mapping, returned to the system when freed.
fn release_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt is thread-safe and only tunes the allocator.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Logs as text, or as one JSON object a line for log shippers (`LOG_FORMAT=json`).
fn init_tracing() -> Result<(), String> {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_target(false);
    match std::env::var("LOG_FORMAT").unwrap_or_default().trim() {
        "" | "text" => logs.init(),
        "json" => logs.json().with_current_span(true).with_span_list(false).init(),
        other => return Err(format!("LOG_FORMAT is not valid: {other:?} is not allowed: text (default) or json")),
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    release_large_allocations();
    let _ = dotenvy::dotenv();
    if let Err(e) = init_tracing() {
        eprintln!("設定エラー: {e}");
        return ExitCode::FAILURE;
    }
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("設定エラー: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => server::serve(config, server::shutdown_signal()).await.map_err(|e| e.to_string()),
        Command::Migrate => migrate(&config).await,
        Command::RotateSecrets => rotate_secrets(&config).await,
        Command::ImportRoster { file, replace, dry_run } => {
            let mode = if replace { roster::Mode::Replace } else { roster::Mode::Upsert };
            import_roster(&config, &file, mode, dry_run).await
        }
        Command::IssueTempCredentials { members, all_without_email, out, days } => {
            issue_temp_credentials(&config, &members, all_without_email, &out, days).await
        }
        Command::Staff { command: StaffCommand::Add { name, email, role, member } } => {
            add_staff(&config, &name, &email, &role, member.as_deref()).await
        }
        Command::Inquiries { all, close } => inquiries(&config, all, close.as_deref()).await,
        Command::Outbox { failed: _ } => failed_mails(&config).await,
        Command::BenchHash => {
            bench_hash().await;
            Ok(())
        }
        Command::SendTestMail { address } => send_test_mail(config, &address).await,
        Command::CheckConfig => check_config(&config).await,
        Command::Backup { file } => backup(&config, &file).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("エラー: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The database for a command, migrated, with the server's key in use (so that whatever a
/// command writes to the audit log is hashed as the serving instances hash it).
async fn open_db(config: &Config) -> Result<app::backend::platform::Db, String> {
    let db = db::connect_and_migrate(&config.database_url).await.map_err(|e| e.to_string())?;
    let key = app::backend::platform::secret::load_or_create(&db, config.secret_key.as_deref(), &config.secret_key_old)
        .await
        .map_err(|e| e.to_string())?;
    app::backend::platform::secret::install(key, config.secret_key_old.iter().map(|k| k.as_bytes().to_vec()).collect());
    Ok(db)
}

async fn check_config(config: &Config) -> Result<(), String> {
    let findings = server::health::check_config(config).await;
    for f in &findings {
        println!("{} {}: {}", if f.ok { "OK" } else { "NG" }, f.what, f.detail);
    }
    match findings.iter().filter(|f| !f.ok).count() {
        0 => Ok(()),
        n => Err(format!("{n} 件の問題があります。serve は起動しません。")),
    }
}

async fn rotate_secrets(config: &Config) -> Result<(), String> {
    let db = open_db(config).await?;
    let done = app::backend::platform::secret::rotate(&db).await.map_err(|e| e.to_string())?;
    println!("封印し直した値: {} 件", done.resealed);
    if done.unreadable > 0 {
        return Err(format!(
            "{} 件は SECRET_KEY にも SECRET_KEY_OLD にも合わない鍵で封印されています。その鍵を SECRET_KEY_OLD に加えて、もう一度実行してください。",
            done.unreadable
        ));
    }
    println!("完了しました。SECRET_KEY_OLD の鍵は、バックアップコードと配信停止リンクのために残すか、不要なら外してください。");
    Ok(())
}

async fn backup(config: &Config, file: &std::path::Path) -> Result<(), String> {
    let db = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db::backup_sqlite(&db, file).await.map_err(|e| e.to_string())?;
    println!("バックアップを書き出しました: {}", file.display());
    Ok(())
}

async fn add_staff(config: &Config, name: &str, email: &str, role: &str, member: Option<&str>) -> Result<(), String> {
    use app::backend::staff::{accounts, StaffError};
    use app::domain::{Email, StaffRole};
    let name = app::domain::trim_spaces(name);
    if name.is_empty() {
        return Err("--name を指定してください。".into());
    }
    let email = Email::parse(email).map_err(|e| e.0)?;
    let role = StaffRole::parse(role).ok_or("--role は admin か agent です。")?;
    let member = match member {
        Some(m) => Some(app::domain::MemberNumber::parse_joined(m).ok_or("--member は 12-345 の形で指定してください。")?),
        None => None,
    };
    let db = open_db(config).await?;
    match accounts::add(&db, config, SystemClock.now(), None, accounts::NewStaff { name, email: &email, role, member }).await {
        Ok(link) => {
            println!(
                "{}（{}）を追加しました。24時間以内に次のURLを開き、パスワードと認証アプリを設定してください（一度だけ使えます）:",
                name,
                role.label()
            );
            println!("{link}");
            Ok(())
        }
        Err(StaffError::EmailTaken) => Err(format!("{} の職員は既に登録されています。", email.as_str())),
        Err(e) => Err(e.to_string()),
    }
}

async fn migrate(config: &Config) -> Result<(), String> {
    open_db(config).await?;
    println!("データベースは最新です（migrations applied）。");
    Ok(())
}

async fn import_roster(config: &Config, file: &PathBuf, mode: roster::Mode, dry_run: bool) -> Result<(), String> {
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
    match roster::import_with(&db, &rows, clock.now(), mode).await {
        Ok(s) => {
            println!(
                "名簿を取り込みました: {} 件（新規 {} 件、更新 {} 件、資格喪失 {} 件）。",
                rows.len(),
                s.inserted,
                s.updated,
                s.retired
            );
            Ok(())
        }
        Err(roster::ImportError::Rows(errors)) => Err(refused(&errors)),
        Err(e) => Err(e.to_string()),
    }
}

async fn issue_temp_credentials(
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

async fn inquiries(config: &Config, all: bool, close: Option<&str>) -> Result<(), String> {
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

async fn failed_mails(config: &Config) -> Result<(), String> {
    let db = open_db(config).await?;
    let mails = outbox::failed(&db).await.map_err(|e| e.to_string())?;
    if mails.is_empty() {
        println!("送信をあきらめたメールはありません。");
    }
    for m in &mails {
        let at = |t: i64| app::backend::platform::clock::jst(t, "%Y/%m/%d %H:%M");
        println!(
            "{}  作成 {}  断念 {}  試行 {} 回  宛先 {}  件名 {}",
            m.id,
            at(m.created_at),
            at(m.failed_at),
            m.attempts,
            m.recipient,
            m.subject
        );
        println!("    最後のエラー: {}", m.last_error.as_deref().unwrap_or("-"));
    }
    Ok(())
}

async fn bench_hash() {
    use app::backend::identity::password;
    let hash = password::hash("Bench#Password-1".into()).await.expect("hash");
    let mut times: Vec<f64> = Vec::new();
    for _ in 0..21 {
        let start = std::time::Instant::now();
        assert!(password::verify("Bench#Password-1".into(), hash.clone()).await.expect("a turn to hash"));
        times.push(start.elapsed().as_secs_f64());
    }
    times.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    // Then every core at once: argon2's 19 MiB blocks share the caches and the memory bus, so
    // N hashes at once take longer than one. This rate is what a login storm can reach.
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    const EACH: usize = 20;
    let start = std::time::Instant::now();
    let runs: Vec<_> = (0..cores)
        .map(|_| {
            let hash = hash.clone();
            tokio::spawn(async move {
                for _ in 0..EACH {
                    assert!(password::verify("Bench#Password-1".into(), hash.clone()).await.expect("a turn to hash"));
                }
            })
        })
        .collect();
    for run in runs {
        run.await.expect("a hashing run");
    }
    let parallel_rate = (cores * EACH) as f64 / start.elapsed().as_secs_f64();
    // "<median seconds of one hash> <hashes per second with every core busy>"
    println!("{:.6} {parallel_rate:.2}", times[times.len() / 2]);
}

async fn send_test_mail(config: Config, address: &str) -> Result<(), String> {
    let to = app::domain::Email::parse(address).map_err(|e| e.to_string())?;
    let state = server::build_state(config).await.map_err(|e| e.to_string())?;
    let mailer = server::build_mailer(&state).map_err(|e| e.to_string())?;
    let mail = app::backend::mail::letters::test_mail(&state.config, to.as_str());
    let id = outbox::enqueue(&state.db, state.clock.now(), &mail).await.map_err(|e| e.to_string())?;
    server::worker::deliver_due(&state.db, &mailer, state.clock.as_ref()).await.map_err(|e| e.to_string())?;
    // A running server's worker may have claimed the mail first: wait for the first attempt's outcome.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let (sent_at, error) = loop {
        let (sent_at, attempts, error): (Option<i64>, i64, Option<String>) =
            sqlx::query_as("SELECT sent_at, attempts, last_error FROM mail_outbox WHERE id = $1")
                .bind(&id)
                .fetch_one(&state.db)
                .await
                .map_err(|e| e.to_string())?;
        if sent_at.is_some() || attempts > 0 || std::time::Instant::now() > deadline {
            break (sent_at, error);
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    match (sent_at, error) {
        (Some(_), _) => {
            println!("テストメールを送信しました（{}）。", mailer.describe());
            Ok(())
        }
        (None, error) => Err(format!(
            "テストメールを送信できませんでした: {}（送信待ちとして残し、サーバー起動中は再送します）",
            error.unwrap_or_else(|| "unknown".into())
        )),
    }
}
