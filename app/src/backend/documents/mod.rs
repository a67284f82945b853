//! 書類: what the society publishes for its members to read behind the login — today the
//! 医療費のお知らせ (loaded from the claims file, read by the household only, its yearly PDF for
//! the 医療費控除). Staff actions on it go through `staff::medical_upload`.

pub mod medical;
pub mod medical_file;
pub mod pdf;
pub mod statement_pdf;
