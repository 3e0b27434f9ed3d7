//! Releases: the channel a version belongs to (unstable, testing, stable), where each channel
//! publishes, and whether a version may be published. Knows versions, git facts and
//! `pyproject.toml`; nothing of builds.

pub mod bump;
pub mod channel;

/// `[tool.packkit]` keys owned by releases; the version settings' unknown-key check is told
/// about them through `build::OTHER_KEYS`.
pub const RELEASE_KEYS: &[&str] = &["channels"];
