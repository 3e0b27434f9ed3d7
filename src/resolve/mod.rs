//! The version of a project: its settings (`settings`), the resolution order (pretend
//! version → git → `.git_archival.txt` → `PKG-INFO` → `fallback-version` → a clear error),
//! the facts record [`Described`] that the CLI's JSON and Python's `ScmVersion` are made
//! from, and `version-file` (`version_file`).

mod describe_command;
mod env_toml;
mod pretend_metadata;
mod settings;
mod version_file;

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::scm::{archival, git};
use crate::version::schemes::{self, Context, Facts, FragmentBump, LocalScheme, VersionScheme};

pub use pretend_metadata::PretendMetadata;
pub use settings::{Overrides, Settings, VERSION_KEYS, schemes_by_name};
pub use version_file::{
    PY_TEMPLATE, python_str, render_template, version_tuple, write_version_file,
};

/// Where a version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Pretend,
    Git,
    Archival,
    PkgInfo,
    ParentDir,
    Fallback,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Pretend => "pretend",
            Source::Git => "git",
            Source::Archival => "archival",
            Source::PkgInfo => "pkg-info",
            Source::ParentDir => "parentdir",
            Source::Fallback => "fallback",
        }
    }
}

/// The process environment packkit reads, captured once so tests can supply their own.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub vars: Vec<(String, String)>,
}

impl Environment {
    pub fn from_process() -> Self {
        Environment {
            vars: std::env::vars().collect(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.vars
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `SOURCE_DATE_EPOCH` if set and valid, else now: the time in `d…` local parts.
    pub fn build_time(&self) -> Result<Timestamp> {
        match self.get("SOURCE_DATE_EPOCH") {
            None => Ok(Timestamp::now()),
            Some(value) => value
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(|seconds| Timestamp::from_second(seconds).ok())
                .ok_or_else(|| {
                    Error::scm(
                        format!(
                            "SOURCE_DATE_EPOCH={value:?} is not a number of seconds since 1970"
                        ),
                        Some(
                            "set it to an integer such as `git log -1 --format=%ct`, or unset it"
                                .to_owned(),
                        ),
                    )
                }),
        }
    }

    /// The pretend version for `dist_name`, and the variable it came from, as set: `resolve`
    /// removes the white space around it (a value read from a file often ends in a line
    /// break) and refuses it unless it is then a PEP 440 version.
    pub fn pretend_version(&self, dist_name: Option<&str>) -> Option<(String, String)> {
        self.tool_variable("PRETEND_VERSION", dist_name)
    }

    /// The first of `<TOOL>_<what>_FOR_<DIST>` then `<TOOL>_<what>` that is set, for the
    /// tools PACKKIT, SETUPTOOLS_SCM and VCS_VERSIONING (setuptools_scm's `EnvReader`
    /// order: every name for the distribution before the general ones), with its name.
    pub fn tool_variable(&self, what: &str, dist_name: Option<&str>) -> Option<(String, String)> {
        const TOOLS: [&str; 3] = ["PACKKIT", "SETUPTOOLS_SCM", "VCS_VERSIONING"];
        let mut names = Vec::new();
        if let Some(dist) = dist_name {
            let suffix = env_suffix(dist);
            names.extend(TOOLS.map(|tool| format!("{tool}_{what}_FOR_{suffix}")));
        }
        names.extend(TOOLS.map(|tool| format!("{tool}_{what}")));
        names
            .into_iter()
            .find_map(|name| self.get(&name).map(|v| (name.clone(), v.to_owned())))
    }
}

/// `My.Package_name` → `MY_PACKAGE_NAME` (the PEP 503 normalised name, upper case, `_`).
pub fn env_suffix(dist_name: &str) -> String {
    let mut out = String::new();
    for c in dist_name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push(c.to_ascii_uppercase());
        }
    }
    out
}

/// What a version is made from: the facts, where they came from, and the settings they were
/// read with (so formatting them again needs no second look at the disk).
#[derive(Debug, Clone)]
pub struct Described {
    pub settings: Settings,
    pub facts: Facts,
    pub source: Source,
    /// A version used verbatim (a pretend version, PKG-INFO's, or `fallback-version` outside
    /// git): setuptools_scm's tag of a version that has no history.
    pub preformatted: Option<String>,
    pub warnings: Vec<String>,
    /// The build time pretend metadata gave (`time`), instead of `SOURCE_DATE_EPOCH` or now.
    pub time: Option<Timestamp>,
}

/// The facts as printed: `packkit version --format json` and `packkit.ScmVersion`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// The tag's version (`1.4.0` for `v1.4.0`), or the version used verbatim.
    pub tag: Option<String>,
    /// The tag as named in git.
    pub tag_name: Option<String>,
    pub distance: u64,
    /// `g` and 9 hex digits of HEAD.
    pub node: Option<String>,
    pub dirty: bool,
    pub branch: Option<String>,
    /// HEAD's commit date (UTC), `YYYY-MM-DD`.
    pub node_date: Option<String>,
    pub shallow: bool,
    /// HEAD is the tagged commit and nothing is modified.
    pub exact: bool,
    pub source: &'static str,
}

const NO_FACTS: Facts = Facts {
    tag: None,
    distance: 0,
    node: None,
    dirty: false,
    branch: None,
    node_date: None,
    shallow: false,
};

impl Described {
    fn new(
        settings: &Settings,
        facts: Facts,
        source: Source,
        preformatted: Option<String>,
        warnings: Vec<String>,
    ) -> Self {
        Described {
            settings: settings.clone(),
            facts,
            source,
            preformatted,
            warnings,
            time: None,
        }
    }

    fn preformatted(
        settings: &Settings,
        source: Source,
        version: String,
        warnings: Vec<String>,
    ) -> Self {
        Self::new(settings, NO_FACTS, source, Some(version), warnings)
    }

    pub fn record(&self) -> Record {
        let facts = &self.facts;
        let tag = match &facts.tag {
            Some(tag) => Some(tag.version.to_string()),
            None => self.preformatted.clone(),
        };
        Record {
            exact: facts.exact() && tag.is_some(),
            tag,
            tag_name: facts.tag.as_ref().map(|t| t.name.clone()),
            distance: facts.distance,
            node: facts.short_node().map(str::to_owned),
            dirty: facts.dirty,
            branch: facts.branch.clone(),
            node_date: facts.node_date.map(|d| d.to_string()),
            shallow: facts.shallow,
            source: self.source.name(),
        }
    }

    /// The facts as (name, value) rows, for tables in notebooks.
    pub fn rows(&self) -> Vec<(&'static str, String)> {
        let record = self.record();
        let or_none = |value: Option<String>| value.unwrap_or_else(|| "none".to_owned());
        let yes_no = |value: bool| if value { "yes" } else { "no" }.to_owned();
        let tag = match (&record.tag, &record.tag_name) {
            (Some(tag), Some(name)) => format!("{tag} ({name})"),
            (tag, _) => or_none(tag.clone()),
        };
        vec![
            ("project root", self.absolute_root().display().to_string()),
            ("tag", tag),
            ("distance", record.distance.to_string()),
            ("exact", yes_no(record.exact)),
            ("commit", or_none(self.commit().map(str::to_owned))),
            ("dirty", yes_no(record.dirty)),
            ("branch", or_none(record.branch)),
            ("node date", or_none(record.node_date)),
            ("shallow", yes_no(record.shallow)),
            ("source", record.source.to_owned()),
        ]
    }

    /// HEAD's full commit id (hex), when the facts come from git or an archive.
    pub fn commit(&self) -> Option<&str> {
        self.facts
            .node
            .as_deref()
            .map(|node| node.trim_start_matches('g'))
    }

    /// The project directory, absolute (a notebook's view says which project it describes).
    pub fn absolute_root(&self) -> PathBuf {
        let dir = &self.settings.project_dir;
        dir.canonicalize()
            .or_else(|_| std::path::absolute(dir))
            .unwrap_or_else(|_| dir.clone())
    }

    /// The version these facts make with the given schemes (the settings' own when `None`).
    pub fn render(
        &self,
        env: &Environment,
        scheme: Option<VersionScheme>,
        local: Option<LocalScheme>,
    ) -> Result<String> {
        if let Some(version) = &self.preformatted {
            return Ok(version.clone());
        }
        let settings = &self.settings;
        let scheme = scheme.unwrap_or(settings.version_scheme);
        let local = match local {
            Some(one) => vec![one],
            None => settings.local_scheme.clone(),
        };
        let parse_tag = |name: &str| {
            settings
                .tag
                .version_text(name)
                .map(|(text, _)| text.to_owned())
        };
        let fragments = match scheme {
            VersionScheme::TowncrierFragments | VersionScheme::TowncrierFragmentsZerover => {
                towncrier_bump(settings)
            }
            _ => FragmentBump::None,
        };
        let context = Context {
            untagged_base: settings.fallback_version.as_deref().unwrap_or("0.0"),
            time: match self.time {
                Some(time) => time,
                None => env.build_time()?,
            },
            parse_tag: &parse_tag,
            fragments,
            normalize: settings.normalize,
        };
        schemes::format(&self.facts, scheme, &local, &context)
    }
}

/// The project a call without an explicit folder means, from `start` (the current directory
/// of a notebook in `notebooks/`, say): the nearest folder at or above it with a
/// `pyproject.toml`, as `hatch version` does, not looking past the top of the git work tree
/// (an unrelated project above the repository is not this one). Without one, the work tree's
/// top; without a work tree, `start`. Always absolute, so the answer names where it looked.
pub fn project_root_above(start: &Path) -> PathBuf {
    let start = start
        .canonicalize()
        .or_else(|_| std::path::absolute(start))
        .unwrap_or_else(|_| start.to_path_buf());
    for folder in start.ancestors() {
        if folder.join("pyproject.toml").is_file() || folder.join(".git").exists() {
            return folder.to_path_buf();
        }
    }
    start
}

/// Find the facts for the project, in the resolution order (without pretend versions).
pub fn describe(settings: &Settings) -> Result<Described> {
    let scm_root = settings.scm_root();
    let work_tree = work_tree(settings);
    let mut warnings = Vec::new();
    if let Some(work_tree) = work_tree {
        let scope = project_scope(settings, &work_tree)?;
        let facts = git::read_facts(&work_tree, &settings.tag, scope.as_ref())?;
        if let (Some(scope), Some(_)) = (&scope, &facts.tag) {
            // setuptools_scm's `_warn_if_tags_span_namespaces`: counted from another
            // project's tag, the scoped distance is silently wrong.
            let namespaces = git::reachable_tag_namespaces(&work_tree, &settings.tag)?;
            if namespaces.len() >= 2 {
                let shown: Vec<String> = namespaces.iter().map(|ns| format!("{ns:?}")).collect();
                warnings.push(format!(
                    "`{}` is set, but the version tags reachable from HEAD belong to several \
                     projects ({}): the nearest may be another project's release, and the \
                     distance would be counted from it; set `tag-prefix` (or `tag-regex`) to \
                     this project's tags",
                    scope.config.key,
                    shown.join(", ")
                ));
            }
        }
        if facts.tag.is_none() && facts.node.is_some() {
            if facts.shallow && settings.fallback_version.is_none() {
                return Err(Error::scm(
                    format!(
                        "{} is a shallow clone and its history ends before any version tag, so \
                         the version cannot be known (it would be a wrong 0.1.dev{})",
                        work_tree.display(),
                        facts.distance
                    ),
                    Some(
                        "fetch the whole history (`git fetch --unshallow --tags`; in GitHub \
                         Actions `fetch-depth: 0`), or set `fallback-version` in [tool.packkit]"
                            .to_owned(),
                    ),
                ));
            }
            // The tag to suggest is the base the project already counts from, if it set one.
            let base = settings.fallback_version.as_deref();
            warnings.push(format!(
                "no version tag found in {}; using {} as the base version (tag a release with \
                 `git tag v{}`)",
                work_tree.display(),
                base.unwrap_or("0.0"),
                base.unwrap_or("0.1.0")
            ));
        }
        return Ok(Described::new(settings, facts, Source::Git, None, warnings));
    }
    if let Some(facts) = archival::read_archival(&settings.project_dir, &settings.tag)? {
        // As setuptools_scm's `_archival_distance`: `git archive` records the distance of
        // the whole repository, an upper bound of the scoped one (exact at a tag).
        if let (Some(scope), true) = (&settings.distance_scope, facts.distance > 0) {
            warnings.push(format!(
                "`{}` is set, but the version comes from .git_archival.txt, whose distance \
                 ({}) counts every commit of the repository: the version is higher than a \
                 checkout would give; build from a checkout or an sdist for the exact one",
                scope.key, facts.distance
            ));
        }
        return Ok(Described::new(
            settings,
            facts,
            Source::Archival,
            None,
            warnings,
        ));
    }
    if let Some(version) = archival::read_pkg_info(&settings.project_dir)? {
        return Ok(Described::preformatted(
            settings,
            Source::PkgInfo,
            version,
            warnings,
        ));
    }
    if let Some(version) = parentdir_version(settings) {
        return Ok(Described::preformatted(
            settings,
            Source::ParentDir,
            version,
            warnings,
        ));
    }
    if let Some(version) = &settings.fallback_version {
        return Ok(Described::preformatted(
            settings,
            Source::Fallback,
            version.clone(),
            warnings,
        ));
    }
    let mut hint = "run inside a git checkout, or set `fallback-version = \"0.0.0\"` under [tool.packkit] in pyproject.toml".to_owned();
    if let Some(enclosing) = git::enclosing_work_tree(&scm_root) {
        hint = if settings.project_dir.join("pyproject.toml").is_file() {
            // The way up from the project to the work tree, as `root` wants it.
            let up = std::path::absolute(&scm_root)
                .ok()
                .and_then(|dir| dir.canonicalize().ok())
                .and_then(|dir| {
                    let depth = dir.strip_prefix(&enclosing).ok()?.components().count();
                    Some(vec![".."; depth].join("/"))
                })
                .unwrap_or_else(|| "..".to_owned());
            format!(
                "the git work tree is {}; set `root = \"{up}\"` under [tool.packkit] (the path \
                 from pyproject.toml to it)",
                enclosing.display()
            )
        } else {
            format!(
                "{} is inside the git work tree {} but has no pyproject.toml: give the project's \
                 folder, or no folder at all to use the nearest project above the current one",
                settings.project_dir.display(),
                enclosing.display()
            )
        };
    }
    Err(Error::scm(
        format!(
            "cannot find the version of the project in {}: it is not the top of a git checkout, and has no \
             .git_archival.txt, PKG-INFO or fallback-version",
            settings.project_dir.display()
        ),
        Some(hint),
    ))
}

/// The distance scope of the project in `work_tree`, when one is configured: its folder
/// relative to the top of the work tree (setuptools_scm's `project_path`, from the folder of
/// pyproject.toml), with the configured paths.
pub fn project_scope(
    settings: &Settings,
    work_tree: &Path,
) -> Result<Option<crate::scm::scope::Scope>> {
    let Some(config) = &settings.distance_scope else {
        return Ok(None);
    };
    let real = |dir: &Path| dir.canonicalize().map_err(|err| Error::io(dir, err));
    let project = real(&settings.project_dir)?;
    let top = real(work_tree)?;
    let Ok(inside) = project.strip_prefix(&top) else {
        return Err(Error::scm(
            format!(
                "`{}` is set, but the project {} is not inside the git work tree {}",
                config.key,
                project.display(),
                top.display()
            ),
            Some("set `root` to the path from pyproject.toml up to the repository's top".into()),
        ));
    };
    // git compares names as bytes: a name that is not UTF-8 could not be matched as written.
    if inside.to_str().is_none() {
        return Err(Error::scm(
            format!(
                "`{}` is set, but the project's folder {} is not valid UTF-8",
                config.key,
                project.display()
            ),
            Some(format!("rename the folder, or remove `{}`", config.key)),
        ));
    }
    Ok(Some(crate::scm::scope::Scope {
        project_path: crate::paths::slash(inside),
        config: config.clone(),
    }))
}

/// The version in the project folder's name after `parentdir_prefix_version`
/// (`project-1.4.2` with `project-`), read with the tag regex as setuptools_scm reads it;
/// `None` when the name does not start with the prefix or holds no version.
fn parentdir_version(settings: &Settings) -> Option<String> {
    let prefix = settings.parentdir_prefix_version.as_deref()?;
    let folder = std::path::absolute(&settings.project_dir).ok()?;
    let folder = crate::paths::without_dots(&folder);
    let rest = folder.file_name()?.to_str()?.strip_prefix(prefix)?;
    let tag = settings.tag.parse(rest)?;
    Some(if settings.normalize {
        tag.version.to_string()
    } else {
        tag.text
    })
}

/// A computed version with the facts behind it.
pub struct Resolved {
    pub version: String,
    pub described: Described,
}

/// The git work tree the settings read: `root` (relative to the project), or with
/// `search_parent_directories` the one around it; `None` outside git.
pub fn work_tree(settings: &Settings) -> Option<PathBuf> {
    let scm_root = settings.scm_root();
    if git::is_work_tree(&scm_root) {
        Some(scm_root)
    } else if settings.search_parent_directories {
        git::enclosing_work_tree(&scm_root)
    } else {
        None
    }
}

/// [`describe`], then the pretend metadata of `env` applied to the facts.
pub fn describe_in(settings: &Settings, env: &Environment) -> Result<Described> {
    with_pretend_metadata(describe(settings)?, env)
}

/// Apply `SETUPTOOLS_SCM_PRETEND_METADATA[_FOR_<DIST>]` (or the `PACKKIT_` spelling) as
/// setuptools_scm's `_apply_metadata_overrides` does: each field given replaces git's, to a
/// pretend version too; `preformatted` switches between a version used verbatim and the
/// schemes.
fn with_pretend_metadata(mut described: Described, env: &Environment) -> Result<Described> {
    let dist_name = described.settings.dist_name.clone();
    let Some((variable, value)) = env.tool_variable("PRETEND_METADATA", dist_name.as_deref())
    else {
        return Ok(described);
    };
    let Some(metadata) = PretendMetadata::parse(&variable, &value)? else {
        return Ok(described);
    };
    let invalid = |version: &str, err: String| {
        Error::scm(
            format!("{variable}: the tag {version:?} is not a valid version: {err}"),
            Some("give a PEP 440 version such as 1.2.3".to_owned()),
        )
    };
    if let Some(tag) = &metadata.tag {
        let version = crate::version::clean(tag).map_err(|err| invalid(tag, err.to_string()))?;
        described.preformatted = Some(version);
    } else if metadata.preformatted == Some(true) && described.preformatted.is_none() {
        // setuptools_scm prints the tag's version as it is: the untagged one is `0.0`.
        let version = match &described.facts.tag {
            Some(tag) if described.settings.normalize => tag.version.to_string(),
            Some(tag) => tag.text.clone(),
            None => "0.0".to_owned(),
        };
        described.preformatted = Some(version);
    } else if metadata.preformatted == Some(false) {
        if let Some(version) = described.preformatted.take() {
            let parsed = crate::version::parse(&version)
                .map_err(|err| invalid(&version, err.to_string()))?;
            described.facts.tag = Some(crate::version::schemes::Tag {
                name: version.clone(),
                version: parsed,
                text: version,
            });
        }
    }
    let facts = &mut described.facts;
    if let Some(distance) = metadata.distance {
        facts.distance = distance;
    }
    if let Some(node) = metadata.node {
        facts.node = Some(node);
    }
    if let Some(dirty) = metadata.dirty {
        facts.dirty = dirty;
    }
    if let Some(branch) = metadata.branch {
        facts.branch = Some(branch);
    }
    if let Some(date) = metadata.node_date {
        facts.node_date = Some(date);
    }
    described.time = metadata.time.or(described.time);
    Ok(described)
}

/// The version of the project, in the resolution order.
pub fn resolve(settings: &Settings, env: &Environment) -> Result<Resolved> {
    if let Some((variable, version)) = env.pretend_version(settings.dist_name.as_deref()) {
        let version = crate::version::clean(&version).map_err(|err| {
            Error::scm(
                format!("{variable}={version:?} is not a valid version: {err}"),
                Some(format!(
                    "set {variable} to a PEP 440 version such as 1.2.3, or unset it"
                )),
            )
        })?;
        let described = Described::preformatted(settings, Source::Pretend, version, Vec::new());
        let described = with_pretend_metadata(described, env)?;
        return Ok(Resolved {
            version: described.render(env, None, None)?,
            described,
        });
    }
    let described = describe_in(settings, env)?;
    Ok(Resolved {
        version: described.render(env, None, None)?,
        described,
    })
}

impl Resolved {
    /// Write `version-file`, if the settings name one; the path written.
    pub fn write_version_file(&self) -> Result<Option<PathBuf>> {
        let described = &self.described;
        write_version_file(
            &described.settings,
            &self.version,
            described.facts.short_node(),
        )
    }
}

/// The kind of bump the towncrier fragments ask for (setuptools_scm's `towncrier-fragments`).
fn towncrier_bump(settings: &Settings) -> FragmentBump {
    let directory = settings.towncrier_directory.clone().or_else(|| {
        let path = settings.project_dir.join("towncrier.toml");
        let text = crate::read::optional_text(&path).ok().flatten()?;
        let document = toml_edit::Document::parse(text).ok()?;
        document
            .get("directory")
            .and_then(|d| d.as_str())
            .map(str::to_owned)
    });
    let dir = settings
        .project_dir
        .join(directory.unwrap_or_else(|| "changelog.d".to_owned()));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return FragmentBump::None;
    };
    let mut kinds = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !entry.path().is_file()
            || matches!(name.as_str(), "template.md" | "README.md" | ".gitkeep")
        {
            continue;
        }
        if let Some(kind) = name.split('.').nth(1) {
            kinds.push(kind.to_owned());
        }
    }
    let has = |names: &[&str]| kinds.iter().any(|k| names.contains(&k.as_str()));
    if has(&["major", "breaking", "removal"]) {
        FragmentBump::Major {
            explicit_major: has(&["major"]),
        }
    } else if has(&["feature", "deprecation"]) {
        FragmentBump::Minor
    } else if has(&["bugfix", "doc", "misc"]) {
        FragmentBump::Patch
    } else {
        FragmentBump::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretend_names_follow_setuptools_scm() {
        assert_eq!(env_suffix("demo-pkg"), "DEMO_PKG");
        assert_eq!(env_suffix("My.Package__x"), "MY_PACKAGE_X");
        let env = Environment {
            vars: vec![
                (
                    "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_DEMO_PKG".into(),
                    "2.0.0".into(),
                ),
                ("PACKKIT_PRETEND_VERSION".into(), "1.0".into()),
            ],
        };
        assert_eq!(env.pretend_version(Some("demo-pkg")).unwrap().1, "2.0.0");
        assert_eq!(env.pretend_version(Some("other")).unwrap().1, "1.0");
    }

    #[test]
    fn parentdir_reads_the_folder_name_like_a_tag_and_ignores_the_rest() {
        let top = tempfile::tempdir().unwrap();
        let version_of = |folder: &str, prefix: &str| {
            let dir = top.path().join(folder);
            std::fs::create_dir_all(&dir).unwrap();
            let text = format!("[tool.packkit]\nparentdir-prefix-version = {prefix:?}\n");
            let pyproject =
                crate::pyproject::PyProject::parse(&dir.join("pyproject.toml"), text).unwrap();
            let settings =
                Settings::from_pyproject(&dir, Some(&pyproject), &Overrides::default(), &[])
                    .unwrap();
            parentdir_version(&settings)
        };
        assert_eq!(version_of("demo-1.4.2", "demo-").as_deref(), Some("1.4.2"));
        assert_eq!(
            version_of("demo-v2.0.0-rc.1", "demo-").as_deref(),
            Some("2.0.0rc1")
        );
        assert_eq!(
            version_of("demo-1.0+local.7", "demo-").as_deref(),
            Some("1.0+local.7")
        );
        // Untrusted names: no prefix, no version, anything else is simply not a version.
        for (folder, prefix) in [
            ("other-1.0", "demo-"),
            ("demo-", "demo-"),
            ("demo-main", "demo-"),
            ("demo-1.0 ; rm -rf", "demo-"),
            ("demo-..", "demo-"),
            ("démo-1.0", "demo-"),
        ] {
            assert_eq!(version_of(folder, prefix), None, "{folder}");
        }
    }

    #[test]
    fn pretend_versions_lose_surrounding_white_space_or_are_refused() {
        let settings =
            Settings::from_pyproject(std::path::Path::new("."), None, &Overrides::default(), &[])
                .unwrap();
        let with = |value: &str| Environment {
            vars: vec![("SETUPTOOLS_SCM_PRETEND_VERSION".into(), value.into())],
        };
        let resolved = resolve(&settings, &with("\t1.2.3\r\n")).unwrap();
        assert_eq!(resolved.version, "1.2.3");
        for bad in ["", " ", "1.0\nimport os", "1.0'"] {
            let err = resolve(&settings, &with(bad)).err().unwrap().to_string();
            assert!(
                err.contains("SETUPTOOLS_SCM_PRETEND_VERSION=") && err.contains("hint: set"),
                "{err}"
            );
        }
    }
}
