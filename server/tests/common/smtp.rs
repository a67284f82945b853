//! A small but real SMTP server on loopback for tests: speaks the protocol lettre
//! uses, keeps every accepted message, and can refuse the next N transactions.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data.lines().find(|l| l.to_ascii_lowercase().starts_with(&prefix)).map(|l| l[prefix.len()..].trim().to_string())
    }

    /// A header as a mail client shows it: continuation lines joined, RFC 2047 words decoded.
    pub fn decoded_header(&self, name: &str) -> Option<String> {
        let (head, _) = self.split();
        let prefix = format!("{}:", name.to_ascii_lowercase());
        let mut lines = head.split("\r\n").skip_while(|l| !l.to_ascii_lowercase().starts_with(&prefix));
        let mut value = lines.next()?[prefix.len()..].to_string();
        for more in lines.take_while(|l| l.starts_with([' ', '\t'])) {
            value.push_str(more);
        }
        Some(decode_words(value.trim()))
    }

    /// The decoded Subject.
    pub fn subject(&self) -> String {
        self.decoded_header("Subject").unwrap_or_default()
    }

    /// Whether the mail went to `to` (addresses compared as mail servers do, ignoring case).
    pub fn is_to(&self, to: &str) -> bool {
        self.recipients.iter().any(|r| r.eq_ignore_ascii_case(to))
    }

    /// The plain-text body, its transfer encoding (7bit, quoted-printable, base64) undone,
    /// with `\n` line ends.
    pub fn body(&self) -> String {
        let (_, body) = self.split();
        let encoding = self.decoded_header("Content-Transfer-Encoding").unwrap_or_default().to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "quoted-printable" => quoted_printable(body),
            "base64" => {
                use base64::Engine as _;
                let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
                base64::engine::general_purpose::STANDARD.decode(compact).expect("base64 body")
            }
            _ => body.as_bytes().to_vec(),
        };
        String::from_utf8(bytes).expect("UTF-8 body").replace("\r\n", "\n")
    }

    fn split(&self) -> (&str, &str) {
        self.data.split_once("\r\n\r\n").unwrap_or((self.data.as_str(), ""))
    }
}

/// Undoes quoted-printable: `=XX` bytes and `=` soft line breaks.
fn quoted_printable(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if bytes[i + 1..].starts_with(b"\n") => i += 2,
            b'=' => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("quoted-printable escape");
                out.push(u8::from_str_radix(hex, 16).expect("quoted-printable hex"));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// Decodes RFC 2047 encoded words (`=?utf-8?b?…?=`, `=?utf-8?q?…?=`); the white space between
/// two adjacent words is dropped, as the RFC says.
fn decode_words(value: &str) -> String {
    use base64::Engine as _;
    let mut out = String::new();
    let mut rest = value;
    let mut after_word = false;
    while !rest.is_empty() {
        let Some(start) = rest.find("=?") else {
            out.push_str(rest);
            break;
        };
        let (before, word) = rest.split_at(start);
        let parts: Vec<&str> = word[2..].splitn(3, '?').collect();
        let end = parts.get(2).and_then(|p| p.find("?="));
        let (Some(end), [_charset, encoding, payload]) = (end, parts.as_slice()) else {
            out.push_str(rest);
            break;
        };
        if !(after_word && before.trim().is_empty()) {
            out.push_str(before);
        }
        let text = &payload[..end];
        let bytes = if encoding.eq_ignore_ascii_case("b") {
            base64::engine::general_purpose::STANDARD.decode(text).expect("base64 word")
        } else {
            quoted_printable(&text.replace('_', " "))
        };
        out.push_str(&String::from_utf8(bytes).expect("UTF-8 word"));
        let consumed = 2 + encoding.len() + _charset.len() + 2 + end + 2;
        rest = &word[consumed..];
        after_word = true;
    }
    out
}

#[derive(Clone)]
pub struct SmtpListener {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<AtomicUsize>,
}

impl SmtpListener {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let me = Self { port: listener.local_addr().unwrap().port(), received: Arc::default(), refuse: Arc::default() };
        let server = me.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move {
                    let _ = server.session(stream).await;
                });
            }
        });
        me
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The next `n` MAIL FROM commands get a temporary failure (451).
    pub fn refuse_next(&self, n: usize) {
        self.refuse.store(n, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    async fn session(&self, stream: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test-smtp ESMTP\r\n").await?;
        let mut recipients = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let cmd = line.trim_end().to_ascii_uppercase();
            let reply: &[u8] = if cmd.starts_with("EHLO") {
                b"250-test-smtp\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
            } else if cmd.starts_with("HELO") || cmd.starts_with("NOOP") {
                b"250 ok\r\n"
            } else if cmd.starts_with("RSET") {
                recipients.clear();
                b"250 ok\r\n"
            } else if cmd.starts_with("MAIL FROM") {
                let refused = self.refuse.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1)).is_ok();
                if refused {
                    b"451 4.3.0 try again later\r\n"
                } else {
                    b"250 ok\r\n"
                }
            } else if cmd.starts_with("RCPT TO") {
                let addr = line.trim_end()[8..].trim().trim_start_matches(':').trim().trim_matches(|c| c == '<' || c == '>');
                recipients.push(addr.to_string());
                b"250 ok\r\n"
            } else if cmd == "DATA" {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                self.received.lock().unwrap().push(Received { recipients: std::mem::take(&mut recipients), data });
                b"250 queued\r\n"
            } else if cmd.starts_with("QUIT") {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            } else {
                b"502 not implemented\r\n"
            };
            write.write_all(reply).await?;
        }
    }
}
