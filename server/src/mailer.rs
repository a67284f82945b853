//! Delivery of outbox mails: over SMTP (lettre), or into the local dev inbox.

use app::backend::platform::{ids::new_id, Db};

use app::backend::mail::outbox::OutboxMail;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
        domain: String,
    },
    /// Keeps mails in the `dev_inbox` table, readable at /dev/inbox (loopback only).
    DevInbox {
        db: Db,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("SMTP_URL is not valid: {0}")]
    SmtpUrl(String),
    #[error("MAIL_FROM is not a valid address: {0}")]
    From(String),
}

impl Mailer {
    pub fn smtp(url: &str, from: &str) -> Result<Self, MailerError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| MailerError::SmtpUrl(e.to_string()))?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from: Mailbox = from.parse().map_err(|e: lettre::address::AddressError| MailerError::From(e.to_string()))?;
        let domain = from.email.domain().to_string();
        Ok(Self::Smtp { transport, from, domain })
    }

    /// Connects to the SMTP server and says hello (`server check-config`); the dev inbox is
    /// always there.
    pub async fn test_connection(&self) -> Result<(), String> {
        match self {
            Self::Smtp { transport, .. } => match transport.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err("the server did not accept the connection".into()),
                Err(e) => Err(smtp_error_text(e)),
            },
            Self::DevInbox { .. } => Ok(()),
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Self::Smtp { .. } => "SMTP",
            Self::DevInbox { .. } => "dev inbox",
        }
    }

    /// Sends one mail. The error text is for operators and holds no personal data.
    pub async fn send(&self, mail: &OutboxMail, now: i64) -> Result<(), String> {
        match self {
            Self::Smtp { transport, from, domain } => {
                let to: Mailbox = mail.recipient.parse().map_err(|_| "invalid recipient address".to_string())?;
                let mut builder = Message::builder();
                if let Some(url) = &mail.list_unsubscribe {
                    // RFC 2369 + RFC 8058: mail programs show 配信停止 and POST to the URL.
                    builder = builder
                        .raw_header(HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{url}>")))
                        .raw_header(HeaderValue::new(
                            HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                            "List-Unsubscribe=One-Click".into(),
                        ));
                }
                let message = builder
                    .from(from.clone())
                    .to(to)
                    .subject(mail.subject.as_str())
                    // The same Message-ID on every retry lets receiving servers drop a duplicate.
                    .message_id(Some(format!("<{}@{}>", mail.id, domain)))
                    .header(ContentType::TEXT_PLAIN)
                    .body(mail.body.clone())
                    .map_err(|e| format!("cannot build message: {e}"))?;
                transport.send(message).await.map(|_| ()).map_err(smtp_error_text)
            }
            Self::DevInbox { db } => {
                sqlx::query("INSERT INTO dev_inbox (id, recipient, subject, body, received_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(new_id())
                    .bind(&mail.recipient)
                    .bind(&mail.subject)
                    .bind(&mail.body)
                    .bind(now)
                    .execute(db)
                    .await
                    .map(|_| ())
                    .map_err(|e| format!("dev inbox: {e}"))
            }
        }
    }
}

/// SMTP errors can echo the recipient: keep only the kind and the status code.
fn smtp_error_text(e: lettre::transport::smtp::Error) -> String {
    let kind = if e.is_permanent() {
        "permanent"
    } else if e.is_transient() {
        "transient"
    } else if e.is_timeout() {
        "timeout"
    } else {
        "connection"
    };
    match e.status() {
        Some(code) => format!("smtp {kind} error {code}"),
        None => format!("smtp {kind} error"),
    }
}
