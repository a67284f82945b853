//! The outbox's given-up mails and a test mail through the SMTP settings.

use super::open_db;
use app::backend::mail::outbox;
use app::backend::platform::Config;

pub(crate) async fn failed_mails(config: &Config) -> Result<(), String> {
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

pub(crate) async fn send_test_mail(config: Config, address: &str) -> Result<(), String> {
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
