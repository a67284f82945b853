//! Mail: the outbox every mail is written to (in the transaction that causes it), the letters
//! (subject and body of each kind), and 配信メール campaigns.

pub mod campaigns;
pub mod letters;
pub mod outbox;
