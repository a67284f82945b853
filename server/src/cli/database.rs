//! The database: open (migrated, with the key), check the configuration, rotate keys, back up.

use app::backend::platform::{db, Config};

/// The database for a command, migrated, with the server's key in use (so that whatever a
/// command writes to the audit log is hashed as the serving instances hash it).
pub(crate) async fn open_db(config: &Config) -> Result<app::backend::platform::Db, String> {
    let db = db::connect_and_migrate(&config.database_url).await.map_err(|e| e.to_string())?;
    let key = app::backend::platform::secret::load_or_create(&db, config.secret_key.as_deref(), &config.secret_key_old)
        .await
        .map_err(|e| e.to_string())?;
    app::backend::platform::secret::install(key, config.secret_key_old.iter().map(|k| k.as_bytes().to_vec()).collect());
    Ok(db)
}

pub(crate) async fn check_config(config: &Config) -> Result<(), String> {
    let findings = server::handlers::health::check_config(config).await;
    for f in &findings {
        println!("{} {}: {}", if f.ok { "OK" } else { "NG" }, f.what, f.detail);
    }
    match findings.iter().filter(|f| !f.ok).count() {
        0 => Ok(()),
        n => Err(format!("{n} 件の問題があります。serve は起動しません。")),
    }
}

pub(crate) async fn rotate_secrets(config: &Config) -> Result<(), String> {
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

pub(crate) async fn backup(config: &Config, file: &std::path::Path) -> Result<(), String> {
    let db = db::connect(&config.database_url).await.map_err(|e| e.to_string())?;
    db::backup_sqlite(&db, file).await.map_err(|e| e.to_string())?;
    println!("バックアップを書き出しました: {}", file.display());
    Ok(())
}

pub(crate) async fn migrate(config: &Config) -> Result<(), String> {
    open_db(config).await?;
    println!("データベースは最新です（migrations applied）。");
    Ok(())
}
