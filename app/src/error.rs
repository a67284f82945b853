//! The error every server function returns: messages for fields (shown next to
//! them, with or without JavaScript) and/or one message for the whole form.

use crate::domain::FieldError;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The member can fix it: (field name, message) pairs and an optional form message.
    Invalid { fields: Vec<(String, String)>, message: Option<String> },
    /// Too many tries: the form message says when to try again.
    Limited(String),
    /// The link or the procedure can no longer be used (spent, expired, finished): the page
    /// shows this message in place of the form, which cannot succeed any more.
    Gone(String),
    /// The member must go elsewhere first (no session: login; a temporary password: パスワード変更).
    /// A full page load gets a 302; a form island follows it (`components::action_error`).
    Redirect(String),
    /// A staff member whose role does not allow this (403).
    Forbidden,
    /// Too many requests wait for the same work (password hashing): try again shortly (503).
    Busy,
    /// Something failed on our side; details are in the operator's log only.
    Internal,
    /// The request did not reach the server function properly (network, decoding).
    Transport(String),
}

pub const INTERNAL_MESSAGE: &str = "ただいま処理を完了できませんでした。しばらく時間をおいてから、もう一度お試しください。";
pub const BUSY_MESSAGE: &str = "ただいま混み合っています。しばらく待ってから、もう一度お試しください。";
pub const FORBIDDEN_MESSAGE: &str = "この操作を行う権限がありません。管理者にお問い合わせください。";
pub const TRANSPORT_MESSAGE: &str = "通信に失敗しました。通信環境をご確認のうえ、もう一度お試しください。";

impl AppError {
    pub fn form(message: impl Into<String>) -> Self {
        Self::Invalid { fields: Vec::new(), message: Some(message.into()) }
    }

    /// The message of a link that can no longer be used, if this is one.
    pub fn gone_message(&self) -> Option<&str> {
        match self {
            Self::Gone(m) => Some(m),
            _ => None,
        }
    }

    pub fn field(name: &str, error: FieldError) -> Self {
        Self::Invalid { fields: vec![(name.to_string(), error.0)], message: None }
    }

    /// The same error with field `from`'s message under `to` (a form whose field has another name).
    pub fn rename_field(mut self, from: &str, to: &str) -> Self {
        if let Self::Invalid { fields, .. } = &mut self {
            fields.iter_mut().filter(|(f, _)| f == from).for_each(|(f, _)| *f = to.to_string());
        }
        self
    }

    /// The message for one field, if any.
    pub fn field_message(&self, name: &str) -> Option<String> {
        match self {
            Self::Invalid { fields, .. } => fields.iter().find(|(f, _)| f == name).map(|(_, m)| m.clone()),
            _ => None,
        }
    }

    /// The message shown above the form, if any.
    pub fn form_message(&self) -> Option<String> {
        match self {
            Self::Invalid { message, fields } => message
                .clone()
                .or_else(|| (!fields.is_empty()).then(|| "入力内容に誤りがあります。各項目のメッセージをご確認ください。".to_string())),
            Self::Limited(m) | Self::Gone(m) => Some(m.clone()),
            Self::Redirect(_) => None,
            Self::Busy => Some(BUSY_MESSAGE.into()),
            Self::Forbidden => Some(FORBIDDEN_MESSAGE.into()),
            Self::Internal => Some(INTERNAL_MESSAGE.into()),
            Self::Transport(_) => Some(TRANSPORT_MESSAGE.into()),
        }
    }
}

impl AppError {
    /// The HTTP status of a server function's error answer: 4xx for what the member can
    /// fix or wait out, 5xx only for our failures.
    pub fn status(&self) -> u16 {
        match self {
            Self::Invalid { .. } => 422,
            Self::Limited(_) => 429,
            Self::Gone(_) => 410,
            Self::Redirect(_) => 401,
            Self::Forbidden => 403,
            Self::Busy => 503,
            Self::Internal | Self::Transport(_) => 500,
        }
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.form_message().unwrap_or_default())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self::Transport(value.to_string())
    }
}

/// Collects field errors while parsing a form, so every field gets its message at once.
#[derive(Debug, Default)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// Keeps the value, or records the field's message.
    pub fn check<T>(&mut self, name: &str, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push((name.to_string(), e.0));
                None
            }
        }
    }

    pub fn add(&mut self, name: &str, message: impl Into<String>) {
        self.0.push((name.to_string(), message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The parsed values (a tuple of what `check` returned), or `Err` with every message if
    /// any field failed.
    pub fn finish<V: AllParsed>(self, values: V) -> Result<V::Values, AppError> {
        match values.all_parsed() {
            Some(values) if self.0.is_empty() => Ok(values),
            _ => Err(AppError::Invalid { fields: self.0, message: None }),
        }
    }
}

/// A tuple of `Option`s from `FieldErrors::check`: all `Some` exactly when no field failed.
pub trait AllParsed {
    type Values;
    fn all_parsed(self) -> Option<Self::Values>;
}

macro_rules! all_parsed {
    ($($v:ident),*) => {
        impl<$($v),*> AllParsed for ($(Option<$v>,)*) {
            type Values = ($($v,)*);
            #[allow(non_snake_case)]
            fn all_parsed(self) -> Option<Self::Values> {
                let ($($v,)*) = self;
                Some(($($v?,)*))
            }
        }
    };
}
all_parsed!();
all_parsed!(A);
all_parsed!(A, B);
all_parsed!(A, B, C);
all_parsed!(A, B, C, D);
all_parsed!(A, B, C, D, E);
all_parsed!(A, B, C, D, E, F);
all_parsed!(A, B, C, D, E, F, G);
all_parsed!(A, B, C, D, E, F, G, H);

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        Self::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_hands_back_every_parsed_value_or_every_message() {
        let mut errors = FieldErrors::default();
        let a = errors.check("a", Ok::<_, FieldError>(1));
        let b = errors.check("b", Ok::<_, FieldError>("two"));
        assert_eq!(errors.finish((a, b)), Ok((1, "two")));

        let mut errors = FieldErrors::default();
        let a = errors.check("a", Err::<i32, _>(FieldError::new("Aが違います。")));
        let b = errors.check("b", Ok::<_, FieldError>("two"));
        errors.add("c", "Cが違います。");
        let e = errors.finish((a, b)).unwrap_err();
        assert_eq!(e.field_message("a").as_deref(), Some("Aが違います。"));
        assert_eq!(e.field_message("c").as_deref(), Some("Cが違います。"));
        assert_eq!(e.status(), 422);
    }

    #[test]
    fn an_unusable_link_is_told_by_its_type() {
        let gone = AppError::Gone("このURLは使用できません。".into());
        assert_eq!(gone.gone_message(), Some("このURLは使用できません。"));
        assert_eq!(gone.form_message().as_deref(), Some("このURLは使用できません。"));
        assert_eq!(gone.status(), 410);
        assert_eq!(AppError::form("このURLは使用できません。").gone_message(), None, "the same words in another error are not a gone link");
    }
}
