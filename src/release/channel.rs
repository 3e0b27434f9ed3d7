//! Channels: a version's place on the release ladder and the index it is published to.
//!
//! `.devN` → unstable, `aN`/`bN`/`rcN` → testing, a final release or `.postN` → stable.
//! `[tool.packkit.channels]` maps each channel to a target (`index`, `simple`, `conda-label`);
//! a channel not configured keeps its default.

use std::ops::Range;

use serde::Serialize;
use toml_edit::TableLike;

use crate::error::ConfigError;
use crate::pyproject::{PyProject, Reader, join_key};
use crate::version::Version;
use crate::version::schemes::Facts;

/// A rung of the release ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Unstable,
    Testing,
    Stable,
}

impl Channel {
    pub const ALL: [Channel; 3] = [Channel::Unstable, Channel::Testing, Channel::Stable];

    /// The channel of `version`: a development release is unstable even when it is also a
    /// pre-release (`1.0rc1.dev2` comes before `1.0rc1`).
    pub fn of(version: &Version) -> Channel {
        if version.is_dev() {
            Channel::Unstable
        } else if version.is_pre() {
            Channel::Testing
        } else {
            Channel::Stable
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Channel::Unstable => "unstable",
            Channel::Testing => "testing",
            Channel::Stable => "stable",
        }
    }

    /// The target used when `[tool.packkit.channels]` does not name one: development
    /// releases to TestPyPI, pre-releases and releases to PyPI (pip installs a pre-release
    /// only when asked to, with `--pre` or a pinned version).
    pub fn default_target(self) -> Target {
        let (index, simple, label) = match self {
            Channel::Unstable => (
                "https://test.pypi.org/legacy/",
                "https://test.pypi.org/simple/",
                "dev",
            ),
            Channel::Testing => (
                "https://upload.pypi.org/legacy/",
                "https://pypi.org/simple/",
                "rc",
            ),
            Channel::Stable => (
                "https://upload.pypi.org/legacy/",
                "https://pypi.org/simple/",
                "main",
            ),
        };
        Target {
            index: index.to_owned(),
            simple: Some(simple.to_owned()),
            conda_label: Some(label.to_owned()),
            configured: false,
        }
    }
}

/// Where a channel's distributions go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// The upload URL (the "legacy" upload API of PyPI, devpi, ...).
    pub index: String,
    /// The URL to install from (a PEP 503 simple index), when known.
    pub simple: Option<String>,
    /// The conda label a conda build of the version gets.
    pub conda_label: Option<String>,
    /// Read from `[tool.packkit.channels]`, not a default.
    pub configured: bool,
}

/// `[tool.packkit.channels]`, with the defaults filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channels {
    targets: [Target; 3],
}

const TABLE: &str = "tool.packkit.channels";
const TARGET_KEYS: &[&str] = &["index", "simple", "conda-label"];

impl Channels {
    /// Read `[tool.packkit.channels]`; every problem is reported, each with its location.
    pub fn read(pyproject: &PyProject) -> Result<Self, Vec<ConfigError>> {
        let mut targets = Channel::ALL.map(Channel::default_target);
        let mut r = Reader::new(pyproject);
        if let Some(table) = r.table_at(TABLE) {
            let names: Vec<&str> = Channel::ALL.iter().map(|c| c.name()).collect();
            r.check_keys(table, TABLE, &names);
            for (slot, channel) in targets.iter_mut().zip(Channel::ALL) {
                let key = join_key(TABLE, channel.name());
                let Some(item) = table.get(channel.name()) else {
                    continue;
                };
                if let Some(target) = r.table(item, &key) {
                    if let Some(read) = read_target(&mut r, target, &key, item.span()) {
                        *slot = read;
                    }
                }
            }
        }
        r.finish()?;
        Ok(Channels { targets })
    }

    pub fn target(&self, channel: Channel) -> &Target {
        &self.targets[channel as usize]
    }
}

impl Default for Channels {
    fn default() -> Self {
        Channels {
            targets: Channel::ALL.map(Channel::default_target),
        }
    }
}

/// One channel's target; `span` is the table's, where a missing `index` is reported.
fn read_target(
    r: &mut Reader<'_>,
    table: &dyn TableLike,
    key: &str,
    span: Option<Range<usize>>,
) -> Option<Target> {
    r.check_keys(table, key, TARGET_KEYS);
    let url = |r: &mut Reader<'_>, name: &str| {
        let (text, span) = r.line_in(table, key, name)?;
        check_url(r, &text, span, &join_key(key, name)).then_some(text)
    };
    let index = url(r, "index");
    let simple = url(r, "simple");
    let conda_label = r.line_in(table, key, "conda-label").map(|(label, _)| label);
    if index.is_none() && table.get("index").is_none() {
        r.error(
            span,
            key,
            format!("[{key}] has no `index`"),
            Some("give the upload URL, like index = \"https://upload.pypi.org/legacy/\"".into()),
        );
    }
    Some(Target {
        index: index?,
        simple,
        conda_label,
        configured: true,
    })
}

/// An index URL: absolute `http` or `https`, with a host and no credentials (they belong
/// in the environment or `~/.pypirc`, not in a file that is committed and shipped).
fn check_url(r: &mut Reader<'_>, text: &str, span: Option<Range<usize>>, key: &str) -> bool {
    let problem = match url::Url::parse(text) {
        Err(err) => Some(format!("{text:?} is not a URL ({err})")),
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            Some(format!("{text:?} is not an http or https URL"))
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => {
            Some(format!("{text:?} has no host"))
        }
        Ok(url) if !url.username().is_empty() || url.password().is_some() => Some(format!(
            "{:?} holds credentials: they would be committed and shipped in the sdist",
            redacted(&url)
        )),
        Ok(_) => None,
    };
    let Some(message) = problem else {
        return true;
    };
    r.error(
        span,
        key,
        message,
        Some(
            "give an address like \"https://upload.pypi.org/legacy/\"; credentials go in \
             PACKKIT_PUBLISH_USERNAME/PACKKIT_PUBLISH_PASSWORD or ~/.pypirc"
                .into(),
        ),
    );
    false
}

/// `url` without its password, to be shown.
fn redacted(url: &url::Url) -> String {
    let mut shown = url.clone();
    if shown.password().is_some() {
        let _ = shown.set_password(Some("***"));
    }
    shown.to_string()
}

/// Whether `url` sends its traffic in the clear to another machine: `http://` to a host
/// that is not the loopback interface.
pub fn is_cleartext_remote(index: &str) -> bool {
    let Ok(url) = url::Url::parse(index) else {
        return false;
    };
    url.scheme() == "http"
        && !match url.host() {
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

/// Why a version may not be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

/// What `packkit channel` says about a version.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub channel: Channel,
    pub version: String,
    pub target: Target,
    /// Empty when the version may be published.
    pub refusals: Vec<Refusal>,
}

impl Verdict {
    /// The error for a version that may not be published — every reason, and the first
    /// one's hint — or `None` when it may be. `note` follows "may not be published".
    pub fn refusal_error(&self, note: &str) -> Option<crate::error::Error> {
        let first = self.refusals.first()?;
        let reasons: Vec<&str> = self.refusals.iter().map(|r| r.message.as_str()).collect();
        Some(crate::error::Error::build(
            format!(
                "{} may not be published{note}: {}",
                self.version,
                reasons.join("; ")
            ),
            Some(first.hint.clone()),
        ))
    }
}

/// The channel of `version`, its target, and every reason it may not be published.
/// `facts` are git's, when the version came from git (`None` for a static version).
pub fn assess(version: &Version, facts: Option<&Facts>, channels: &Channels) -> Verdict {
    assess_on(version, facts, channels, Channel::of(version))
}

/// [`assess`] for publishing on `channel`'s target (`packkit publish --channel`), which may
/// not be the version's own channel.
pub fn assess_on(
    version: &Version,
    facts: Option<&Facts>,
    channels: &Channels,
    channel: Channel,
) -> Verdict {
    let target = channels.target(channel).clone();
    let mut refusals = Vec::new();
    let text = version.to_string();
    if !version.local().is_empty() {
        refusals.push(Refusal {
            message: format!(
                "{text} has a local part (+{}): package indexes refuse local versions",
                text.split_once('+').map_or("", |(_, local)| local)
            ),
            hint: "commit and tag a release (`packkit bump`), or publish a clean checkout".into(),
        });
    }
    if let Some(facts) = facts {
        if facts.dirty {
            refusals.push(Refusal {
                message: "the working tree has uncommitted changes: the files would not be \
                          the ones the version names"
                    .into(),
                hint: "commit or stash the changes (`git status` lists them)".into(),
            });
        }
        if facts.shallow {
            refusals.push(Refusal {
                message: "the clone is shallow: the distance from the last tag, and so the \
                          version, may be wrong"
                    .into(),
                hint: "fetch the whole history (`git fetch --unshallow`; in CI, \
                       `fetch-depth: 0`)"
                    .into(),
            });
        }
        if let Some(tag) = facts.tag.as_ref().filter(|_| facts.exact()) {
            let tagged = tag.version.clone().without_local();
            if tagged != version.clone().without_local() {
                refusals.push(Refusal {
                    message: format!(
                        "HEAD is tagged {} ({tagged}) but the version is {text}",
                        tag.name
                    ),
                    hint: "publish the tagged version: unset SETUPTOOLS_SCM_PRETEND_VERSION \
                           and check version-scheme, or tag the commit with the version \
                           it should have"
                        .into(),
                });
            }
        }
    }
    if is_cleartext_remote(&target.index) {
        refusals.push(Refusal {
            message: format!(
                "the {} index {} is plain http to another machine: the password would be \
                 sent in the clear",
                channel.name(),
                target.index
            ),
            hint: "use https (plain http is accepted only for localhost)".into(),
        });
    }
    Verdict {
        channel,
        version: text,
        target,
        refusals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::schemes::Tag;

    fn version(text: &str) -> Version {
        crate::version::parse(text).unwrap()
    }

    #[test]
    fn each_version_has_its_channel() {
        for (text, expected) in [
            ("1.0", Channel::Stable),
            ("1.0.post1", Channel::Stable),
            ("1.0rc1", Channel::Testing),
            ("1.0a1.post1", Channel::Testing),
            ("1.0.dev1", Channel::Unstable),
            ("1.0rc1.dev1", Channel::Unstable),
            ("1.0.post1.dev1", Channel::Unstable),
        ] {
            assert_eq!(Channel::of(&version(text)), expected, "{text}");
        }
    }

    #[test]
    fn only_plain_http_to_another_machine_is_cleartext() {
        for index in [
            "http://example.org/",
            "http://10.0.0.1/",
            "http://localhost.example.org/",
        ] {
            assert!(is_cleartext_remote(index), "{index}");
        }
        for index in [
            "https://example.org/",
            "http://localhost:3141/",
            "http://LOCALHOST/",
            "http://127.0.0.1/",
            "http://[::1]:3141/",
        ] {
            assert!(!is_cleartext_remote(index), "{index}");
        }
    }

    fn facts(tag: Option<&str>, distance: u64, dirty: bool) -> Facts {
        Facts {
            tag: tag.map(|name| Tag {
                name: format!("v{name}"),
                version: version(name),
                text: name.to_owned(),
            }),
            distance,
            node: Some("gabc".into()),
            dirty,
            branch: None,
            node_date: None,
            shallow: false,
        }
    }

    #[test]
    fn each_refusal_is_said_once_and_only_when_it_applies() {
        let channels = Channels::default();
        let count = |text: &str, facts: Option<&Facts>| {
            assess(&version(text), facts, &channels).refusals.len()
        };
        assert_eq!(count("1.0", Some(&facts(Some("1.0"), 0, false))), 0);
        assert_eq!(count("1.0", None), 0);
        assert_eq!(
            count("1.1.dev1+gabc", Some(&facts(Some("1.0"), 1, false))),
            1
        );
        assert_eq!(count("1.1.dev0", Some(&facts(Some("1.0"), 0, true))), 1);
        // At the tag, another version is refused; a tag's other spelling is not.
        assert_eq!(count("2.0", Some(&facts(Some("1.0"), 0, false))), 1);
        assert_eq!(count("1.0.0", Some(&facts(Some("1.0"), 0, false))), 0);
        let verdict = assess(&version("1.0rc1"), None, &channels);
        assert_eq!(verdict.target, Channel::Testing.default_target());
    }
}
