//! The layers every request passes, one file each (their order is `with_middleware`'s).

pub mod body_limit;
pub mod client_address;
pub mod error_status;
pub mod request_id;
pub mod security;
pub mod staff_networks;
