//! Who is asking, for members and staff alike: password hashing and the login throttle, second
//! factors, sessions, and the 認証文字 challenge for clients past their limits.

pub mod captcha;
pub mod challenge;
pub mod password;
pub mod session;
pub mod throttle;
pub mod totp;
pub mod webauthn;
