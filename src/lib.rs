//! packkit's engine: versions from git tags and a PEP 517 build backend.
//!
//! The pure-Rust modules hold all logic and are tested with `cargo test`; `python` (behind
//! the `python` feature) is only the PyO3 boundary. A module imports only modules below it
//! (docs/architecture.rst): error, interrupt, paths, lines, atomic, read, report →
//! pyproject, version → scm → resolve,
//! metadata → release → build → scaffold, status, migrate → interpreter, cli → python;
//! `main.rs` is the native `packkit` executable, over cli.

pub mod atomic;
pub mod build;
pub mod cli;
pub mod error;
pub mod interpreter;
pub mod interrupt;
pub mod lines;
pub mod metadata;
pub mod migrate;
pub mod paths;
pub mod pyproject;
pub mod read;
pub mod release;
pub mod report;
pub mod resolve;
pub mod scaffold;
pub mod scm;
pub mod status;
pub mod version;

#[cfg(test)]
mod properties;

#[cfg(feature = "python")]
mod python;
