//! Everything that runs only on the server, in rooms: each uses only the floor and the rooms
//! above it in this list (checked by `scripts/lint.sh`).
//!
//! platform < audit < mail < identity < members, roster, documents < staff < edge, maintenance

pub mod audit;
pub mod documents;
pub mod edge;
pub mod identity;
pub mod mail;
pub mod maintenance;
pub mod members;
pub mod platform;
pub mod roster;
pub mod staff;

// For the server crate (the binary and its tests): the state and what builds it.
pub use platform::{AppState, Clock, Config, Db, SystemClock};
