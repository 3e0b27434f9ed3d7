//! Reading the facts a version is made from: git (the only user of gix), `.git_archival.txt`
//! from `git archive`, and `PKG-INFO` of an unpacked sdist.

pub mod archival;
pub mod commit;
pub mod describe;
pub mod git;
pub mod identity;
mod packs;
pub mod scope;
pub mod tag;

use regex::Regex;

use crate::version::is_python_whitespace;
use crate::version::schemes::Tag;

/// setuptools_scm's default tag regex: an optional `name-` prefix, an optional `v`, then the
/// version; anything after a `+` is a local part.
pub const DEFAULT_TAG_REGEX: &str =
    r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$";

/// [`DEFAULT_TAG_REGEX`] for tag names that are ASCII only, where `\w` and `\d` match exactly
/// these ASCII classes. It compiles in a fifth of the time (about 0.1 ms instead of 0.5), which
/// the native `packkit version` pays on every call; a tag with any other character is read
/// with the default itself (`default_regex_and_its_ascii_form_agree_on_ascii` checks them).
const DEFAULT_TAG_REGEX_ASCII: &str =
    r"^(?:[0-9A-Za-z_-]+-)?(?P<version>[vV]?[0-9]+(?:\.[0-9]+){0,2}[^\+]*)(?:\+.*)?$";

/// Can a second thread run beside this one? `available_parallelism` honours the affinity mask
/// (`taskset -c 0`) and cgroup quotas: on one core a second thread only takes turns.
pub(crate) fn second_core() -> bool {
    std::thread::available_parallelism().is_ok_and(|cores| cores.get() > 1)
}

/// The compiled regex of `pattern`, from a small per-process cache: compiling the default
/// tag regex (Unicode `\w`) took about a quarter of a `get_version` call on a small
/// repository, and a process asks for the same few patterns again and again. A clone of a
/// compiled `Regex` shares it.
fn compiled(pattern: &str) -> Result<Regex, regex::Error> {
    static CACHE: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, Regex>>> =
        std::sync::LazyLock::new(Default::default);
    // A panic elsewhere while holding the lock leaves a usable map behind.
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(regex) = cache.get(pattern) {
        return Ok(regex.clone());
    }
    let regex = Regex::new(pattern)?;
    if cache.len() >= 32 {
        cache.clear(); // many patterns (a long-lived process over many projects): start over
    }
    cache.insert(pattern.to_owned(), regex.clone());
    Ok(regex)
}

/// Decides which tags are versions and what their version is.
#[derive(Debug, Clone)]
pub struct TagMatcher {
    /// The configured regex, or the ASCII form of the default one.
    regex: Regex,
    /// `regex` is the ASCII form of the default: a tag that is not ASCII takes the default
    /// itself (compiled once per process, by `compiled`).
    ascii_default: bool,
    /// Capture group 1 when the regex has exactly one group, else the group named `version`.
    group: Group,
    /// A literal prefix a tag must start with; stripped before the regex runs (monorepos).
    prefix: Option<String>,
    /// `git describe --match` globs (any may match; none means every tag) and `--exclude`
    /// globs, on the whole tag name, from setuptools_scm's `describe_command`.
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

#[derive(Debug, Clone)]
enum Group {
    First,
    Named,
}

impl TagMatcher {
    /// A matcher for `regex` (setuptools_scm's default when `None`) and `prefix`; the error is
    /// a message for the configuration key that held the regex.
    pub fn new(regex: Option<&str>, prefix: Option<String>) -> Result<Self, String> {
        let pattern = regex.unwrap_or(DEFAULT_TAG_REGEX);
        let is_default = pattern == DEFAULT_TAG_REGEX;
        let source = if is_default {
            DEFAULT_TAG_REGEX_ASCII
        } else {
            pattern
        };
        let regex = compiled(source).map_err(|err| format!("invalid regular expression: {err}"))?;
        let group = if regex.captures_len() == 2 {
            Group::First
        } else if regex
            .capture_names()
            .flatten()
            .any(|name| name == "version")
        {
            Group::Named
        } else {
            return Err(format!(
                "the regular expression {pattern:?} has {} groups and none named `version`",
                regex.captures_len() - 1
            ));
        };
        Ok(TagMatcher {
            regex,
            ascii_default: is_default,
            group,
            prefix,
            include: None,
            exclude: None,
        })
    }

    /// Only tags matching one of `include` (when any is given) and none of `exclude`, as
    /// `git describe --match/--exclude` choose them (`*` matches `/` too); the error is a
    /// message for the key that held the globs.
    pub fn with_globs(mut self, include: &[String], exclude: &[String]) -> Result<Self, String> {
        let set = |globs: &[String]| -> Result<Option<globset::GlobSet>, String> {
            if globs.is_empty() {
                return Ok(None);
            }
            let mut builder = globset::GlobSetBuilder::new();
            for glob in globs {
                let glob = globset::GlobBuilder::new(glob)
                    .backslash_escape(true)
                    .build()
                    .map_err(|err| format!("invalid pattern {glob:?}: {err}"))?;
                builder.add(glob);
            }
            builder.build().map(Some).map_err(|err| err.to_string())
        };
        self.include = set(include)?;
        self.exclude = set(exclude)?;
        Ok(self)
    }

    /// The literal prefix tags must start with (`tag-prefix`), if any.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// The version text and what follows it in `name` (setuptools_scm's `_parse_version_tag`).
    pub fn version_text<'a>(&self, name: &'a str) -> Option<(&'a str, &'a str)> {
        let name = match &self.prefix {
            Some(prefix) => name.strip_prefix(prefix.as_str())?,
            None => name,
        };
        let unicode;
        let regex = if self.ascii_default && !name.is_ascii() {
            unicode = compiled(DEFAULT_TAG_REGEX).expect("the default tag regex");
            &unicode
        } else {
            &self.regex
        };
        let caps = regex.captures(name)?;
        let whole = caps.get(0)?;
        if whole.start() != 0 {
            return None; // Python's re.match anchors at the start
        }
        let version = match self.group {
            Group::First => caps.get(1)?,
            Group::Named => caps.name("version")?,
        };
        if version.as_str().is_empty() {
            return None;
        }
        Some((version.as_str(), &name[version.end()..whole.end()]))
    }

    /// The tag's version if it has one: the matched text, plus its suffix when the two still
    /// form a valid version (so `1.0.0+build.5` keeps its local part).
    pub fn parse(&self, name: &str) -> Option<Tag> {
        // setuptools_scm only looks at tags matching `*[0-9]*`.
        if !name.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        if self.include.as_ref().is_some_and(|set| !set.is_match(name))
            || self.exclude.as_ref().is_some_and(|set| set.is_match(name))
        {
            return None;
        }
        let (text, suffix) = self.version_text(name)?;
        let version = crate::version::parse(text).ok()?;
        // The text is the version as written (`normalize = false`): without the white space
        // that parsing ignores (a tag name may end in a non-ASCII space).
        let as_written = |text: &str| text.trim_matches(is_python_whitespace).to_owned();
        if !suffix.is_empty() {
            let with_suffix = format!("{text}{suffix}");
            if let Ok(version) = crate::version::parse(&with_suffix) {
                return Some(Tag {
                    name: name.to_owned(),
                    version,
                    text: as_written(&with_suffix),
                });
            }
        }
        Some(Tag {
            name: name.to_owned(),
            version,
            text: as_written(text),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(name: &str) -> Option<String> {
        TagMatcher::new(None, None)
            .unwrap()
            .parse(name)
            .map(|t| t.version.to_string())
    }

    #[test]
    fn default_regex_reads_setuptools_scm_tags() {
        assert_eq!(version("v1.2.3").as_deref(), Some("1.2.3"));
        assert_eq!(version("pkg-v1.2.0").as_deref(), Some("1.2.0"));
        assert_eq!(version("1.0.0+build.5").as_deref(), Some("1.0.0+build.5"));
        assert_eq!(version("v2.0.0-rc.1").as_deref(), Some("2.0.0rc1"));
        assert_eq!(version("latest"), None);
        assert_eq!(version("nightly2024"), None);
        assert_eq!(version("release/1.2"), None);
    }

    #[test]
    fn non_ascii_tags_are_read_with_the_unicode_default() {
        // `\d` is any decimal digit and `\w` any word character, as in Python's `re`.
        let matcher = TagMatcher::new(None, None).unwrap();
        assert_eq!(matcher.version_text("pakét-v1.2"), Some(("v1.2", "")));
        assert_eq!(matcher.version_text("v١.2"), Some(("v١.2", "")));
    }

    proptest::proptest! {
        #[test]
        fn default_regex_and_its_ascii_form_agree_on_ascii(
            name in "[ -~]{0,12}|[vV]?[0-9.]{1,8}[-+a-zA-Z_0-9.]{0,8}|[a-z_-]{1,6}-[vV]?[0-9.]{1,6}"
        ) {
            let captures = |pattern: &str| {
                Regex::new(pattern).unwrap().captures(&name).map(|caps| {
                    (0..caps.len())
                        .map(|i| caps.get(i).map(|m| m.range()))
                        .collect::<Vec<_>>()
                })
            };
            proptest::prop_assert_eq!(
                captures(DEFAULT_TAG_REGEX),
                captures(DEFAULT_TAG_REGEX_ASCII)
            );
        }
    }

    #[test]
    fn prefix_selects_and_strips() {
        let matcher = TagMatcher::new(None, Some("pkg-a-v".into())).unwrap();
        assert_eq!(
            matcher.parse("pkg-a-v1.0.0").unwrap().version.to_string(),
            "1.0.0"
        );
        assert!(matcher.parse("pkg-b-v2.0.0").is_none());
    }

    #[test]
    fn regex_needs_a_version_group() {
        assert!(
            TagMatcher::new(Some("(a)(b)"), None)
                .unwrap_err()
                .contains("none named `version`")
        );
        assert!(TagMatcher::new(Some("(unclosed"), None).is_err());
    }
}
