//! Releases: the channel a version belongs to (unstable, testing, stable), where each channel
//! publishes and whether a version may be published (`channel`), the next release's tag
//! (`bump`), and what the history since the last tag means for the next version and the
//! changelog (`commits`, Conventional Commits). Knows versions, git facts, the version
//! settings and `pyproject.toml`; nothing of builds.

pub mod bump;
pub mod changelog_file;
pub mod channel;
pub mod commits;
pub mod publish;

/// `[tool.packkit]` keys owned by releases; the version settings' unknown-key check is told
/// about them through `build::OTHER_KEYS`.
pub const RELEASE_KEYS: &[&str] = &["channels", "release"];
