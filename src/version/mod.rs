//! PEP 440 versions as values (`packkit.Version`) and the schemes that turn git facts into a
//! version string. Knows nothing of git, TOML or Python.

pub mod schemes;

use std::str::FromStr;

pub use pep440_rs::Version;
use pep440_rs::{Prerelease, PrereleaseKind};

use crate::error::{Error, Result};

/// Parse a PEP 440 version with `packaging`'s leniency (surrounding whitespace, `v` prefix,
/// alternative spellings), failing with a message that names the input.
///
/// Numbers are limited to 64 bits (packaging allows any size): a larger number, or the
/// largest one, which pep440_rs uses internally to mean "absent", is refused rather than
/// compared wrongly.
pub fn parse(text: &str) -> Result<Version> {
    let invalid = |why: &dyn std::fmt::Display| {
        Error::invalid_version(format!("Invalid version: {text:?} ({why})"))
    };
    let too_large = text.split(|c: char| !c.is_ascii_digit()).any(|digits| {
        let digits = digits.trim_start_matches('0');
        digits
            .parse::<u64>()
            .map_or(!digits.is_empty(), |n| n == u64::MAX)
    });
    if too_large {
        return Err(invalid(
            &"a number in it is too large: packkit supports numbers below 2**64 - 1",
        ));
    }
    Version::from_str(text.trim_matches(is_python_whitespace)).map_err(|err| invalid(&err))
}

/// A version used as written (a pretend version, `fallback-version`, `PKG-INFO`'s, a tag's
/// text): without the white space around it, which `packaging` ignores and which would
/// otherwise end up in file names, metadata and `version-file`, and valid PEP 440.
pub fn clean(text: &str) -> Result<String> {
    let trimmed = text.trim_matches(is_python_whitespace);
    parse(trimmed)?;
    Ok(trimmed.to_owned())
}

/// Python's `str.isspace()` (what packaging's `\s*` strips): Unicode white space plus the
/// ASCII separators U+001C..U+001F, which Rust does not count as white space.
pub fn is_python_whitespace(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// The pre-release letter as packaging 26's `normalize_pre` spells it (`alpha` → `a`,
/// `BETA` → `b`, `c`/`pre`/`preview` → `rc`); `None` for anything else.
pub fn pre_letter(letter: &str) -> Option<&'static str> {
    match letter.to_lowercase().as_str() {
        "a" | "alpha" => Some("a"),
        "b" | "beta" => Some("b"),
        "rc" | "c" | "pre" | "preview" => Some("rc"),
        _ => None,
    }
}

/// Whether `text` is a local version label as packaging's `_LOCAL_PATTERN` says: ASCII
/// letters and digits, in runs separated by single `.`, `_` or `-`.
pub fn is_local_label(text: &str) -> bool {
    !text.is_empty()
        && text
            .split(['.', '_', '-'])
            .all(|run| !run.is_empty() && run.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A version from its parts, as `packaging.version.Version.from_parts` makes it; the caller
/// has checked each part's type and range (`pre.0` by `pre_letter`, `local` by
/// `is_local_label`). Made through `parse`, so that its numbers are limited as a parsed
/// version's are and it is exactly the version its text reads back as.
pub fn from_parts(
    epoch: u64,
    release: &[u64],
    pre: Option<(&str, u64)>,
    post: Option<u64>,
    dev: Option<u64>,
    local: Option<&str>,
) -> Result<Version> {
    use std::fmt::Write as _;
    let mut text = format!("{epoch}!");
    let numbers: Vec<String> = release.iter().map(u64::to_string).collect();
    text.push_str(&numbers.join("."));
    if let Some((letter, number)) = pre {
        let _ = write!(text, "{letter}{number}");
    }
    if let Some(number) = post {
        let _ = write!(text, ".post{number}");
    }
    if let Some(number) = dev {
        let _ = write!(text, ".dev{number}");
    }
    if let Some(label) = local {
        let _ = write!(text, "+{label}");
    }
    parse(&text)
}

/// The parts `Version::bump` understands, in the order the error message lists them.
pub const BUMP_PARTS: [&str; 10] = [
    "major", "minor", "patch", "alpha", "beta", "rc", "pre", "dev", "final", "post",
];

/// The next version after `version` for a release of kind `part`.
///
/// `major`/`minor`/`patch` on a pre-release whose release numbers already have that shape
/// finish the pre-release (`2.0.0rc1` → `2.0.0` for `major`) instead of skipping it. The local
/// part is always dropped: a bumped version is a release candidate, never a build.
pub fn bump(version: &Version, part: &str) -> Result<Version> {
    let base = version.clone().without_local();
    let release = base.release().to_vec();
    // A version before its release numbers' final release: `2.0.0rc1`, `2.0.0rc1.post1`,
    // `2.0.0.dev1` (but not `2.0.0.post1.dev1`, which comes after `2.0.0`).
    let unreleased = base.is_pre() || (base.is_dev() && !base.is_post());
    // `parse` refuses numbers from u64::MAX up; a bump must not make one either.
    let next = |number: u64| {
        number
            .checked_add(1)
            .filter(|n| *n < u64::MAX)
            .ok_or_else(|| {
                Error::invalid_version(format!(
                    "cannot bump {version}: a number in it would reach 2**64 - 1"
                ))
            })
    };
    let numbered = |index: usize| -> Result<Version> {
        let mut numbers = release.clone();
        numbers.resize(numbers.len().max(3), 0);
        let lands_on_self = unreleased && numbers[index + 1..].iter().all(|n| *n == 0);
        if !lands_on_self {
            numbers[index] = next(numbers[index])?;
            numbers[index + 1..].iter_mut().for_each(|n| *n = 0);
        }
        Ok(final_of(&base).with_release(numbers))
    };
    let next_patch = || -> Result<Vec<u64>> {
        let mut numbers = release.clone();
        numbers.resize(numbers.len().max(3), 0);
        numbers[2] = next(numbers[2])?;
        Ok(numbers)
    };
    // `alpha`, `beta`, `rc`: the next pre-release of that kind; a later kind starts at 1,
    // and an earlier one would go back, which is refused.
    let pre_release = |kind: PrereleaseKind| -> Result<Version> {
        let start = |numbers: Vec<u64>| {
            Version::new(numbers)
                .with_epoch(base.epoch())
                .with_pre(Some(Prerelease { kind, number: 1 }))
        };
        Ok(match base.pre() {
            Some(pre) if pre.kind == kind => final_of(&base).with_pre(Some(Prerelease {
                kind,
                // `1.0rc2.dev1` leads to `1.0rc2`; `1.0rc2` and `1.0rc2.post1` to `1.0rc3`.
                number: if base.is_dev() && !base.is_post() {
                    pre.number
                } else {
                    next(pre.number)?
                },
            })),
            Some(pre) if pre.kind < kind => start(release.clone()),
            Some(pre) => {
                return Err(Error::invalid_version(format!(
                    "cannot make {} of {version}: it would sort before the {} it follows \
                     (use \"{}\" or \"final\")",
                    article_for(kind),
                    pre_name(pre.kind),
                    pre_name(pre.kind)
                )));
            }
            None if unreleased => start(release.clone()),
            None => start(next_patch()?),
        })
    };
    Ok(match part {
        "major" => numbered(0)?,
        "minor" => numbered(1)?,
        "patch" => numbered(2)?,
        "final" => final_of(&base),
        "pre" => match base.pre() {
            Some(pre) => final_of(&base).with_pre(Some(Prerelease {
                kind: pre.kind,
                number: next(pre.number)?,
            })),
            None => {
                return Err(Error::invalid_version(format!(
                    "cannot bump the pre-release of {version}: it is not a pre-release \
                     (use \"rc\" to start one)"
                )));
            }
        },
        "alpha" => pre_release(PrereleaseKind::Alpha)?,
        "beta" => pre_release(PrereleaseKind::Beta)?,
        "rc" => pre_release(PrereleaseKind::Rc)?,
        "post" => {
            if base.is_dev() && !base.is_post() {
                return Err(Error::invalid_version(format!(
                    "cannot make a post-release of {version}: it is not released yet \
                     (use \"final\" or \"rc\")"
                )));
            }
            // `1.0.post1.dev2` → `1.0.post1`: the post-release it leads to.
            let number = match (base.post(), base.is_dev()) {
                (Some(post), true) => post,
                (Some(post), false) => next(post)?,
                (None, _) => 1,
            };
            base.clone().with_dev(None).with_post(Some(number))
        }
        "dev" => match base.dev() {
            Some(dev) => base.clone().with_dev(Some(next(dev)?)),
            None => Version::new(next_patch()?)
                .with_epoch(base.epoch())
                .with_dev(Some(1)),
        },
        other => {
            return Err(Error::invalid_version(format!(
                "unknown version part {other:?}: expected one of {}",
                BUMP_PARTS.join(", ")
            )));
        }
    })
}

/// The part name of a pre-release kind, as `bump` spells it.
fn pre_name(kind: PrereleaseKind) -> &'static str {
    match kind {
        PrereleaseKind::Alpha => "alpha",
        PrereleaseKind::Beta => "beta",
        PrereleaseKind::Rc => "rc",
    }
}

fn article_for(kind: PrereleaseKind) -> &'static str {
    match kind {
        PrereleaseKind::Alpha => "an alpha",
        PrereleaseKind::Beta => "a beta",
        PrereleaseKind::Rc => "a release candidate",
    }
}

/// The final release a version leads to: epoch and release numbers only.
fn final_of(version: &Version) -> Version {
    Version::new(version.release().iter().copied()).with_epoch(version.epoch())
}

#[cfg(test)]
mod tests {
    #[test]
    fn from_parts_reads_back_as_its_text() {
        let made = super::from_parts(
            1,
            &[2, 0],
            Some(("rc", 3)),
            Some(4),
            Some(5),
            Some("ABC-01_x"),
        );
        assert_eq!(made.unwrap().to_string(), "1!2.0rc3.post4.dev5+abc.1.x");
        assert_eq!(
            super::from_parts(0, &[1], None, None, None, None)
                .unwrap()
                .to_string(),
            "1"
        );
        // Numbers are limited as a parsed version's are.
        assert!(super::from_parts(0, &[u64::MAX], None, None, None, None).is_err());
    }

    #[test]
    fn pre_letters_and_local_labels_as_packaging_checks_them() {
        for (letter, expected) in [("ALPHA", "a"), ("b", "b"), ("Preview", "rc"), ("c", "rc")] {
            assert_eq!(super::pre_letter(letter), Some(expected));
        }
        for letter in ["", " a", "dev", "post", "\u{130}"] {
            assert_eq!(super::pre_letter(letter), None, "{letter:?}");
        }
        for label in ["a", "1.2", "abc-01_x", "A.B"] {
            assert!(super::is_local_label(label), "{label:?}");
        }
        for label in ["", ".a", "a.", "a..b", "a+b", "\u{e9}", "a b"] {
            assert!(!super::is_local_label(label), "{label:?}");
        }
    }

    #[test]
    fn a_bump_never_gives_a_version_parse_refuses() {
        let max = u64::MAX - 1;
        for (text, part) in [
            (format!("{max}.0.0"), "major"),
            (format!("1.0.0rc{max}"), "rc"),
            (format!("1.0.0rc{max}"), "pre"),
            (format!("1.0.dev{max}"), "dev"),
        ] {
            let version = super::parse(&text).unwrap();
            let err = super::bump(&version, part).unwrap_err().to_string();
            assert!(err.contains("2**64 - 1"), "{text} {part}: {err}");
        }
    }

    use super::*;

    fn bumped(version: &str, part: &str) -> String {
        bump(&parse(version).unwrap(), part).unwrap().to_string()
    }

    #[test]
    fn bumps_release_numbers() {
        assert_eq!(bumped("1.2.3", "major"), "2.0.0");
        assert_eq!(bumped("1.2.3", "minor"), "1.3.0");
        assert_eq!(bumped("1.2.3", "patch"), "1.2.4");
        assert_eq!(bumped("1.2", "patch"), "1.2.1");
        assert_eq!(bumped("1!1.2.3+local", "minor"), "1!1.3.0");
        assert_eq!(bumped("1.2.3.post4", "patch"), "1.2.4");
    }

    #[test]
    fn finishes_prereleases_that_already_have_the_shape() {
        assert_eq!(bumped("2.0.0rc1", "major"), "2.0.0");
        assert_eq!(bumped("1.3.0rc1", "minor"), "1.3.0");
        assert_eq!(bumped("1.2.4rc1", "patch"), "1.2.4");
        assert_eq!(bumped("1.2.4rc1", "minor"), "1.3.0");
        assert_eq!(bumped("1.2.4.dev3", "patch"), "1.2.4");
        assert_eq!(bumped("1.2.4rc1.post1", "patch"), "1.2.4");
        assert_eq!(bumped("1.2.4.post1.dev1", "patch"), "1.2.5");
    }

    #[test]
    fn bumps_pre_rc_dev_and_final() {
        assert_eq!(bumped("1.0a1", "pre"), "1.0a2");
        assert_eq!(bumped("1.0rc1", "pre"), "1.0rc2");
        assert_eq!(bumped("1.0rc1", "rc"), "1.0rc2");
        assert_eq!(bumped("1.0b2", "rc"), "1.0rc1");
        assert_eq!(bumped("1.0", "rc"), "1.0.1rc1");
        assert_eq!(bumped("1.0.dev1", "dev"), "1.0.dev2");
        assert_eq!(bumped("1.0", "dev"), "1.0.1.dev1");
        assert_eq!(bumped("1.0rc1", "final"), "1.0");
        assert_eq!(bumped("1.0.post2", "final"), "1.0");
    }

    #[test]
    fn bumps_alpha_beta_and_post() {
        assert_eq!(bumped("1.0", "alpha"), "1.0.1a1");
        assert_eq!(bumped("1.0a1", "alpha"), "1.0a2");
        assert_eq!(bumped("1.0a2", "beta"), "1.0b1");
        assert_eq!(bumped("1.0b1", "beta"), "1.0b2");
        assert_eq!(bumped("2.0.0.dev3", "beta"), "2.0.0b1");
        assert_eq!(bumped("1.0rc2.dev1", "rc"), "1.0rc2");
        assert_eq!(bumped("1.0rc2.post1", "rc"), "1.0rc3");
        assert_eq!(bumped("1.0", "post"), "1.0.post1");
        assert_eq!(bumped("1.0.post1", "post"), "1.0.post2");
        assert_eq!(bumped("1.0.post1.dev2", "post"), "1.0.post1");
        assert_eq!(bumped("1.0rc1", "post"), "1.0rc1.post1");
        // Each bump sorts after the version it started from.
        for (from, part) in [("1.0a2", "beta"), ("1.0b1", "rc"), ("1.0rc2.dev1", "rc")] {
            assert!(parse(&bumped(from, part)).unwrap() > parse(from).unwrap());
        }
    }

    #[test]
    fn refuses_a_pre_release_that_would_go_back() {
        let err = bump(&parse("1.0rc1").unwrap(), "alpha")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("an alpha of 1.0rc1") && err.contains("\"rc\""),
            "{err}"
        );
        let err = bump(&parse("1.0.dev1").unwrap(), "post")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not released yet"), "{err}");
    }

    #[test]
    fn refuses_what_cannot_be_bumped() {
        let err = bump(&parse("1.0").unwrap(), "pre").unwrap_err().to_string();
        assert!(err.contains("not a pre-release"), "{err}");
        let err = bump(&parse("1.0").unwrap(), "mayor")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("major, minor, patch, alpha, beta, rc, pre, dev, final, post"),
            "{err}"
        );
    }

    #[test]
    fn parse_refuses_numbers_it_cannot_compare() {
        assert!(parse("1.0.dev18446744073709551615").is_err());
        assert!(parse("1.0+99999999999999999999").is_err());
        assert!(parse("18446744073709551616").is_err());
        assert_eq!(parse("\u{1c}1.0\u{1f}").unwrap().to_string(), "1.0");
    }

    #[test]
    fn parse_errors_name_the_input() {
        let err = parse("not a version").unwrap_err().to_string();
        assert!(
            err.starts_with("Invalid version: \"not a version\""),
            "{err}"
        );
    }
}
