//! packkit's engine: versions from git tags (and, later, builds and releases).
//!
//! The pure-Rust modules hold all logic and are tested with `cargo test`; `python` (behind
//! the `python` feature) is only the PyO3 boundary.

pub mod build;
pub mod cli;
pub mod config;
pub mod error;
pub mod metadata;
pub mod resolve;
pub mod scm;
pub mod version;

#[cfg(feature = "python")]
mod python;
