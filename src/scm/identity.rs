//! Who git says the user is: `user.name` and `user.email`, read with gix from the
//! configuration files alone (no repository's programs, no `git` subprocess).

use std::path::Path;

use crate::error::{Error, Result};

/// A person as git records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub name: String,
    pub email: String,
}

/// `user.name` and `user.email` from the system and global git configuration (as git reads
/// them: `GIT_CONFIG_NOSYSTEM` and `GIT_CONFIG_GLOBAL` are honoured), each `None` when unset.
/// Only these files are read: no repository is involved, and the git installation's own
/// configuration, which gix finds by running `git`, is left out (on Unix, the system file is
/// `/etc/gitconfig`).
pub fn user_config() -> (Option<String>, Option<String>) {
    use gix::config::{Source, file::Metadata};
    let env_var = &mut |name: &str| std::env::var_os(name);
    let metas = [Source::System, Source::Git, Source::User]
        .into_iter()
        .filter_map(|source| {
            let path = source
                .storage_location(env_var)
                .filter(|path| path.is_file())?;
            Some(Metadata {
                path: Some(path),
                source,
                level: 0,
                trust: gix::sec::Trust::Full,
            })
        });
    let Ok(Some(config)) =
        gix::config::File::from_paths_metadata(metas, gix::config::file::init::Options::default())
    else {
        return (None, None);
    };
    let value = |key: &str| {
        config
            .string(key)
            .map(|value| value.to_string().trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    (value("user.name"), value("user.email"))
}

/// The identity a tag or commit made in the repository at `git_dir` records, as git chooses
/// it: `GIT_COMMITTER_NAME`/`GIT_COMMITTER_EMAIL`, then the repository's own `user.*`, then the
/// user's and the system's; an error naming what to set when a part is missing.
pub fn committer(git_dir: &Path) -> Result<Identity> {
    let from_env = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let local = gix::config::File::from_path_no_includes(
        git_dir.join("config"),
        gix::config::Source::Local,
    )
    .ok();
    let from_local = |key: &str| {
        local
            .as_ref()?
            .string(key)
            .map(|value| value.to_string().trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    let (global_name, global_email) = user_config();
    let name = from_env("GIT_COMMITTER_NAME")
        .or_else(|| from_local("user.name"))
        .or(global_name);
    let email = from_env("GIT_COMMITTER_EMAIL")
        .or_else(|| from_local("user.email"))
        .or(global_email);
    match (name, email) {
        (Some(name), Some(email)) => {
            // git's own rule for a signature line: these would end it or start another.
            for (key, value) in [("user.name", &name), ("user.email", &email)] {
                if value.contains(['<', '>', '\n', '\0']) {
                    return Err(Error::scm(
                        format!("{key} {value:?} contains '<', '>', a line break or NUL"),
                        Some(format!(
                            "set {key} to a plain value: git config --global {key} ..."
                        )),
                    ));
                }
            }
            Ok(Identity { name, email })
        }
        (name, _) => {
            let missing = if name.is_none() {
                "user.name"
            } else {
                "user.email"
            };
            Err(Error::scm(
                format!("git does not say who you are: {missing} is not set"),
                Some(format!(
                    "set it: git config --global {missing} {}",
                    if name.is_none() {
                        "\"Your Name\""
                    } else {
                        "you@example.org"
                    }
                )),
            ))
        }
    }
}
