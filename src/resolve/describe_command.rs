//! setuptools_scm's `scm.git.describe_command` / `git_describe_command`, mapped onto tag
//! selection instead of run: packkit never runs a command named in a project's files. The
//! `--match` and `--exclude` globs choose tags as `git describe` would; the options that only
//! fix the output's shape setuptools_scm parses (`--tags --long --dirty --abbrev=N` with N of
//! 9 or more) are required, so that the version is the one setuptools_scm would print; any
//! other option changes the answer in a way packkit does not reproduce and is refused.

/// The tag globs of a describe command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DescribeGlobs {
    pub(super) include: Vec<String>,
    pub(super) exclude: Vec<String>,
}

/// Why a command cannot be mapped: the message and a hint.
pub(super) type Refusal = (String, String);

const SHAPE_HINT: &str = "write it as `git describe --dirty --tags --long --abbrev=40 --match PATTERN [--exclude PATTERN]`, or use `tag_regex` / `tag.prefix` to choose tags";

/// The command as setuptools_scm takes it: a string split as a shell would (`shlex.split`).
pub(super) fn split(command: &str) -> Result<Vec<String>, Refusal> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if let Some(done) = word.take() {
                    words.push(done);
                }
            }
            '\'' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(inner) => current.push(inner),
                        None => return Err(unbalanced(command)),
                    }
                }
            }
            '"' => {
                let current = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(escaped @ ('"' | '\\' | '$' | '`')) => current.push(escaped),
                            Some(other) => {
                                current.push('\\');
                                current.push(other);
                            }
                            None => return Err(unbalanced(command)),
                        },
                        Some(inner) => current.push(inner),
                        None => return Err(unbalanced(command)),
                    }
                }
            }
            '\\' => match chars.next() {
                Some(escaped) => word.get_or_insert_with(String::new).push(escaped),
                None => return Err(unbalanced(command)),
            },
            other => word.get_or_insert_with(String::new).push(other),
        }
    }
    words.extend(word);
    Ok(words)
}

fn unbalanced(command: &str) -> Refusal {
    (
        format!("{command:?} has an unclosed quote or a trailing backslash"),
        SHAPE_HINT.to_owned(),
    )
}

/// The globs of `git describe` arguments, or why they cannot be mapped.
pub(super) fn map(words: &[String]) -> Result<DescribeGlobs, Refusal> {
    let refuse = |message: String| Err((message, SHAPE_HINT.to_owned()));
    match words {
        [git, describe, ..] if git == "git" && describe == "describe" => {}
        _ => {
            return refuse(format!(
                "{:?} is not a `git describe` command; packkit runs no command",
                words.join(" ")
            ));
        }
    }
    let mut globs = DescribeGlobs::default();
    let (mut tags, mut long, mut dirty, mut abbrev) = (false, false, false, false);
    let mut rest = words[2..].iter();
    while let Some(word) = rest.next() {
        let (option, inline) = match word.split_once('=') {
            Some((option, value)) if option.starts_with("--") => (option, Some(value.to_owned())),
            _ => (word.as_str(), None),
        };
        let mut value = |name: &str| match inline.clone().or_else(|| rest.next().cloned()) {
            Some(value) => Ok(value),
            None => Err((format!("`{name}` needs a pattern"), SHAPE_HINT.to_owned())),
        };
        match option {
            "--tags" => tags = true,
            "--long" => long = true,
            "--dirty" if inline.is_none() => dirty = true,
            "--match" => globs.include.push(value("--match")?),
            "--exclude" => globs.exclude.push(value("--exclude")?),
            "--abbrev" => {
                let length = inline.as_deref().and_then(|n| n.parse::<u32>().ok());
                if length.is_none_or(|n| n < 9) {
                    return refuse(format!(
                        "`{word}` makes node ids shorter than setuptools_scm's 9 hex digits"
                    ));
                }
                abbrev = true;
            }
            "HEAD" => {}
            _ => {
                return refuse(format!(
                    "`{word}` changes which commit or tag `git describe` finds in a way packkit \
                     does not reproduce"
                ));
            }
        }
    }
    let missing: Vec<&str> = [
        (tags, "--tags"),
        (long, "--long"),
        (dirty, "--dirty"),
        (abbrev, "--abbrev=40"),
    ]
    .into_iter()
    .filter_map(|(given, option)| (!given).then_some(option))
    .collect();
    if !missing.is_empty() {
        return refuse(format!(
            "without {} the version setuptools_scm prints from this command differs from \
             packkit's (annotated tags only, no distance or node on a tagged commit, never \
             dirty, or a shorter node id)",
            missing.join(", ")
        ));
    }
    Ok(globs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapped(command: &str) -> Result<DescribeGlobs, String> {
        split(command)
            .and_then(|words| map(&words))
            .map_err(|(message, _)| message)
    }

    #[test]
    fn splits_as_a_shell_does() {
        assert_eq!(
            split(r#"git describe --match 'v*' --exclude "*-rc\"*" a\ b"#).unwrap(),
            [
                "git",
                "describe",
                "--match",
                "v*",
                "--exclude",
                "*-rc\"*",
                "a b"
            ]
        );
        assert!(split("git describe --match 'v*").is_err());
        assert!(split("git describe \\").is_err());
    }

    #[test]
    fn match_and_exclude_become_globs() {
        let globs = mapped(
            "git describe --dirty --tags --long --abbrev=40 --match 'v*' --match=release-* \
             --exclude '*rc*'",
        )
        .unwrap();
        assert_eq!(globs.include, ["v*", "release-*"]);
        assert_eq!(globs.exclude, ["*rc*"]);
    }

    #[test]
    fn what_cannot_be_mapped_is_refused_with_the_reason() {
        for (command, reason) in [
            ("sh -c 'rm -rf /'", "is not a `git describe` command"),
            (
                "git describe --dirty --tags --long --abbrev=40 --first-parent",
                "`--first-parent`",
            ),
            (
                "git describe --dirty --tags --long --abbrev=7",
                "`--abbrev=7`",
            ),
            (
                "git describe --dirty --tags --long --abbrev=40 --match",
                "needs a pattern",
            ),
            ("git describe --dirty --long --abbrev=40", "without --tags"),
            (
                "git describe --dirty --tags --long --match 'v*'",
                "without --abbrev=40",
            ),
            (
                "git describe --dirty=-x --tags --long --abbrev=40",
                "`--dirty=-x`",
            ),
            (
                "git describe --dirty --tags --long --abbrev=40 v1.0",
                "`v1.0`",
            ),
        ] {
            let err = mapped(command).unwrap_err();
            assert!(err.contains(reason), "{command}: {err}");
        }
    }
}
