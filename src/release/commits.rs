//! Conventional Commits 1.0 read from commit messages, and what they mean for a release: the
//! next version (`packkit next`) and the changelog (`packkit changelog`). Pure: the messages
//! come from `scm::git::history_since`, the settings from `[tool.packkit.release]`.
//!
//! Written by hand rather than with the `git-conventional` crate: that crate refuses what
//! packkit must count and report (a message whose header is not conventional is an error
//! there, not an "other" commit; git's own `Revert "..."` and merge messages likewise), and
//! the footer rules here follow commitizen's where the specification leaves room, so that the
//! two agree on the next version (tests/test_release_next.py).

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::error::{ConfigError, Error, Result};
use crate::pyproject::{PyProject, Reader};
use crate::resolve::{Overrides, Settings};
use crate::scm::git::{self, CommitMessage, History};
use crate::version::Version;

/// `[tool.packkit.release]` keys.
const TABLE_KEYS: &[&str] = &["major-on-zero"];

/// `[tool.packkit.release]`: how the commits decide the next version.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReleaseSettings {
    /// While the major version is 0, a breaking change bumps the major version too (to
    /// 1.0.0); by default it bumps the minor version, as 0.x versions promise no stability.
    pub major_on_zero: bool,
}

impl ReleaseSettings {
    /// Read `[tool.packkit.release]` (defaults without a `pyproject.toml` or the table);
    /// every problem is reported with its location.
    pub fn read(pyproject: Option<&PyProject>) -> std::result::Result<Self, Vec<ConfigError>> {
        const T: &str = "tool.packkit.release";
        let mut settings = ReleaseSettings::default();
        let Some(pyproject) = pyproject else {
            return Ok(settings);
        };
        let mut r = Reader::new(pyproject);
        if let Some(table) = r.table_at(T) {
            r.check_keys(table, T, TABLE_KEYS);
            settings.major_on_zero = r.boolean_in(table, T, "major-on-zero").unwrap_or(false);
        }
        r.finish().map(|()| settings)
    }
}

/// The commits of the project in `project_dir` since `since` (a tag name), or since the
/// version tag `packkit version` counts from, and its `[tool.packkit.release]` settings.
/// `other_keys` are the `[tool.packkit]` keys the caller's other readers own (as for
/// `Settings::load`). The one place the release commands touch the disk and git.
pub fn load(
    project_dir: &Path,
    since: Option<&str>,
    other_keys: &[&str],
) -> Result<(History, ReleaseSettings)> {
    let settings = Settings::load(
        project_dir,
        &Overrides::from_process_environment(),
        other_keys,
    )?;
    let pyproject_path = project_dir.join("pyproject.toml");
    let pyproject = if std::fs::symlink_metadata(&pyproject_path).is_ok() {
        Some(PyProject::read(&pyproject_path)?)
    } else {
        None
    };
    let release = ReleaseSettings::read(pyproject.as_ref()).map_err(Error::Config)?;
    let scm_root = settings.scm_root();
    let work_tree = crate::resolve::work_tree(&settings);
    let Some(work_tree) = work_tree else {
        return Err(Error::scm(
            format!(
                "{} is not the top of a git checkout: the commits since the last tag cannot be read",
                scm_root.display()
            ),
            Some(
                "run in a git checkout, or set `root` under [tool.packkit] to the path from \
                 pyproject.toml to the git work tree"
                    .to_owned(),
            ),
        ));
    };
    // The commits the version's distance counts: with a distance scope, the project's own.
    let scope = crate::resolve::project_scope(&settings, &work_tree)?;
    let history = git::history_since(&work_tree, &settings.tag, since, scope.as_ref())?;
    Ok((history, release))
}

/// How much a change moves the version, least first (so the highest is `max`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What a commit message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A Conventional Commits header (`type(scope)!: description`).
    Conventional,
    /// git's own revert message, `Revert "..."` (a `revert: ...` header is `Conventional`).
    Revert,
    /// A merge commit whose message is not conventional (`Merge branch 'x'`).
    Merge,
    /// Anything else: not a Conventional Commit, so ignored and counted.
    Other,
}

/// A `Token: value` or `Token #value` footer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Footer {
    pub token: String,
    pub value: String,
}

/// A commit message read as a Conventional Commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub kind: Kind,
    /// The type, lowercase (types are not case-sensitive); `None` unless `Conventional`.
    #[serde(rename = "type")]
    pub kind_name: Option<String>,
    pub scope: Option<String>,
    /// A `!` before the colon, or a `BREAKING CHANGE:` / `BREAKING-CHANGE:` footer.
    pub breaking: bool,
    /// The description of a conventional header; the first line of any other message.
    pub subject: String,
    /// The paragraphs between the header and the footers.
    pub body: Option<String>,
    pub footers: Vec<Footer>,
}

impl Message {
    /// The text of the breaking change: its footer's, else the subject.
    pub fn breaking_note(&self) -> Option<&str> {
        if !self.breaking {
            return None;
        }
        Some(
            self.footers
                .iter()
                .find(|footer| is_breaking_token(&footer.token))
                .map_or(self.subject.as_str(), |footer| footer.value.as_str()),
        )
    }

    /// The version part this commit moves: `feat` the minor, `fix` and `perf` the patch, a
    /// breaking change the major (see `next_version` for 0.x). Other types, reverts, merges
    /// and other messages move nothing.
    pub fn bump(&self) -> Option<Bump> {
        if self.kind != Kind::Conventional {
            return None;
        }
        if self.breaking {
            return Some(Bump::Major);
        }
        match self.kind_name.as_deref() {
            Some("feat") => Some(Bump::Minor),
            Some("fix" | "perf") => Some(Bump::Patch),
            _ => None,
        }
    }
}

fn is_breaking_token(token: &str) -> bool {
    token == "BREAKING CHANGE" || token == "BREAKING-CHANGE"
}

/// Read `message` (of a commit with `parents` parents) as a Conventional Commit. Never fails:
/// what is not conventional is `Kind::Other` (or `Merge`, `Revert`).
pub fn parse(message: &str, parents: usize) -> Message {
    // Most messages have no CR: copy only those that do.
    let text: std::borrow::Cow<'_, str> = if message.contains('\r') {
        message.replace("\r\n", "\n").into()
    } else {
        message.into()
    };
    // git drops blank lines before the subject; a message may still start with them.
    let text = text.trim_start_matches(['\n', ' ', '\t']);
    let (header, rest) = text.split_once('\n').unwrap_or((text, ""));
    let header = header.trim_end();
    let Some((kind_name, scope, bang, description)) = parse_header(header) else {
        let kind = if header.starts_with("Revert \"") {
            Kind::Revert
        } else if parents >= 2 {
            Kind::Merge
        } else {
            Kind::Other
        };
        return Message {
            kind,
            kind_name: None,
            scope: None,
            breaking: false,
            subject: header.to_owned(),
            body: non_empty(rest.trim()),
            footers: Vec::new(),
        };
    };
    let (body, footers) = body_and_footers(rest);
    let breaking = bang
        || footers
            .iter()
            .any(|footer| is_breaking_token(&footer.token));
    Message {
        kind: Kind::Conventional,
        kind_name: Some(kind_name.to_ascii_lowercase()),
        scope: scope.map(str::to_owned),
        breaking,
        subject: description.to_owned(),
        body,
        footers,
    }
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// `type(scope)!: description` → (type, scope, `!`, description). The type is a word
/// (ASCII letters, digits, `_`), the scope any non-empty text without parentheses, and the
/// colon must be followed by a space and a description.
fn parse_header(header: &str) -> Option<(&str, Option<&str>, bool, &str)> {
    let type_end = header
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(header.len());
    let (kind_name, mut rest) = header.split_at(type_end);
    if kind_name.is_empty() {
        return None;
    }
    let mut scope = None;
    if let Some(after) = rest.strip_prefix('(') {
        let end = after.find(')')?;
        let text = &after[..end];
        if text.trim().is_empty() || text.contains('(') {
            return None;
        }
        scope = Some(text);
        rest = &after[end + 1..];
    }
    let bang = rest.starts_with('!');
    if bang {
        rest = &rest[1..];
    }
    let description = rest.strip_prefix(": ")?.trim();
    if description.is_empty() {
        return None;
    }
    Some((kind_name, scope, bang, description))
}

/// If `line` starts a footer: its token and the start of its value. `BREAKING CHANGE` (upper
/// case only) may contain a space; other tokens are words joined by `-`.
fn footer_start(line: &str) -> Option<(&str, &str)> {
    let token_end = if line.starts_with("BREAKING CHANGE") {
        "BREAKING CHANGE".len()
    } else {
        let end = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .unwrap_or(line.len());
        if end == 0 || line.starts_with('-') {
            return None;
        }
        end
    };
    let (token, rest) = line.split_at(token_end);
    let value = if let Some(value) = rest.strip_prefix(": ") {
        value
    } else if rest == ":" {
        ""
    } else {
        // `Token #value`: the `#` is part of the value (an issue number).
        rest.strip_prefix(' ')
            .filter(|value| value.starts_with('#'))?
    };
    Some((token, value))
}

/// The body and the footers of what follows the header. The footers start at the first
/// paragraph whose first line is a footer; from there on, a line that starts a footer starts
/// the next one, and any other line (blank lines included) continues the value before it.
fn body_and_footers(rest: &str) -> (Option<String>, Vec<Footer>) {
    let lines: Vec<&str> = rest.lines().map(str::trim_end).collect();
    let footer_from = (0..lines.len()).find(|&index| {
        (index == 0 || lines[index - 1].is_empty()) && footer_start(lines[index]).is_some()
    });
    let body_lines = &lines[..footer_from.unwrap_or(lines.len())];
    let body = non_empty(body_lines.join("\n").trim());
    let mut footers: Vec<Footer> = Vec::new();
    for line in &lines[footer_from.unwrap_or(lines.len())..] {
        match (footer_start(line), footers.last_mut()) {
            (Some((token, value)), _) => footers.push(Footer {
                token: token.to_owned(),
                value: value.to_owned(),
            }),
            (None, Some(last)) => {
                last.value.push('\n');
                last.value.push_str(line);
            }
            (None, None) => {}
        }
    }
    for footer in &mut footers {
        footer.value = footer.value.trim().to_owned();
    }
    (body, footers)
}

/// A commit of the history with its message read.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: String,
    pub short_id: String,
    #[serde(flatten)]
    pub message: Message,
    /// The part this commit moves on its own (before the 0.x rule).
    pub bump: Option<Bump>,
}

impl Change {
    pub fn new(commit: &CommitMessage) -> Self {
        let message = parse(&commit.message, commit.parents);
        Change {
            short_id: commit.id.chars().take(7).collect(),
            id: commit.id.clone(),
            bump: message.bump(),
            message,
        }
    }
}

/// What the commits since the last tag make of the next version.
#[derive(Debug, Clone, Serialize)]
pub struct NextVersion {
    /// The next version; `None` when no commit calls for a release.
    pub version: Option<String>,
    /// The part bumped (after the 0.x rule); `None` as `version`, or when a pre-release
    /// becomes its final release without a bump.
    pub bump: Option<Bump>,
    /// The tag counted from, and its version (`0.0.0` without a tag).
    pub since: Option<String>,
    pub since_version: String,
    /// How many commits of each kind: breaking, each type, revert, merge, other.
    #[serde(serialize_with = "counts_as_object")]
    pub counts: Vec<(String, usize)>,
    /// The rule that decided, in a sentence.
    pub rule: String,
    /// Every commit since the tag, newest first.
    pub commits: Vec<Change>,
}

/// The next version after the commits of `history`, by Conventional Commits.
///
/// Without a version tag the base is 0.0.0 (commitizen's), so a first `feat` gives 0.1.0.
/// After a pre-release (`1.3.0rc1`), commitizen's rule: the pre-release becomes its final
/// (`1.3.0`) unless the bump goes past it (a `feat` after `1.3.1rc1`, a breaking change after
/// `1.3.0rc1`: `1.4.0`, `2.0.0`), even when no commit calls for a bump.
pub fn next_version(history: &History, settings: ReleaseSettings) -> NextVersion {
    let changes: Vec<Change> = history.commits.iter().map(Change::new).collect();
    let since = history.since.as_ref();
    let base = since.and_then(|tag| tag.version.clone());
    let base_text = base
        .as_ref()
        .map_or_else(|| "0.0.0".to_owned(), ToString::to_string);
    let release: Vec<u64> = base
        .as_ref()
        .map_or_else(Vec::new, |v| v.release().to_vec());
    let part = |index: usize| release.get(index).copied().unwrap_or(0);
    let (major, minor, patch) = (part(0), part(1), part(2));
    let is_pre = base.as_ref().is_some_and(Version::any_prerelease);

    let highest = changes.iter().filter_map(|change| change.bump).max();
    let mut rule = match highest {
        Some(bump) => {
            let why = changes
                .iter()
                .find(|change| change.bump == Some(bump))
                .map(|change| describe_rule(change, bump))
                .unwrap_or_default();
            format!("the highest change is {why}")
        }
        None => "no feat, fix, perf or breaking change".to_owned(),
    };
    let mut bump = highest;
    if bump == Some(Bump::Major) && major == 0 && !settings.major_on_zero {
        bump = Some(Bump::Minor);
        rule.push_str(
            "; while the major version is 0 a breaking change bumps the minor version \
             ([tool.packkit.release] major-on-zero = false)",
        );
    }
    let bumped = |bump: Bump| match bump {
        Bump::Major => (major.saturating_add(1), 0, 0),
        Bump::Minor => (major, minor.saturating_add(1), 0),
        Bump::Patch => (major, minor, patch.saturating_add(1)),
    };
    let next = if is_pre {
        // The pre-release's own release is the target unless the bump goes past it.
        let goes_past = match bump {
            Some(Bump::Major) => minor != 0 || patch != 0,
            Some(Bump::Minor) => patch != 0,
            Some(Bump::Patch) | None => false,
        };
        let target = match bump {
            Some(bump) if goes_past => bumped(bump),
            _ => {
                rule.push_str(&format!(
                    "; {base_text} is a pre-release, so the next version is its final release"
                ));
                bump = None;
                (major, minor, patch)
            }
        };
        Some(target)
    } else {
        bump.map(bumped)
    };
    let version = next.map(|(major, minor, patch)| format!("{major}.{minor}.{patch}"));
    NextVersion {
        version,
        bump,
        since: since.map(|tag| tag.name.clone()),
        since_version: base_text,
        counts: counts(&changes),
        rule,
        commits: changes,
    }
}

/// The counts as a JSON object, in their order.
fn counts_as_object<S: serde::Serializer>(
    counts: &[(String, usize)],
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap as _;
    let mut map = serializer.serialize_map(Some(counts.len()))?;
    for (name, count) in counts {
        map.serialize_entry(name, count)?;
    }
    map.end()
}

/// "feat → minor (abc1234 feat(cli): add x)".
fn describe_rule(change: &Change, bump: Bump) -> String {
    let cause = if change.message.breaking {
        "a breaking change".to_owned()
    } else {
        change.message.kind_name.clone().unwrap_or_default()
    };
    format!(
        "{cause} → {} ({} {})",
        bump.name(),
        change.short_id,
        one_line(&header_of(&change.message))
    )
}

/// The header as written, normalised: `type(scope)!: subject`, or the subject alone.
pub fn header_of(message: &Message) -> String {
    match &message.kind_name {
        Some(kind_name) => format!(
            "{kind_name}{}{}: {}",
            message
                .scope
                .as_ref()
                .map(|scope| format!("({scope})"))
                .unwrap_or_default(),
            if message.breaking && !message.footers.iter().any(|f| is_breaking_token(&f.token)) {
                "!"
            } else {
                ""
            },
            message.subject
        ),
        None => message.subject.clone(),
    }
}

/// Counts in the order they are printed: breaking, feat, fix, perf, the other types by name,
/// then revert, merge and other messages.
fn counts(changes: &[Change]) -> Vec<(String, usize)> {
    let mut by_type: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut breaking = 0;
    let (mut reverts, mut merges, mut others) = (0, 0, 0);
    for change in changes {
        let message = &change.message;
        if message.breaking {
            breaking += 1;
        }
        match message.kind {
            Kind::Conventional => {
                *by_type
                    .entry(message.kind_name.clone().unwrap_or_default())
                    .or_default() += 1;
            }
            Kind::Revert => reverts += 1,
            Kind::Merge => merges += 1,
            Kind::Other => others += 1,
        }
    }
    let mut out = Vec::new();
    let mut push = |name: &str, count: usize| {
        if count > 0 {
            out.push((name.to_owned(), count));
        }
    };
    push("breaking", breaking);
    for first in ["feat", "fix", "perf"] {
        push(first, by_type.remove(first).unwrap_or(0));
    }
    for (name, count) in by_type {
        push(&name, count);
    }
    push("revert", reverts);
    push("merge", merges);
    push("other", others);
    out
}

impl NextVersion {
    /// `1.3.0  (minor: 2 feat, 5 fix, 1 other; ...)`, the line `packkit next` prints.
    pub fn summary(&self) -> String {
        let counts = self.counts_text();
        let bump = self.bump.map_or("final", Bump::name);
        format!(
            "{}  ({bump}: {counts}; `packkit next --explain` lists them)",
            self.version.as_deref().unwrap_or("none")
        )
    }

    /// "2 feat, 5 fix, 1 other" ("no commits" when there are none).
    pub fn counts_text(&self) -> String {
        if self.counts.is_empty() {
            return "no commits".to_owned();
        }
        self.counts
            .iter()
            .map(|(name, count)| format!("{count} {name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every commit (short id, type, scope, breaking, subject), then the rule and the result.
    pub fn explanation(&self) -> String {
        let mut out = match &self.since {
            Some(tag) => format!(
                "{} commits since {tag} ({}):\n",
                self.commits.len(),
                self.since_version
            ),
            None => format!(
                "{} commits, no version tag (counted from 0.0.0):\n",
                self.commits.len()
            ),
        };
        let rows: Vec<[String; 6]> = self
            .commits
            .iter()
            .map(|change| {
                let message = &change.message;
                let kind = match message.kind {
                    Kind::Conventional => message.kind_name.clone().unwrap_or_default(),
                    Kind::Revert => "(revert)".to_owned(),
                    Kind::Merge => "(merge)".to_owned(),
                    Kind::Other => "(other)".to_owned(),
                };
                [
                    change.short_id.clone(),
                    one_line(&kind),
                    message
                        .scope
                        .as_deref()
                        .map_or_else(|| "-".to_owned(), one_line),
                    if message.breaking { "breaking" } else { "-" }.to_owned(),
                    change.bump.map_or("-", Bump::name).to_owned(),
                    one_line(&message.subject),
                ]
            })
            .collect();
        let widths: Vec<usize> = (0..5)
            .map(|column| {
                rows.iter()
                    .map(|row| row[column].chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &rows {
            let mut line = " ".to_owned();
            for (column, cell) in row.iter().enumerate() {
                let width = widths.get(column).copied().unwrap_or(0);
                let _ = write!(line, " {cell:<width$}");
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let _ = writeln!(out, "rule: {}", self.rule);
        match &self.version {
            Some(version) => {
                let _ = writeln!(out, "next: {} → {version}", self.since_version);
            }
            None => {
                let _ = writeln!(out, "next: none (nothing to release)");
            }
        }
        out
    }
}

/// Text from a commit for a terminal: control characters (escape sequences, carriage
/// returns) become spaces, so that no message can redraw the screen or break the table.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The changelog's groups, in the order they are printed.
const GROUPS: &[(&str, &str)] = &[
    ("breaking", "Breaking changes"),
    ("feat", "Features"),
    ("fix", "Fixes"),
    ("perf", "Performance"),
    ("other", "Other"),
];

/// The group of a change (a breaking change is also listed in its type's group).
fn group_of(message: &Message) -> Option<&'static str> {
    match message.kind {
        Kind::Conventional => Some(match message.kind_name.as_deref() {
            Some("feat") => "feat",
            Some("fix") => "fix",
            Some("perf") => "perf",
            _ => "other",
        }),
        Kind::Revert => Some("other"),
        Kind::Merge | Kind::Other => None,
    }
}

/// The changelog of the commits of `history`, for `--format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Changelog {
    pub since: Option<String>,
    /// Each group with its commits, newest first; empty groups left out.
    pub groups: Vec<ChangelogGroup>,
    /// Commits without a Conventional Commits header (merges included): counted, not listed.
    pub not_listed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangelogGroup {
    pub key: &'static str,
    pub title: &'static str,
    pub entries: Vec<Change>,
}

pub fn changelog(history: &History) -> Changelog {
    let changes: Vec<Change> = history.commits.iter().map(Change::new).collect();
    let mut groups = Vec::new();
    for (key, title) in GROUPS {
        let entries: Vec<Change> = changes
            .iter()
            .filter(|change| {
                let message = &change.message;
                if *key == "breaking" {
                    message.breaking
                } else {
                    group_of(message) == Some(key)
                }
            })
            .cloned()
            .collect();
        if !entries.is_empty() {
            groups.push(ChangelogGroup {
                key,
                title,
                entries,
            });
        }
    }
    let not_listed = changes
        .iter()
        .filter(|change| group_of(&change.message).is_none())
        .count();
    Changelog {
        since: history.since.as_ref().map(|tag| tag.name.clone()),
        groups,
        not_listed,
    }
}

impl Changelog {
    /// Markdown: a `##` heading, a `###` section per group, one line per commit.
    pub fn markdown(&self) -> String {
        let heading = match &self.since {
            Some(tag) => format!("Changes since {tag}"),
            None => "Changes".to_owned(),
        };
        self.markdown_under(&heading)
    }

    /// [`Self::markdown`] under the `##` heading `heading` (a release's section of
    /// CHANGELOG.md: `1.3.0 (2026-12-06)`).
    pub fn markdown_under(&self, heading: &str) -> String {
        let mut out = format!("## {}\n", markdown_text(heading));
        if self.groups.is_empty() {
            out.push_str("\nNo Conventional Commits.\n");
        }
        for group in &self.groups {
            let _ = write!(out, "\n### {}\n\n", group.title);
            for change in &group.entries {
                let message = &change.message;
                let scope = message
                    .scope
                    .as_ref()
                    .map(|scope| format!("**{}:** ", markdown_text(scope)))
                    .unwrap_or_default();
                let text = if group.key == "breaking" {
                    message.breaking_note().unwrap_or(&message.subject)
                } else {
                    &message.subject
                };
                let prefix = match (group.key, message.kind_name.as_deref()) {
                    ("other", Some(kind_name)) => format!("{kind_name}: "),
                    _ => String::new(),
                };
                let text = markdown_text(&text.replace('\n', " "));
                let _ = writeln!(out, "- {scope}{prefix}{text} ({})", change.short_id);
            }
        }
        if self.not_listed > 0 {
            let _ = write!(
                out,
                "\n{} {} without a Conventional Commits header {} not listed.\n",
                self.not_listed,
                if self.not_listed == 1 {
                    "commit"
                } else {
                    "commits"
                },
                if self.not_listed == 1 { "is" } else { "are" },
            );
        }
        out
    }
}

/// Commit text as Markdown text: characters that would start markup or HTML are escaped.
fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        if c.is_control() {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scm::git::StartTag;

    fn conventional(message: &str) -> Message {
        let parsed = parse(message, 1);
        assert_eq!(parsed.kind, Kind::Conventional, "{message:?}");
        parsed
    }

    #[test]
    fn a_header_has_a_type_an_optional_scope_and_bang_and_a_description() {
        let m = conventional("feat(parser): read scopes");
        assert_eq!(m.kind_name.as_deref(), Some("feat"));
        assert_eq!(m.scope.as_deref(), Some("parser"));
        assert!(!m.breaking);
        assert_eq!(m.subject, "read scopes");
        assert_eq!(m.body, None);

        let m = conventional("fix!: drop Python 3.9");
        assert!(m.breaking && m.scope.is_none());
        let m = conventional("refactor(api/io)!: rename   ");
        assert_eq!(m.scope.as_deref(), Some("api/io"));
        assert!(m.breaking);
        assert_eq!(m.subject, "rename");
        assert_eq!(m.bump(), Some(Bump::Major), "any type with ! is breaking");
    }

    #[test]
    fn types_are_not_case_sensitive_but_breaking_change_is() {
        let m = conventional("FEAT: shout");
        assert_eq!(m.kind_name.as_deref(), Some("feat"));
        assert_eq!(m.bump(), Some(Bump::Minor));
        let m = conventional("fix: x\n\nbreaking-change: lower case is a plain footer");
        assert!(!m.breaking);
        assert_eq!(m.footers[0].token, "breaking-change");
        assert_eq!(m.bump(), Some(Bump::Patch));
    }

    #[test]
    fn headers_that_are_not_conventional() {
        for message in [
            "feat:no space",
            "feat : space before the colon",
            "feat(): empty scope",
            "feat(x: unclosed",
            "feat: ",
            ": no type",
            "fixup! fix: x",
            "Update README.md",
            "feat(a)(b): two scopes",
            "",
        ] {
            let m = parse(message, 1);
            assert_eq!(m.kind, Kind::Other, "{message:?}");
            assert_eq!(m.bump(), None);
        }
    }

    #[test]
    fn bumps_by_type() {
        assert_eq!(conventional("feat: a").bump(), Some(Bump::Minor));
        assert_eq!(conventional("fix: a").bump(), Some(Bump::Patch));
        assert_eq!(conventional("perf: a").bump(), Some(Bump::Patch));
        for kind in ["docs", "chore", "refactor", "test", "ci", "build", "style"] {
            assert_eq!(conventional(&format!("{kind}: a")).bump(), None, "{kind}");
        }
    }

    #[test]
    fn footers_follow_the_body_and_breaking_change_footers_break() {
        let m = conventional(
            "feat(cli): add --explain\n\nFirst paragraph\nof the body.\n\nSecond paragraph.\n\n\
             Reviewed-by: Z\nRefs #133\nBREAKING CHANGE: the old flag\n  is gone\n",
        );
        assert_eq!(
            m.body.as_deref(),
            Some("First paragraph\nof the body.\n\nSecond paragraph.")
        );
        assert_eq!(
            m.footers,
            vec![
                Footer {
                    token: "Reviewed-by".into(),
                    value: "Z".into()
                },
                Footer {
                    token: "Refs".into(),
                    value: "#133".into()
                },
                Footer {
                    token: "BREAKING CHANGE".into(),
                    value: "the old flag\n  is gone".into()
                },
            ]
        );
        assert!(m.breaking);
        assert_eq!(m.breaking_note(), Some("the old flag\n  is gone"));
        assert_eq!(m.bump(), Some(Bump::Major));

        let m = conventional("fix: y\n\nBREAKING-CHANGE: hyphenated");
        assert!(m.breaking);
        assert_eq!(m.body, None);
        // A footer value may run over a blank line until the next token.
        let m = conventional("fix: y\n\nCloses #1\n\nmore about it\nAcked-by: A");
        assert_eq!(m.footers.len(), 2);
        assert_eq!(m.footers[0].value, "#1\n\nmore about it");
    }

    #[test]
    fn a_body_line_like_a_footer_inside_a_paragraph_is_body() {
        let m = conventional("fix: z\n\nThe cause\nNote: inside a paragraph");
        assert!(m.footers.is_empty());
        assert_eq!(
            m.body.as_deref(),
            Some("The cause\nNote: inside a paragraph")
        );
    }

    #[test]
    fn crlf_messages_read_as_lf() {
        let m = conventional("feat(x)!: windows\r\n\r\nbody line\r\n\r\nBREAKING CHANGE: yes\r\n");
        assert_eq!(m.subject, "windows");
        assert_eq!(m.body.as_deref(), Some("body line"));
        assert_eq!(m.footers[0].value, "yes");
        assert_eq!(m.breaking_note(), Some("yes"));
    }

    #[test]
    fn control_characters_do_not_reach_the_terminal() {
        let result = next_version(
            &history(Some("1.0.0"), &["feat(\u{1b}[2J): \u{1b}]0;title\u{7}x\ry"]),
            ReleaseSettings::default(),
        );
        let explanation = result.explanation();
        assert!(
            !explanation.chars().any(|c| c.is_control() && c != '\n'),
            "{explanation:?}"
        );
    }

    #[test]
    fn merges_and_reverts() {
        let m = parse("Merge branch 'topic'\n", 2);
        assert_eq!(m.kind, Kind::Merge);
        assert_eq!(m.bump(), None);
        let m = parse(
            "Merge pull request #3 from x/y\n\nfeat: the branch's title",
            2,
        );
        assert_eq!((m.kind, m.bump()), (Kind::Merge, None));
        // A merge commit with a conventional message is a change like any other.
        assert_eq!(parse("feat: merged as one", 2).bump(), Some(Bump::Minor));
        // Reverts move nothing, as in commitizen, and the reverted commit still counts.
        let m = parse(
            "Revert \"feat: x\"\n\nThis reverts commit 0123456789abcdef.\n",
            1,
        );
        assert_eq!((m.kind, m.bump()), (Kind::Revert, None));
        let m = conventional("revert: feat: x");
        assert_eq!((m.kind_name.as_deref(), m.bump()), (Some("revert"), None));
    }

    fn history(tag: Option<&str>, messages: &[&str]) -> History {
        History {
            since: tag.map(|name| StartTag {
                name: format!("v{name}"),
                version: Some(crate::version::parse(name).unwrap()),
            }),
            commits: messages
                .iter()
                .enumerate()
                .map(|(n, message)| CommitMessage {
                    id: format!("{n:07x}{}", "0".repeat(33)),
                    parents: 1,
                    message: (*message).to_owned(),
                })
                .collect(),
        }
    }

    fn next(tag: Option<&str>, messages: &[&str], major_on_zero: bool) -> Option<String> {
        next_version(&history(tag, messages), ReleaseSettings { major_on_zero }).version
    }

    #[test]
    fn next_versions_from_final_releases() {
        assert_eq!(
            next(Some("1.2.3"), &["fix: a", "docs: b"], false).as_deref(),
            Some("1.2.4")
        );
        assert_eq!(
            next(Some("1.2.3"), &["fix: a", "feat: b"], false).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next(Some("1.2.3"), &["feat!: a"], false).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(next(Some("1.2.3"), &["docs: a", "wip"], false), None);
        assert_eq!(
            next(Some("1.2"), &["fix: a"], false).as_deref(),
            Some("1.2.1")
        );
        assert_eq!(
            next(Some("1.2.3.post1"), &["fix: a"], false).as_deref(),
            Some("1.2.4")
        );
    }

    #[test]
    fn breaking_changes_on_zero_bump_the_minor_unless_major_on_zero() {
        assert_eq!(
            next(Some("0.4.1"), &["feat!: a"], false).as_deref(),
            Some("0.5.0")
        );
        assert_eq!(
            next(Some("0.4.1"), &["feat!: a"], true).as_deref(),
            Some("1.0.0")
        );
        let result = next_version(
            &history(Some("0.4.1"), &["feat!: a"]),
            ReleaseSettings::default(),
        );
        assert_eq!(result.bump, Some(Bump::Minor));
        assert!(result.rule.contains("major-on-zero"), "{}", result.rule);
    }

    #[test]
    fn without_a_tag_the_base_is_zero() {
        assert_eq!(next(None, &["feat: a"], false).as_deref(), Some("0.1.0"));
        assert_eq!(next(None, &["fix: a"], false).as_deref(), Some("0.0.1"));
        assert_eq!(next(None, &["feat!: a"], true).as_deref(), Some("1.0.0"));
    }

    #[test]
    fn pre_releases_become_final_unless_the_bump_goes_past() {
        assert_eq!(
            next(Some("1.3.0rc1"), &["fix: a"], false).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next(Some("1.3.0rc1"), &["feat: a"], false).as_deref(),
            Some("1.3.0")
        );
        assert_eq!(
            next(Some("1.3.0rc1"), &["feat!: a"], false).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next(Some("2.0.0b1"), &["feat!: a"], false).as_deref(),
            Some("2.0.0")
        );
        assert_eq!(
            next(Some("1.3.1a2"), &["feat: a"], false).as_deref(),
            Some("1.4.0")
        );
        assert_eq!(
            next(Some("1.3.0.dev2"), &["docs: a"], false).as_deref(),
            Some("1.3.0")
        );
    }

    #[test]
    fn summary_and_explanation() {
        let result = next_version(
            &history(
                Some("1.2.0"),
                &["feat(cli): a", "fix: b", "fix: c", "wip", "docs: d"],
            ),
            ReleaseSettings::default(),
        );
        assert_eq!(
            result.summary(),
            "1.3.0  (minor: 1 feat, 2 fix, 1 docs, 1 other; `packkit next --explain` lists them)"
        );
        let explanation = result.explanation();
        assert!(
            explanation.starts_with("5 commits since v1.2.0 (1.2.0):\n"),
            "{explanation}"
        );
        assert!(
            explanation
                .contains("  0000000 feat    cli - minor a\n  0000001 fix     -   - patch b\n"),
            "{explanation}"
        );
        assert!(
            explanation.contains("rule: the highest change is feat → minor (0000000 feat(cli): a)"),
            "{explanation}"
        );
        assert!(
            explanation.ends_with("next: 1.2.0 → 1.3.0\n"),
            "{explanation}"
        );
    }

    #[test]
    fn changelog_groups_newest_first() {
        let log = changelog(&history(
            Some("1.0.0"),
            &[
                "feat(ui): new <b>button</b>",
                "fix: crash\n\nBREAKING CHANGE: config moved",
                "perf: faster",
                "docs: typo",
                "Revert \"feat: x\"",
                "random",
                "feat: older",
            ],
        ));
        assert_eq!(
            log.markdown(),
            "## Changes since v1.0.0\n\n\
             ### Breaking changes\n\n- config moved (0000001)\n\n\
             ### Features\n\n- **ui:** new \\<b\\>button\\</b\\> (0000000)\n- older (0000006)\n\n\
             ### Fixes\n\n- crash (0000001)\n\n\
             ### Performance\n\n- faster (0000002)\n\n\
             ### Other\n\n- docs: typo (0000003)\n- Revert \"feat: x\" (0000004)\n\n\
             1 commit without a Conventional Commits header is not listed.\n"
        );
    }

    #[test]
    fn release_settings_are_read_located_and_checked() {
        let read = |text: &str| {
            let pyproject =
                PyProject::parse(std::path::Path::new("pyproject.toml"), text.to_owned()).unwrap();
            ReleaseSettings::read(Some(&pyproject))
        };
        assert_eq!(read("").unwrap(), ReleaseSettings::default());
        assert!(
            read("[tool.packkit.release]\nmajor-on-zero = true\n")
                .unwrap()
                .major_on_zero
        );
        let problems =
            read("[tool.packkit.release]\nmajor-on-zero = 1\nmajor_on_zero = true\n").unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 2, "{text:?}");
        assert!(
            text.iter()
                .any(|t| t.contains("2:17") && t.contains("major-on-zero")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("major_on_zero")), "{text:?}");
    }
}
