//! Releases: what the history since the last tag means for the next version and the
//! changelog (Conventional Commits). Pure logic; the commits come from `scm`.

pub mod commits;
