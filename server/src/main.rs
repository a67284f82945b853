//! `server`: the portal's one binary (README.md "Configuration").

mod cli;

use app::backend::platform::Config;
use app::backend::roster;
use clap::{Parser, Subcommand};
use cli::*;
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
        /// The CSV file (kigo,bango,birth_date,name,name_kana,email,status[,branch,acquired_on]).
        file: PathBuf,
        /// 全件置換: the file is the whole roster; members absent from it become 資格喪失
        /// (their accounts can no longer log in; nothing is deleted).
        #[arg(long)]
        replace: bool,
        /// Only print what would change (new, changed with the fields, unchanged, retired).
        #[arg(long)]
        dry_run: bool,
    },
    /// Import the family (被扶養者名簿, README "被扶養者名簿") from a CSV file: the file replaces the
    /// whole family of every 記号・番号 it names; all rows or none. Issues the 資格情報のお知らせ
    /// of whoever is new or changed (without a mail: the console's upload mails them).
    ImportFamily {
        /// The CSV file (kigo,bango,branch,name,name_kana,birth_date,relation,acquired_on,lost_on).
        file: PathBuf,
        /// Only print what would change.
        #[arg(long)]
        dry_run: bool,
    },
    /// Load a decision file of 給付金 (README "給付金の決定"): one 決定日 per file, UTF-8 or
    /// Shift_JIS; the same 決定日 again replaces it. Members see it at once (without a mail: the
    /// console's upload mails them).
    ImportBenefits {
        file: PathBuf,
        /// Only check the file and print what it holds.
        #[arg(long)]
        dry_run: bool,
    },
    /// Import the society's claims file (医療費データ, README "医療費データ"): one 処理年月 per
    /// file, UTF-8 or Shift_JIS, any size (streamed); the same 処理年月 again replaces it. The
    /// batch is loaded unpublished: staff schedule it in the console.
    ImportMedical {
        file: PathBuf,
        /// Only check the file and print what it holds.
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
    /// `make bench` helper: imports LINES generated 医療費 lines into DATABASE_URL, then gives one
    /// household 5 years and a session (cli/bench.rs).
    #[command(hide = true)]
    BenchMedical { lines: usize },
    /// `make bench`: 100,000 被扶養者 and 給付金 rows imported, timed (prints figures).
    #[command(hide = true)]
    BenchFamily { rows: usize },
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
        Command::ImportFamily { file, dry_run } => import_family(&config, &file, dry_run).await,
        Command::ImportMedical { file, dry_run } => import_medical(&config, &file, dry_run).await,
        Command::ImportBenefits { file, dry_run } => import_benefits(&config, &file, dry_run).await,
        Command::IssueTempCredentials { members, all_without_email, out, days } => {
            issue_temp_credentials(&config, &members, all_without_email, &out, days).await
        }
        Command::Staff { command: StaffCommand::Add { name, email, role, member } } => {
            add_staff(&config, &name, &email, &role, member.as_deref()).await
        }
        Command::Inquiries { all, close } => inquiries(&config, all, close.as_deref()).await,
        Command::Outbox { failed: _ } => failed_mails(&config).await,
        Command::BenchMedical { lines } => bench_medical(&config, lines).await,
        Command::BenchFamily { rows } => bench_family(&config, rows).await,
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
