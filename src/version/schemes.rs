//! Version and local schemes with setuptools_scm's names and outputs.
//!
//! Each scheme is a pure function of the git facts (`Facts`) and a little context (build
//! time, how to read a version from a branch name, the towncrier fragments found). The
//! string operations deliberately mirror setuptools_scm's (bump "the last number in the
//! string", `{tag}.dev{distance}`, ...) so outputs are identical byte for byte; the one
//! addition is that the final result must parse as PEP 440.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::civil::Date;

use super::{Version, parse};
use crate::error::{Error, Result};

/// What git (or an archive) says about the checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    pub tag: Option<Tag>,
    pub distance: u64,
    /// `g` + hex digits of HEAD (full length; shortened to `g` + 9 when printed).
    pub node: Option<String>,
    pub dirty: bool,
    pub branch: Option<String>,
    pub node_date: Option<Date>,
    pub shallow: bool,
}

impl Facts {
    /// HEAD is the tagged commit and nothing is modified (setuptools_scm's `exact`).
    pub fn exact(&self) -> bool {
        self.distance == 0 && !self.dirty
    }

    /// The node as setuptools_scm prints it: at most 10 characters (`g` + 9 hex digits).
    /// Counted in characters, not bytes: a node read from a file may be anything.
    pub fn short_node(&self) -> Option<&str> {
        self.node
            .as_deref()
            .map(|node| match node.char_indices().nth(10) {
                Some((end, _)) => node.get(..end).unwrap_or(node),
                None => node,
            })
    }
}

/// The nearest tag that parsed as a version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The tag's name in git (`v1.2.0`, `pkg-a-v1.2.0`).
    pub name: String,
    pub version: Version,
    /// The version text as written in the tag (after prefix removal), kept for `normalize = false`.
    pub text: String,
}

macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => [$($spelling:literal),+]),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every accepted spelling, canonical names first.
            pub const NAMES: &'static [&'static str] = &[$($($spelling),+),+];

            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($($spelling)|+ => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

named_enum!(
    /// How the public part of the version is guessed from the nearest tag.
    VersionScheme {
        GuessNextDev => ["guess-next-dev"],
        PostRelease => ["post-release"],
        NoGuessDev => ["no-guess-dev"],
        OnlyVersion => ["only-version"],
        CalverByDate => ["calver-by-date"],
        SemverPep440 => ["semver-pep440", "python-simplified-semver"],
        SemverPep440ReleaseBranch => ["semver-pep440-release-branch", "release-branch-semver"],
        TowncrierFragments => ["towncrier-fragments"],
        TowncrierFragmentsZerover => ["towncrier-fragments-zerover"],
    }
);

named_enum!(
    /// What goes after the `+`.
    LocalScheme {
        NodeAndDate => ["node-and-date"],
        NodeAndTimestamp => ["node-and-timestamp"],
        DirtyTag => ["dirty-tag"],
        NoLocalVersion => ["no-local-version"],
        NoLocalVersionStrict => ["no-local-version-strict"],
        FailOnUncommittedChanges => ["fail-on-uncommitted-changes"],
    }
);

/// The kind of release the towncrier fragments ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FragmentBump {
    None,
    Patch,
    Minor,
    /// `major`, `breaking` or `removal` fragments; `explicit_major` is true when a `major`
    /// fragment itself is present (the zerover variant only leaves 0.x for that one).
    Major {
        explicit_major: bool,
    },
}

/// Everything a scheme may look at besides the facts.
pub struct Context<'a> {
    /// The version assumed when there is no tag: `0.0`, or `fallback-version`.
    pub untagged_base: &'a str,
    /// The build time (`SOURCE_DATE_EPOCH` or now), used by the `d…` local parts and calver.
    pub time: Timestamp,
    /// Reads the version out of a name with the tag regex (for release branches).
    pub parse_tag: &'a dyn Fn(&str) -> Option<String>,
    pub fragments: FragmentBump,
    /// Keep the tag's text as written instead of its normalised form.
    pub normalize: bool,
}

/// Format the facts into the final version string, as setuptools_scm's `format_version`.
/// `local` is setuptools_scm's list of local schemes: the first that gives a part wins.
pub fn format(
    facts: &Facts,
    scheme: VersionScheme,
    local: &[LocalScheme],
    context: &Context<'_>,
) -> Result<String> {
    let (tag, tag_local) = match &facts.tag {
        Some(tag) => {
            let local = tag
                .version
                .local()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>();
            let public = if context.normalize {
                tag.version.clone().without_local().to_string()
            } else {
                tag.text.split('+').next().unwrap_or_default().to_owned()
            };
            (public, local.join("."))
        }
        None => (context.untagged_base.to_owned(), String::new()),
    };
    let main = version_part(facts, &tag, scheme, context)?;
    let local_part = local_part(facts, local, context.time)?;
    let version = combine_local_parts(&main, &[&tag_local, &local_part]);
    // As written, not merely parseable: no white space around it either.
    if super::clean(&version).ok().as_deref() != Some(version.as_str()) {
        return Err(Error::invalid_version(format!(
            "the version scheme {:?} turned tag {:?} into {version:?}, which is not a valid \
             PEP 440 version",
            scheme_name(scheme),
            facts.tag.as_ref().map_or(tag.as_str(), |t| t.name.as_str()),
        )));
    }
    Ok(version)
}

fn scheme_name(scheme: VersionScheme) -> &'static str {
    VersionScheme::NAMES
        .iter()
        .copied()
        .find(|name| VersionScheme::from_name(name) == Some(scheme))
        .expect("every scheme has a name")
}

fn version_part(
    facts: &Facts,
    tag: &str,
    scheme: VersionScheme,
    context: &Context<'_>,
) -> Result<String> {
    let dev = |guessed: String| format!("{guessed}.dev{}", facts.distance);
    if facts.exact() && scheme != VersionScheme::CalverByDate {
        return Ok(tag.to_owned());
    }
    Ok(match scheme {
        VersionScheme::GuessNextDev => dev(guess_next(tag)?),
        VersionScheme::PostRelease => format!("{tag}.post{}", facts.distance),
        VersionScheme::NoGuessDev => dev(match bump_dev(tag)? {
            Some(version) => version,
            None if tag.contains("post") => {
                return Err(Error::invalid_version(format!(
                    "{tag} already is a post release, refusing to guess the update \
                     (the no-guess-dev scheme appends .post1)"
                )));
            }
            None => format!("{tag}.post1"),
        }),
        VersionScheme::OnlyVersion => tag.to_owned(),
        VersionScheme::SemverPep440 => {
            let feature = facts
                .branch
                .as_deref()
                .is_some_and(|b| b.contains("feature"));
            dev(simple_semver(tag, if feature { 2 } else { 3 })?)
        }
        VersionScheme::SemverPep440ReleaseBranch => {
            let on_release_branch = facts.branch.as_deref().and_then(|branch| {
                let last = branch.rsplit('/').next().unwrap_or(branch);
                (context.parse_tag)(last)
            });
            match on_release_branch {
                Some(branch_version)
                    if up_to_minor(branch_version.strip_prefix('v').unwrap_or(&branch_version))
                        == up_to_minor(tag) =>
                {
                    dev(guess_next(tag)?)
                }
                _ => dev(simple_semver(tag, 2)?),
            }
        }
        VersionScheme::CalverByDate => return calver_by_date(facts, tag, context),
        VersionScheme::TowncrierFragments | VersionScheme::TowncrierFragmentsZerover => {
            let bump = match context.fragments {
                FragmentBump::Major {
                    explicit_major: false,
                } if scheme == VersionScheme::TowncrierFragmentsZerover && tag_major(tag)? == 0 => {
                    FragmentBump::Minor
                }
                bump => bump,
            };
            match bump {
                FragmentBump::None => dev(guess_next(tag)?),
                FragmentBump::Major { .. } => {
                    let major = tag_major(tag)?.checked_add(1).ok_or_else(|| {
                        Error::invalid_version(format!("the major version of {tag} is too large"))
                    })?;
                    dev(format!("{major}.0.0"))
                }
                FragmentBump::Minor => dev(simple_semver(tag, 2)?),
                FragmentBump::Patch => dev(simple_semver(tag, 3)?),
            }
        }
    })
}

/// setuptools_scm's `guess_next_version`: finish a `.dev0` tag, else bump the last number.
fn guess_next(tag: &str) -> Result<String> {
    if let Some(version) = bump_dev(tag)? {
        return Ok(version);
    }
    let digits = tag.len() - tag.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return Err(Error::invalid_version(format!(
            "{tag} does not end with a number to bump; tag a version that does, or choose \
             another version scheme"
        )));
    }
    let (prefix, number) = tag.split_at(tag.len() - digits);
    let next = number
        .parse::<u128>()
        .ok()
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| {
            Error::invalid_version(format!(
                "the number at the end of {tag} is too large to bump"
            ))
        })?;
    Ok(format!("{prefix}{next}"))
}

/// A tag ending in `.dev0` names the release being developed; `.devN` for other N is refused.
fn bump_dev(tag: &str) -> Result<Option<String>> {
    let Some((prefix, tail)) = tag.rsplit_once(".dev") else {
        return Ok(None);
    };
    if tail != "0" {
        return Err(Error::invalid_version(format!(
            "the tag {tag} can't be bumped: choosing custom numbers for the .devN distance is \
             not supported; drop the tag or create one ending in .dev0"
        )));
    }
    Ok(Some(prefix.to_owned()))
}

/// setuptools_scm's `guess_next_simple_semver`: keep `retain` release numbers, bump the last.
fn simple_semver(tag: &str, retain: usize) -> Result<String> {
    let version = parse(tag)?;
    let epoch = if version.epoch() > 0 {
        format!("{}!", version.epoch())
    } else {
        String::new()
    };
    let mut parts: Vec<u64> = version.release().to_vec();
    if version.dev() != Some(0) {
        parts.truncate(retain);
        parts.resize(retain, 0);
        if let Some(last) = parts.last_mut() {
            *last = last.checked_add(1).ok_or_else(|| {
                Error::invalid_version(format!("the last number of {tag} is too large to bump"))
            })?;
        }
    }
    parts.resize(parts.len().max(3), 0);
    let numbers: Vec<String> = parts.iter().map(ToString::to_string).collect();
    Ok(format!("{epoch}{}", numbers.join(".")))
}

fn up_to_minor(version: &str) -> Vec<&str> {
    version.split('.').take(2).collect()
}

fn tag_major(tag: &str) -> Result<u64> {
    let first = tag
        .split('.')
        .next()
        .unwrap_or_default()
        .trim_start_matches('v');
    first.parse().map_err(|_| {
        Error::invalid_version(format!(
            "cannot read a major version number from the tag {tag}"
        ))
    })
}

/// `[v]YY(YY).MM.DD[.patch]`, as setuptools_scm's `_DATE_REGEX`.
fn date_match(version: &str) -> Option<(String, usize, String, Option<String>)> {
    static DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(?P<date>(?P<prefix>[vV]?)(?P<year>\d{2}|\d{4})(?:\.\d{1,2}){2})(?:\.(?P<patch>\d*))?$",
        )
        .expect("static regex")
    });
    let caps = DATE.captures(version)?;
    Some((
        caps["date"].to_owned(),
        caps["year"].len(),
        caps["prefix"].to_owned(),
        caps.name("patch").map(|m| m.as_str().to_owned()),
    ))
}

fn calver_by_date(facts: &Facts, tag: &str, context: &Context<'_>) -> Result<String> {
    if facts.exact() {
        return Ok(tag.to_owned());
    }
    if let Some(rest) = facts
        .branch
        .as_deref()
        .and_then(|b| b.strip_prefix("release-"))
    {
        let last = rest.rsplit('-').next().unwrap_or(rest);
        if let Some(version) = (context.parse_tag)(last) {
            if date_match(&version).is_some() {
                return Ok(version);
            }
        }
    }
    let today = jiff::tz::TimeZone::UTC.to_datetime(context.time).date();
    let head_date = facts.node_date.unwrap_or(today);
    let matched = date_match(tag);
    let (two_digit_year, tag_date, patch) = match &matched {
        None => (true, head_date.yesterday().unwrap_or(head_date), 0),
        Some((date, year_len, prefix, patch)) => {
            let digits = date.trim_start_matches(prefix.as_str());
            let mut fields = digits.split('.').map(str::parse::<i16>);
            let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(Error::invalid_version(format!(
                    "the tag {tag} is not a valid date"
                )));
            };
            let year = if *year_len == 2 {
                if year < 69 { 2000 + year } else { 1900 + year }
            } else {
                year
            };
            // Two digits each (the regex), so they fit an `i8`; `try_from` keeps that checked.
            let date = match (i8::try_from(month), i8::try_from(day)) {
                (Ok(month), Ok(day)) => Date::new(year, month, day).ok(),
                _ => None,
            }
            .ok_or_else(|| {
                Error::invalid_version(format!("the tag {tag} is not a valid calendar date"))
            })?;
            let patch = patch
                .as_deref()
                .filter(|p| !p.is_empty())
                .map_or(Ok(0), str::parse::<u64>);
            (*year_len == 2, date, patch.unwrap_or(0))
        }
    };
    let patch = if tag_date == head_date {
        patch.checked_add(1).ok_or_else(|| {
            Error::invalid_version(format!("the patch number of {tag} is too large"))
        })?
    } else {
        0
    };
    let mut next = String::new();
    let year = if two_digit_year {
        i32::from(head_date.year()) % 100
    } else {
        i32::from(head_date.year())
    };
    let _ = write!(
        next,
        "{year:02}.{:02}.{:02}.{patch}",
        head_date.month(),
        head_date.day()
    );
    let normalized = parse(&next)?.to_string();
    Ok(format!("{normalized}.dev{}", facts.distance))
}

/// The local part from a list of local schemes, as setuptools_scm's `_call_version_scheme`:
/// each runs in turn (a repeated name only once) until one gives a part; only
/// `fail-on-uncommitted-changes` gives none (it refuses a dirty tree, else passes on), and a
/// list that ends without a part gives setuptools_scm's default, `+unknown`.
fn local_part(facts: &Facts, schemes: &[LocalScheme], time: Timestamp) -> Result<String> {
    for scheme in schemes {
        if *scheme == LocalScheme::FailOnUncommittedChanges {
            if facts.dirty {
                return Err(dirty_tree_error(
                    "the local scheme is fail-on-uncommitted-changes",
                ));
            }
            continue;
        }
        return one_local_part(facts, *scheme, time);
    }
    Ok("+unknown".to_owned())
}

fn dirty_tree_error(why: &str) -> Error {
    Error::scm(
        format!("the working tree has uncommitted changes and {why}"),
        Some("commit or stash the changes (git status shows them)".to_owned()),
    )
}

fn one_local_part(facts: &Facts, scheme: LocalScheme, time: Timestamp) -> Result<String> {
    let stamp = |format: &str| time.strftime(format).to_string();
    let with_time = |format: &str| -> String {
        match facts.short_node() {
            Some(node) if !facts.exact() => {
                if facts.dirty {
                    format!("+{node}.d{}", stamp(format))
                } else {
                    format!("+{node}")
                }
            }
            _ if facts.dirty => format!("+d{}", stamp(format)),
            _ => String::new(),
        }
    };
    Ok(match scheme {
        LocalScheme::NodeAndDate => with_time("%Y%m%d"),
        LocalScheme::NodeAndTimestamp => with_time("%Y%m%d%H%M%S"),
        LocalScheme::DirtyTag => {
            if facts.dirty {
                "+dirty".to_owned()
            } else {
                String::new()
            }
        }
        // `local_part` never passes fail-on-uncommitted-changes here.
        LocalScheme::NoLocalVersion | LocalScheme::FailOnUncommittedChanges => String::new(),
        LocalScheme::NoLocalVersionStrict => {
            if facts.dirty {
                return Err(dirty_tree_error(
                    "the local scheme is no-local-version-strict",
                ));
            }
            String::new()
        }
    })
}

/// Join the main version with local parts, skipping segments already present.
fn combine_local_parts(main: &str, parts: &[&str]) -> String {
    let (public, existing) = match main.split_once('+') {
        Some((public, local)) => (public, local.split('.').map(str::to_owned).collect()),
        None => (main, Vec::new()),
    };
    let mut segments: Vec<String> = existing;
    for part in parts {
        for segment in part.trim().trim_matches('+').split('.') {
            if !segment.is_empty() && !segments.iter().any(|s| s == segment) {
                segments.push(segment.to_owned());
            }
        }
    }
    if segments.is_empty() {
        public.to_owned()
    } else {
        format!("{public}+{}", segments.join("."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIME: &str = "2024-06-15T12:00:00Z";

    fn facts(tag: Option<&str>, distance: u64, dirty: bool) -> Facts {
        Facts {
            tag: tag.map(|t| Tag {
                name: format!("v{t}"),
                version: parse(t).unwrap(),
                text: t.into(),
            }),
            distance,
            node: Some("g6480c421f0123456789".into()),
            dirty,
            branch: Some("main".into()),
            node_date: Some(Date::new(2024, 1, 5).unwrap()),
            shallow: false,
        }
    }

    /// `local` is a comma-separated list of local schemes.
    fn run(facts: &Facts, scheme: &str, local: &str) -> Result<String> {
        let parse_tag = |name: &str| Some(name.trim_start_matches("release-").to_owned());
        let context = Context {
            untagged_base: "0.0",
            time: TIME.parse().unwrap(),
            parse_tag: &parse_tag,
            fragments: FragmentBump::None,
            normalize: true,
        };
        format(
            facts,
            VersionScheme::from_name(scheme).unwrap(),
            &local
                .split(',')
                .map(|name| LocalScheme::from_name(name).unwrap())
                .collect::<Vec<_>>(),
            &context,
        )
    }

    // Expected values are setuptools_scm 10.3.4's outputs (see the research notes); the
    // pytest suite checks the same against setuptools_scm on real repositories.
    #[test]
    fn guess_next_dev() {
        assert_eq!(
            run(
                &facts(Some("1.0.0"), 3, false),
                "guess-next-dev",
                "node-and-date"
            )
            .unwrap(),
            "1.0.1.dev3+g6480c421f"
        );
        assert_eq!(
            run(
                &facts(Some("1.2"), 1, false),
                "guess-next-dev",
                "no-local-version"
            )
            .unwrap(),
            "1.3.dev1"
        );
        assert_eq!(
            run(
                &facts(Some("1.0rc1"), 2, false),
                "guess-next-dev",
                "no-local-version"
            )
            .unwrap(),
            "1.0rc2.dev2"
        );
        assert_eq!(
            run(
                &facts(Some("2.0.0.dev0"), 2, false),
                "guess-next-dev",
                "no-local-version"
            )
            .unwrap(),
            "2.0.0.dev2"
        );
        assert_eq!(
            run(
                &facts(Some("1.0.0"), 0, true),
                "guess-next-dev",
                "node-and-date"
            )
            .unwrap(),
            "1.0.1.dev0+g6480c421f.d20240615"
        );
        assert_eq!(
            run(&facts(None, 3, false), "guess-next-dev", "no-local-version").unwrap(),
            "0.1.dev3"
        );
        assert_eq!(
            run(
                &facts(Some("1.0.0"), 0, false),
                "guess-next-dev",
                "node-and-date"
            )
            .unwrap(),
            "1.0.0"
        );
    }

    #[test]
    fn other_version_schemes() {
        let f = facts(Some("1.0.0"), 3, false);
        assert_eq!(
            run(&f, "post-release", "no-local-version").unwrap(),
            "1.0.0.post3"
        );
        assert_eq!(
            run(&f, "no-guess-dev", "no-local-version").unwrap(),
            "1.0.0.post1.dev3"
        );
        assert_eq!(
            run(&f, "only-version", "node-and-date").unwrap(),
            "1.0.0+g6480c421f"
        );
        assert_eq!(
            run(
                &facts(Some("1.2"), 1, false),
                "semver-pep440",
                "no-local-version"
            )
            .unwrap(),
            "1.2.1.dev1"
        );
        assert_eq!(
            run(
                &facts(Some("1.0rc1"), 2, false),
                "semver-pep440",
                "no-local-version"
            )
            .unwrap(),
            "1.0.1.dev2"
        );
        assert_eq!(
            run(&f, "release-branch-semver", "no-local-version").unwrap(),
            "1.1.0.dev3"
        );
    }

    #[test]
    fn local_schemes() {
        let dirty = facts(Some("1.0.0"), 0, true);
        assert_eq!(
            run(&dirty, "guess-next-dev", "node-and-timestamp").unwrap(),
            "1.0.1.dev0+g6480c421f.d20240615120000"
        );
        assert_eq!(
            run(&dirty, "guess-next-dev", "dirty-tag").unwrap(),
            "1.0.1.dev0+dirty"
        );
        assert!(run(&dirty, "guess-next-dev", "no-local-version-strict").is_err());
        let clean = facts(Some("1.0.0"), 2, false);
        let fail = "fail-on-uncommitted-changes";
        let err = run(&dirty, "guess-next-dev", fail).unwrap_err().to_string();
        assert!(err.contains("fail-on-uncommitted-changes"), "{err}");
        assert!(run(&dirty, "guess-next-dev", &format!("{fail},dirty-tag")).is_err());
        // Alone it gives no part, so setuptools_scm's default `+unknown` follows.
        assert_eq!(
            run(&clean, "guess-next-dev", fail).unwrap(),
            "1.0.1.dev2+unknown"
        );
        assert_eq!(
            run(&clean, "guess-next-dev", &format!("{fail},node-and-date")).unwrap(),
            "1.0.1.dev2+g6480c421f"
        );
        // After a scheme that gives a part it never runs.
        assert_eq!(
            run(&dirty, "guess-next-dev", &format!("dirty-tag,{fail}")).unwrap(),
            "1.0.1.dev0+dirty"
        );
        let mut no_commits = facts(None, 0, true);
        no_commits.node = None;
        assert_eq!(
            run(&no_commits, "guess-next-dev", "node-and-date").unwrap(),
            "0.1.dev0+d20240615"
        );
    }

    #[test]
    fn calver() {
        let mut f = facts(Some("2024.01.05.0"), 2, false);
        assert_eq!(
            run(&f, "calver-by-date", "no-local-version").unwrap(),
            "2024.1.5.1.dev2"
        );
        f.tag = Some(Tag {
            name: "24.01.05".into(),
            version: parse("24.01.05").unwrap(),
            text: "24.01.05".into(),
        });
        f.node_date = Some(Date::new(2024, 1, 9).unwrap());
        assert_eq!(
            run(&f, "calver-by-date", "no-local-version").unwrap(),
            "24.1.9.0.dev2"
        );
    }

    #[test]
    fn invalid_results_are_errors_not_strings() {
        let err = run(
            &facts(Some("1.0.0.post1"), 2, false),
            "post-release",
            "no-local-version",
        )
        .unwrap_err();
        assert!(err.to_string().contains("1.0.0.post1.post2"), "{err}");
    }

    #[test]
    fn short_node_counts_characters() {
        let mut f = facts(None, 1, false);
        f.node = Some("gééééééééééé".into());
        assert_eq!(f.short_node(), Some("gééééééééé"));
        // Not a valid local version: an error, not a panic.
        assert!(run(&f, "guess-next-dev", "node-and-date").is_err());
    }

    #[test]
    fn tag_local_parts_are_kept_once() {
        assert_eq!(
            combine_local_parts("1.0.1.dev2", &["build.5", "+build.g1"]),
            "1.0.1.dev2+build.5.g1"
        );
    }
}
