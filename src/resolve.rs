//! The resolution order: pretend version → git → `.git_archival.txt` → `PKG-INFO` →
//! `fallback-version` → a clear error. Also writes `version-file` on request.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::Settings;
use crate::error::{Error, Result};
use crate::scm::{archival, git};
use crate::version::schemes::{self, Context, Facts, FragmentBump, VersionScheme};

/// Where a version came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Pretend,
    Git,
    Archival,
    PkgInfo,
    Fallback,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::Pretend => "pretend",
            Source::Git => "git",
            Source::Archival => "archival",
            Source::PkgInfo => "pkg-info",
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

    /// The pretend version for `dist_name`, and the variable it came from.
    pub fn pretend_version(&self, dist_name: Option<&str>) -> Option<(String, String)> {
        let mut names = Vec::new();
        for tool in ["PACKKIT", "SETUPTOOLS_SCM"] {
            if let Some(dist) = dist_name {
                names.push(format!("{tool}_PRETEND_VERSION_FOR_{}", env_suffix(dist)));
            }
        }
        names.push("PACKKIT_PRETEND_VERSION".to_owned());
        names.push("SETUPTOOLS_SCM_PRETEND_VERSION".to_owned());
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

/// The facts and where they came from; no pretend version here (it has no facts).
pub struct Described {
    pub facts: Facts,
    pub source: Source,
    /// A version used verbatim (from PKG-INFO or `fallback-version` outside git).
    pub preformatted: Option<String>,
    pub warnings: Vec<String>,
}

/// Find the facts for the project, in the resolution order (without pretend versions).
pub fn describe(settings: &Settings) -> Result<Described> {
    let scm_root = settings.scm_root();
    let work_tree: Option<PathBuf> = if git::is_work_tree(&scm_root) {
        Some(scm_root.clone())
    } else if settings.search_parent_directories {
        git::enclosing_work_tree(&scm_root).map(Path::to_path_buf)
    } else {
        None
    };
    let mut warnings = Vec::new();
    if let Some(work_tree) = work_tree {
        let facts = git::read_facts(&work_tree, &settings.tag)?;
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
            warnings.push(format!(
                "no version tag found in {}; using {} as the base version (tag a release with \
                 `git tag v0.1.0`)",
                work_tree.display(),
                settings.fallback_version.as_deref().unwrap_or("0.0")
            ));
        }
        return Ok(Described {
            facts,
            source: Source::Git,
            preformatted: None,
            warnings,
        });
    }
    if let Some(facts) = archival::read_archival(&settings.project_dir, &settings.tag)? {
        return Ok(Described {
            facts,
            source: Source::Archival,
            preformatted: None,
            warnings,
        });
    }
    let no_facts = Facts {
        tag: None,
        distance: 0,
        node: None,
        dirty: false,
        branch: None,
        node_date: None,
        shallow: false,
    };
    if let Some(version) = archival::read_pkg_info(&settings.project_dir)? {
        crate::version::parse(&version).map_err(|_| {
            Error::scm(
                format!(
                    "{}: `Version: {version}` is not a valid PEP 440 version",
                    settings.project_dir.join("PKG-INFO").display()
                ),
                None,
            )
        })?;
        return Ok(Described {
            facts: no_facts,
            source: Source::PkgInfo,
            preformatted: Some(version),
            warnings,
        });
    }
    if let Some(version) = &settings.fallback_version {
        return Ok(Described {
            facts: no_facts,
            source: Source::Fallback,
            preformatted: Some(version.clone()),
            warnings,
        });
    }
    let mut hint = "run inside a git checkout, or set `fallback-version = \"0.0.0\"` under [tool.packkit] in pyproject.toml".to_owned();
    if let Some(enclosing) = git::enclosing_work_tree(&scm_root) {
        hint = format!(
            "the git work tree is {}; set `root` under [tool.packkit] to the path from the project to it (e.g. root = \"..\")",
            enclosing.display()
        );
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

/// A computed version with the facts behind it.
pub struct Resolved {
    pub version: String,
    pub described: Option<Described>,
    pub source: Source,
    pub warnings: Vec<String>,
}

/// The version of the project, in the resolution order.
pub fn resolve(settings: &Settings, env: &Environment) -> Result<Resolved> {
    if let Some((variable, version)) = env.pretend_version(settings.dist_name.as_deref()) {
        crate::version::parse(&version).map_err(|err| {
            Error::scm(
                format!("{variable}={version:?} is not a valid version: {err}"),
                Some("use a PEP 440 version such as 1.2.3".to_owned()),
            )
        })?;
        return Ok(Resolved {
            version,
            described: None,
            source: Source::Pretend,
            warnings: Vec::new(),
        });
    }
    let described = describe(settings)?;
    let version = format(
        settings,
        &described,
        env,
        settings.version_scheme,
        settings.local_scheme,
    )?;
    Ok(Resolved {
        version,
        source: described.source,
        warnings: described.warnings.clone(),
        described: Some(described),
    })
}

/// Apply the schemes to described facts.
pub fn format(
    settings: &Settings,
    described: &Described,
    env: &Environment,
    scheme: VersionScheme,
    local: schemes::LocalScheme,
) -> Result<String> {
    if let Some(version) = &described.preformatted {
        return Ok(version.clone());
    }
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
        time: env.build_time()?,
        parse_tag: &parse_tag,
        fragments,
        normalize: settings.normalize,
    };
    schemes::format(&described.facts, scheme, local, &context)
}

/// The kind of bump the towncrier fragments ask for (setuptools_scm's `towncrier-fragments`).
fn towncrier_bump(settings: &Settings) -> FragmentBump {
    let directory = settings.towncrier_directory.clone().or_else(|| {
        let text = std::fs::read_to_string(settings.project_dir.join("towncrier.toml")).ok()?;
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

/// Write `version-file` (relative to the project) with its template; only when it changes,
/// through a temporary file, so a reader never sees half a file.
pub fn write_version_file(
    settings: &Settings,
    version: &str,
    node: Option<&str>,
) -> Result<Option<PathBuf>> {
    let Some(relative) = &settings.version_file else {
        return Ok(None);
    };
    let target = settings.project_dir.join(relative);
    let template = match (
        &settings.version_file_template,
        target.extension().and_then(|e| e.to_str()),
    ) {
        (Some(template), _) if !template.is_empty() => template.clone(),
        (_, Some("py")) => PY_TEMPLATE.to_owned(),
        (_, Some("txt")) => "{version}".to_owned(),
        _ => {
            return Err(crate::error::ConfigError {
                path: settings.pyproject.clone(),
                line: None,
                column: None,
                key: Some("version-file".into()),
                message: format!("no default template for {}", relative.display()),
                hint: Some("use a .py or .txt file, or set `version-file-template`".into()),
            }
            .into());
        }
    };
    let node_repr = node.map_or("None".to_owned(), |n| {
        format!("'{}'", &n[..n.len().min(10)])
    });
    let contents = template
        .replace("{version!r}", &format!("'{version}'"))
        .replace("{version}", version)
        .replace("{version_tuple!r}", &version_tuple(version))
        .replace("{version_tuple}", &version_tuple(version))
        .replace("{scm_version.short_node!r}", &node_repr)
        .replace("{commit_id!r}", &node_repr);
    if std::fs::read_to_string(&target).is_ok_and(|existing| existing == contents) {
        return Ok(Some(target));
    }
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|err| Error::io(parent, err))?;
    }
    let temporary = target.with_extension("packkit-tmp");
    std::fs::write(&temporary, &contents).map_err(|err| Error::io(&temporary, err))?;
    std::fs::rename(&temporary, &target).map_err(|err| Error::io(&target, err))?;
    Ok(Some(target))
}

const PY_TEMPLATE: &str = "# file generated by packkit
# don't change, don't track in version control
from __future__ import annotations

__all__ = [\"__version__\", \"__version_tuple__\", \"version\", \"version_tuple\", \"__commit_id__\", \"commit_id\"]

__version__ = version = {version!r}
__version_tuple__ = version_tuple = {version_tuple!r}
__commit_id__ = commit_id = {commit_id!r}
";

/// `1.0.1.dev3+g1234` → `(1, 0, 1, 'dev3', 'g1234')`, as setuptools_scm's `version_tuple`.
pub fn version_tuple(version: &str) -> String {
    let Ok(parsed) = crate::version::parse(version) else {
        return format!("('{version}',)");
    };
    let mut fields: Vec<String> = Vec::new();
    if parsed.epoch() > 0 {
        fields.push(format!("'{}!'", parsed.epoch()));
    }
    fields.extend(parsed.release().iter().map(ToString::to_string));
    if let Some(pre) = parsed.pre() {
        fields.push(format!("'{}{}'", pre.kind, pre.number));
    }
    if let Some(post) = parsed.post() {
        fields.push(format!("'post{post}'"));
    }
    if let Some(dev) = parsed.dev() {
        fields.push(format!("'dev{dev}'"));
    }
    if !parsed.local().is_empty() {
        let local: Vec<String> = parsed.local().iter().map(ToString::to_string).collect();
        fields.push(format!("'{}'", local.join(".")));
    }
    if fields.len() == 1 {
        format!("({},)", fields[0])
    } else {
        format!("({})", fields.join(", "))
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
    fn version_tuples() {
        assert_eq!(
            version_tuple("1.0.1.dev3+g1234567"),
            "(1, 0, 1, 'dev3', 'g1234567')"
        );
        assert_eq!(version_tuple("2!1.0rc1"), "('2!', 1, 0, 'rc1')");
    }
}
