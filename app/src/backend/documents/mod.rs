//! 書類: what the society publishes for its members to read behind the login — the 医療費のお知らせ
//! (loaded from the claims file, its yearly PDF for the 医療費控除) and the 資格情報のお知らせ
//! (issued from the rosters), read by the household only; and who still gets them on paper.
//! Staff actions on them go through `staff::medical_upload` and `staff::family_upload`.

pub mod benefit_file;
pub mod benefit_pdf;
pub mod benefits;
pub mod medical;
pub mod medical_file;
pub mod paper;
pub mod pdf;
pub mod qualification;
pub mod qualification_pdf;
pub mod statement_pdf;
