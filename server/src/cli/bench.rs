//! `bench-hash`: the password hash's cost on this machine.

pub(crate) async fn bench_hash() {
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

/// `bench-medical LINES`: the 医療費 figures of `make bench` on `DATABASE_URL` (SQLite or
/// PostgreSQL). Generates a claims file of `LINES` lines (10,000 households × 12 months × ~8
/// lines for 1,000,000), imports it with `import-medical`'s code and prints the seconds and the
/// process's peak memory; then loads 5 years for one household of 4 persons, publishes them and
/// opens a session for it. Prints `<seconds> <peak MiB> <file MiB> <session token>`.
pub(crate) async fn bench_medical(config: &app::backend::platform::Config, lines: usize) -> Result<(), String> {
    use app::backend::documents::medical_file;
    use app::backend::platform::{Clock, SystemClock};
    use app::domain::medical::Month;
    use std::io::Write;
    let db = super::open_db(config).await?;
    let now = SystemClock.now();
    let this_month = Month::of_unix_jst(now);
    let dir = tempfile_dir()?;
    let households = 10_000.min(lines.max(1));
    let per_household = lines.div_ceil(households);
    let roster = dir.join("roster.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&roster).map_err(|e| e.to_string())?);
    writeln!(out, "kigo,bango,birth_date,name,name_kana,email,status").map_err(|e| e.to_string())?;
    for h in 0..households {
        writeln!(out, "91,{},1980-01-01,被保険者 {h},,,在職", h + 1).map_err(|e| e.to_string())?;
    }
    writeln!(out, "95,1,1975-05-05,山田 太郎,,,在職").map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let rows = app::backend::roster::decode(&std::fs::read(&roster).map_err(|e| e.to_string())?)
        .and_then(|t| app::backend::roster::parse(&t, SystemClock.today()))
        .map_err(|e| e.to_string())?;
    app::backend::roster::import(&db, &rows, now).await.map_err(|e| e.to_string())?;

    const HEADER: &str = "記号,番号,枝番,受診者氏名,診療年月,医療機関等名称,診療区分,日数,医療費総額,自己負担額,処理年月";
    const FACILITIES: [&str; 4] =
        ["医療法人社団 さくら会 みなと内科クリニック", "さくら薬局 芝浦店", "芝浦デンタルクリニック", "東京ミライ総合病院"];
    const CATEGORIES: [&str; 4] = ["医科外来", "調剤", "歯科", "医科入院"];
    let batch = this_month.minus(1);
    let claims = dir.join("claims.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&claims).map_err(|e| e.to_string())?);
    writeln!(out, "{HEADER}").map_err(|e| e.to_string())?;
    let mut written = 0;
    'all: for h in 0..households {
        for i in 0..per_household {
            if written == lines {
                break 'all;
            }
            let month = batch.minus((i % 12) as u32);
            let k = (h + i) % 4;
            let total = 1000 + (h * 37 + i * 101) % 90_000;
            writeln!(
                out,
                "91,{},0{},被保険者 {h},{},{},{},{},{total},{},{}",
                h + 1,
                i % 3,
                month.iso(),
                FACILITIES[k],
                CATEGORIES[k],
                1 + i % 5,
                total * 3 / 10,
                batch.iso()
            )
            .map_err(|e| e.to_string())?;
            written += 1;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let file_mib = std::fs::metadata(&claims).map_err(|e| e.to_string())?.len() as f64 / (1 << 20) as f64;
    let started = std::time::Instant::now();
    medical_file::load_path(&db, &claims, now, this_month, true).await.map_err(|e| e.to_string())?;
    let seconds = started.elapsed().as_secs_f64();
    let peak = peak_mib();

    // One household, 4 persons, 5 years: one batch per year, published now.
    for years_back in 0..5u32 {
        let batch = this_month.minus(1 + 12 * years_back);
        let file = dir.join(format!("household-{years_back}.csv"));
        let mut out = std::io::BufWriter::new(std::fs::File::create(&file).map_err(|e| e.to_string())?);
        writeln!(out, "{HEADER}").map_err(|e| e.to_string())?;
        for m in 0..12u32 {
            for (p, person) in ["山田 太郎", "山田 花子", "山田 陽翔", "山田 結衣"].iter().enumerate() {
                for k in 0..2 {
                    let idx = (p + k + m as usize) % 4;
                    writeln!(
                        out,
                        "95,1,0{p},{person},{},{},{},1,{},{},{}",
                        batch.minus(m).iso(),
                        FACILITIES[idx],
                        CATEGORIES[idx],
                        3000 + idx * 1000,
                        900 + idx * 300,
                        batch.iso()
                    )
                    .map_err(|e| e.to_string())?;
                }
            }
        }
        out.flush().map_err(|e| e.to_string())?;
        drop(out);
        medical_file::load_path(&db, &file, now, this_month, true).await.map_err(|e| e.to_string())?;
    }
    // Published without a publisher: visible, and no 掲載 mail is started for the bench.
    sqlx::query("UPDATE medical_batches SET publish_at = $1").bind(now).execute(&db).await.map_err(|e| e.to_string())?;
    let account = app::backend::platform::ids::new_id();
    sqlx::query(
        "INSERT INTO accounts (id, kigo, bango, login_id, login_id_norm, password_hash, nickname, email1, created_at, updated_at, consent_version) \
         VALUES ($1, '95', '1', 'bench.medical', 'bench.medical', '-', 'bench', NULL, $2, $2, $3)",
    )
    .bind(&account)
    .bind(now)
    .bind(&config.consent.key)
    .execute(&db)
    .await
    .map_err(|e| e.to_string())?;
    let token = app::backend::identity::session::MEMBERS
        .open(&db, &account, &app::backend::platform::Client::default(), now)
        .await
        .map_err(|e| e.to_string())?;
    let _ = std::fs::remove_dir_all(&dir);
    println!("{seconds:.1} {peak:.0} {file_mib:.0} {token}");
    Ok(())
}

fn tempfile_dir() -> Result<std::path::PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("bench-medical-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// The process's peak resident memory (VmHWM), MiB.
pub(crate) fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok()))
        .map_or(0.0, |kb| kb / 1024.0)
}
