//! The bodies of the `server` commands (main.rs defines and dispatches them).

mod bench;
mod bench_documents;
mod database;
mod documents;
mod mail;
mod members;
mod staff;

pub(crate) use bench::*;
pub(crate) use bench_documents::*;
pub(crate) use database::*;
pub(crate) use documents::*;
pub(crate) use mail::*;
pub(crate) use members::*;
pub(crate) use staff::*;
