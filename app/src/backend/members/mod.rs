//! What members do: log in, 新規利用登録, recovery, profile and password, 2段階認証, consent,
//! inquiries, ホーム, and the temporary passwords issued to them.

pub mod consent;
pub mod home;
pub mod inquiry;
pub mod login;
pub mod passkeys;
pub mod recovery;
pub mod registration;
pub mod settings;
pub mod temp_credentials;
pub mod two_step;
