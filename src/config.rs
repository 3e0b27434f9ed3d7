//! `pyproject.toml` → typed settings for the versioning engine.
//!
//! Parsed with `toml_edit` so every error can name the file, line, column and key. The
//! `[tool.packkit]` table uses kebab-case keys; a project that still has only a
//! `[tool.setuptools_scm]` table is read with setuptools_scm's names and meanings.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, TableLike};

use crate::error::{ConfigError, Error, Result};
use crate::scm::TagMatcher;
use crate::version::schemes::{LocalScheme, VersionScheme};

/// The settings that decide how a version is computed.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The directory holding `pyproject.toml` (the project).
    pub project_dir: PathBuf,
    pub pyproject: Option<PathBuf>,
    /// `[project] name`, for `PACKKIT_PRETEND_VERSION_FOR_<NAME>`.
    pub dist_name: Option<String>,
    pub version_scheme: VersionScheme,
    pub local_scheme: LocalScheme,
    pub tag: TagMatcher,
    pub fallback_version: Option<String>,
    /// The git work tree, relative to the project directory.
    pub root: PathBuf,
    pub search_parent_directories: bool,
    pub version_file: Option<PathBuf>,
    pub version_file_template: Option<String>,
    pub normalize: bool,
    /// `[tool.towncrier] directory`, for the towncrier-fragments scheme.
    pub towncrier_directory: Option<String>,
}

/// Settings given by a caller (Python keyword arguments, CLI flags), which win over the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub version_scheme: Option<String>,
    pub local_scheme: Option<String>,
    pub tag_regex: Option<String>,
    pub tag_prefix: Option<String>,
    pub fallback_version: Option<String>,
    pub normalize: Option<bool>,
    pub dist_name: Option<String>,
}

/// `[tool.packkit]` keys that shape the version (their presence means the table is in use
/// for versioning, so a `[tool.setuptools_scm]` table beside it is not read).
const VERSION_KEYS: &[&str] = &[
    "version-scheme",
    "local-scheme",
    "tag-regex",
    "tag-prefix",
    "fallback-version",
    "root",
    "version-file",
    "version-file-template",
    "normalize",
];

/// `[tool.packkit]` keys of the build backend.
const BUILD_KEYS: &[&str] = &["packages", "include", "exclude", "namespace", "data"];

/// Every `[tool.packkit]` key.
fn packkit_keys() -> Vec<&'static str> {
    VERSION_KEYS.iter().chain(BUILD_KEYS).copied().collect()
}

/// `[tool.setuptools_scm]` keys packkit reads with setuptools_scm's meaning.
const SETUPTOOLS_SCM_KEYS: &[&str] = &[
    "version_scheme",
    "local_scheme",
    "tag_regex",
    "fallback_version",
    "root",
    "version_file",
    "version_file_template",
    "write_to",
    "write_to_template",
    "normalize",
    "dist_name",
    "relative_to",
    "search_parent_directories",
    "tag",
    // Where setuptools writes `write_to`/`version_file`; packkit writes it on request only.
    "write_to_source",
];

/// setuptools_scm keys that depend on running git or Python code, which packkit never does.
const SETUPTOOLS_SCM_UNSUPPORTED: &[(&str, &str)] = &[
    (
        "git_describe_command",
        "packkit reads git itself; use `tag.prefix` or `tag_regex` to choose tags",
    ),
    (
        "scm",
        "packkit reads git itself; use `tag.prefix` or `tag_regex` to choose tags",
    ),
    (
        "parse",
        "custom parse functions are not supported; remove the key",
    ),
    (
        "version_cls",
        "use `normalize = false` to keep tags as written",
    ),
    (
        "parentdir_prefix_version",
        "use `fallback_version`, or a `.git_archival.txt` for archives",
    ),
    (
        "fallback_root",
        "packkit looks for PKG-INFO and .git_archival.txt in the project directory",
    ),
];

/// A parsed `pyproject.toml`, kept with its text so errors can point into it.
pub struct PyProject {
    pub path: PathBuf,
    text: String,
    document: Document<String>,
}

impl PyProject {
    pub fn read(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|err| Error::io(path, err))?;
        Self::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<Self> {
        match Document::parse(text.clone()) {
            Ok(document) => Ok(PyProject {
                path: path.to_owned(),
                text,
                document,
            }),
            Err(err) => {
                let (line, column) = err.span().map_or((None, None), |span| {
                    let (line, column) = line_column(&text, span.start);
                    (Some(line), Some(column))
                });
                Err(ConfigError {
                    path: Some(path.to_owned()),
                    line,
                    column,
                    key: None,
                    message: format!("invalid TOML: {}", err.message().trim()),
                    hint: None,
                }
                .into())
            }
        }
    }

    fn root_table(&self) -> &dyn TableLike {
        self.document.as_table()
    }

    /// The table at a dotted path (`tool.packkit`), if present and a table.
    pub fn table(&self, dotted: &str) -> Result<Option<&dyn TableLike>> {
        let mut table = self.root_table();
        let mut walked = String::new();
        for part in dotted.split('.') {
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(part);
            match table.get(part) {
                None => return Ok(None),
                Some(item) => match item.as_table_like() {
                    Some(inner) => table = inner,
                    None => {
                        return Err(self
                            .error_at(
                                item.span(),
                                &walked,
                                format!(
                                    "expected a table, found {}",
                                    crate::metadata::article(item.type_name())
                                ),
                                None,
                            )
                            .into());
                    }
                },
            }
        }
        Ok(Some(table))
    }

    /// The item at a dotted path (`project`), whatever its type: for callers that check types
    /// themselves and need the span of a whole table.
    pub fn item(&self, dotted: &str) -> Option<&Item> {
        let mut parts = dotted.split('.');
        let mut item = self.root_table().get(parts.next()?)?;
        for part in parts {
            item = item.as_table_like()?.get(part)?;
        }
        Some(item)
    }

    pub fn error_at(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: String,
        hint: Option<String>,
    ) -> ConfigError {
        let (line, column) = match span {
            Some(span) => {
                let (line, column) = line_column(&self.text, span.start);
                (Some(line), Some(column))
            }
            None => (None, None),
        };
        ConfigError {
            path: Some(self.path.clone()),
            line,
            column,
            key: Some(key.to_owned()),
            message,
            hint,
        }
    }

    fn string(&self, table: &dyn TableLike, prefix: &str, key: &str) -> Result<Option<String>> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => match item.as_str() {
                Some(value) => Ok(Some(value.to_owned())),
                None => Err(self
                    .error_at(
                        item.span(),
                        &format!("{prefix}.{key}"),
                        format!(
                            "expected a string, found {}",
                            crate::metadata::article(item.type_name())
                        ),
                        None,
                    )
                    .into()),
            },
        }
    }

    fn boolean(&self, table: &dyn TableLike, prefix: &str, key: &str) -> Result<Option<bool>> {
        match table.get(key) {
            None => Ok(None),
            Some(item) => match item.as_bool() {
                Some(value) => Ok(Some(value)),
                None => Err(self
                    .error_at(
                        item.span(),
                        &format!("{prefix}.{key}"),
                        format!(
                            "expected true or false, found {}",
                            crate::metadata::article(item.type_name())
                        ),
                        None,
                    )
                    .into()),
            },
        }
    }

    fn check_keys(&self, table: &dyn TableLike, prefix: &str, known: &[&str]) -> Result<()> {
        for (key, item) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let span = table
                .get_key_value(key)
                .and_then(|(k, _)| k.span())
                .or_else(|| item.span());
            let hint = did_you_mean(key, known)
                .map(|near| format!("did you mean `{near}`?"))
                .or_else(|| Some(format!("known keys: {}", known.join(", "))));
            return Err(self
                .error_at(
                    span,
                    &format!("{prefix}.{key}"),
                    format!("unknown key `{key}`"),
                    hint,
                )
                .into());
        }
        Ok(())
    }

    /// The span of the value at `table.key`, for errors found after reading it.
    fn span_of(&self, table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
        table.get(key).and_then(Item::span)
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The closest known name within a small edit distance, for "did you mean" hints.
pub fn did_you_mean<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    let given = given.to_ascii_lowercase().replace('_', "-");
    known
        .iter()
        .map(|name| (edit_distance(&given, &name.replace('_', "-")), *name))
        .filter(|(distance, name)| *distance <= (name.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Values as read from one of the two tables, before validation.
#[derive(Default)]
struct Raw {
    version_scheme: Option<(String, Option<Range<usize>>)>,
    local_scheme: Option<(String, Option<Range<usize>>)>,
    tag_regex: Option<(String, Option<Range<usize>>)>,
    tag_prefix: Option<String>,
    fallback_version: Option<(String, Option<Range<usize>>)>,
    root: Option<String>,
    version_file: Option<String>,
    version_file_template: Option<String>,
    normalize: Option<bool>,
    dist_name: Option<String>,
    search_parent_directories: bool,
    /// The table the values came from, for error keys.
    table: &'static str,
    /// Key spellings in that table (kebab or snake case).
    keys: KeyNames,
}

#[derive(Default, Clone, Copy)]
struct KeyNames {
    version_scheme: &'static str,
    local_scheme: &'static str,
    tag_regex: &'static str,
    fallback_version: &'static str,
}

fn read_packkit(pyproject: &PyProject, table: &dyn TableLike) -> Result<Raw> {
    const T: &str = "tool.packkit";
    pyproject.check_keys(table, T, &packkit_keys())?;
    let with_span = |key: &str| -> Result<Option<(String, Option<Range<usize>>)>> {
        Ok(pyproject
            .string(table, T, key)?
            .map(|v| (v, pyproject.span_of(table, key))))
    };
    Ok(Raw {
        version_scheme: with_span("version-scheme")?,
        local_scheme: with_span("local-scheme")?,
        tag_regex: with_span("tag-regex")?,
        tag_prefix: pyproject.string(table, T, "tag-prefix")?,
        fallback_version: with_span("fallback-version")?,
        root: pyproject.string(table, T, "root")?,
        version_file: pyproject.string(table, T, "version-file")?,
        version_file_template: pyproject.string(table, T, "version-file-template")?,
        normalize: pyproject.boolean(table, T, "normalize")?,
        dist_name: None,
        search_parent_directories: false,
        table: T,
        keys: KeyNames {
            version_scheme: "version-scheme",
            local_scheme: "local-scheme",
            tag_regex: "tag-regex",
            fallback_version: "fallback-version",
        },
    })
}

fn read_setuptools_scm(pyproject: &PyProject, table: &dyn TableLike) -> Result<Raw> {
    const T: &str = "tool.setuptools_scm";
    for (key, hint) in SETUPTOOLS_SCM_UNSUPPORTED {
        if let Some((k, _)) = table.get_key_value(key) {
            return Err(pyproject
                .error_at(
                    k.span(),
                    &format!("{T}.{key}"),
                    format!("`{key}` is not supported by packkit"),
                    Some((*hint).to_owned()),
                )
                .into());
        }
    }
    pyproject.check_keys(table, T, SETUPTOOLS_SCM_KEYS)?;
    let with_span = |key: &str| -> Result<Option<(String, Option<Range<usize>>)>> {
        Ok(pyproject
            .string(table, T, key)?
            .map(|v| (v, pyproject.span_of(table, key))))
    };
    let mut raw = Raw {
        version_scheme: with_span("version_scheme")?,
        local_scheme: with_span("local_scheme")?,
        tag_regex: with_span("tag_regex")?,
        fallback_version: with_span("fallback_version")?,
        root: pyproject.string(table, T, "root")?,
        version_file: pyproject.string(table, T, "version_file")?,
        version_file_template: pyproject.string(table, T, "version_file_template")?,
        normalize: pyproject.boolean(table, T, "normalize")?,
        dist_name: pyproject.string(table, T, "dist_name")?,
        search_parent_directories: pyproject
            .boolean(table, T, "search_parent_directories")?
            .unwrap_or(false),
        table: T,
        keys: KeyNames {
            version_scheme: "version_scheme",
            local_scheme: "local_scheme",
            tag_regex: "tag_regex",
            fallback_version: "fallback_version",
        },
        ..Raw::default()
    };
    // `write_to` is setuptools_scm's older spelling of `version_file` (relative to `root`).
    if raw.version_file.is_none() {
        if let Some(write_to) = pyproject.string(table, T, "write_to")? {
            let root = raw.root.clone().unwrap_or_else(|| ".".into());
            raw.version_file = Some(
                Path::new(&root)
                    .join(write_to)
                    .to_string_lossy()
                    .into_owned(),
            );
            raw.version_file_template = pyproject
                .string(table, T, "write_to_template")?
                .or(raw.version_file_template);
        }
    }
    if let Some(item) = table.get("tag") {
        let Some(tag) = item.as_table_like() else {
            return Err(pyproject
                .error_at(
                    item.span(),
                    &format!("{T}.tag"),
                    "expected a table".into(),
                    None,
                )
                .into());
        };
        let tag_key = format!("{T}.tag");
        pyproject.check_keys(tag, &tag_key, &["regex", "prefix", "strict"])?;
        if let Some(regex) = pyproject.string(tag, &tag_key, "regex")? {
            if raw.tag_regex.is_some() {
                return Err(pyproject
                    .error_at(
                        pyproject.span_of(tag, "regex"),
                        &format!("{tag_key}.regex"),
                        "both `tag_regex` and `tag.regex` are set".into(),
                        Some("keep only `tag.regex`".into()),
                    )
                    .into());
            }
            raw.tag_regex = Some((regex, pyproject.span_of(tag, "regex")));
        }
        raw.tag_prefix = pyproject.string(tag, &tag_key, "prefix")?;
        pyproject.boolean(tag, &tag_key, "strict")?;
    }
    Ok(raw)
}

impl Settings {
    /// Settings for the project in `project_dir`, from its `pyproject.toml` if it has one.
    pub fn load(project_dir: &Path, overrides: &Overrides) -> Result<Self> {
        if !project_dir.is_dir() {
            let missing = std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory");
            return Err(Error::io(project_dir, missing));
        }
        let path = project_dir.join("pyproject.toml");
        let pyproject = if path.is_file() {
            Some(PyProject::read(&path)?)
        } else {
            None
        };
        Self::from_pyproject(project_dir, pyproject.as_ref(), overrides)
    }

    pub fn from_pyproject(
        project_dir: &Path,
        pyproject: Option<&PyProject>,
        overrides: &Overrides,
    ) -> Result<Self> {
        let mut raw = Raw {
            table: "tool.packkit",
            keys: KeyNames {
                version_scheme: "version-scheme",
                local_scheme: "local-scheme",
                tag_regex: "tag-regex",
                fallback_version: "fallback-version",
            },
            ..Raw::default()
        };
        let mut dist_name = None;
        let mut towncrier_directory = None;
        if let Some(pyproject) = pyproject {
            let packkit = pyproject.table("tool.packkit")?;
            let legacy = pyproject.table("tool.setuptools_scm")?;
            let packkit_has_version_keys =
                packkit.is_some_and(|t| t.iter().any(|(k, _)| VERSION_KEYS.contains(&k)));
            raw = match (packkit, legacy) {
                (Some(table), None) => read_packkit(pyproject, table)?,
                (Some(table), Some(_)) if packkit_has_version_keys => {
                    read_packkit(pyproject, table)?
                }
                (Some(table), Some(legacy)) => {
                    pyproject.check_keys(table, "tool.packkit", &packkit_keys())?;
                    read_setuptools_scm(pyproject, legacy)?
                }
                (None, Some(legacy)) => read_setuptools_scm(pyproject, legacy)?,
                (None, None) => raw,
            };
            // Read leniently: `[project]` is validated (and its errors reported) by the
            // metadata module; the version only needs the name for pretend variables.
            dist_name = pyproject
                .item("project.name")
                .and_then(Item::as_str)
                .map(str::to_owned);
            if let Some(towncrier) = pyproject.table("tool.towncrier")? {
                towncrier_directory = pyproject.string(towncrier, "tool.towncrier", "directory")?;
            }
        }
        let setting_error = |key: &str,
                             span: Option<Range<usize>>,
                             from_override: bool,
                             message: String,
                             hint: Option<String>|
         -> Error {
            match pyproject {
                Some(pyproject) if !from_override => pyproject
                    .error_at(span, &format!("{}.{key}", raw.table), message, hint)
                    .into(),
                _ => ConfigError {
                    path: None,
                    line: None,
                    column: None,
                    key: Some(key.replace('-', "_")),
                    message,
                    hint,
                }
                .into(),
            }
        };
        let pick = |over: &Option<String>,
                    file: &Option<(String, Option<Range<usize>>)>|
         -> Option<(String, Option<Range<usize>>, bool)> {
            match over {
                Some(value) => Some((value.clone(), None, true)),
                None => file.clone().map(|(v, s)| (v, s, false)),
            }
        };

        let version_scheme = match pick(&overrides.version_scheme, &raw.version_scheme) {
            None => VersionScheme::GuessNextDev,
            Some((name, span, from_override)) => {
                VersionScheme::from_name(&name).ok_or_else(|| {
                    setting_error(
                        raw.keys.version_scheme,
                        span,
                        from_override,
                        format!("unknown version scheme {name:?}"),
                        Some(scheme_hint(&name, VersionScheme::NAMES)),
                    )
                })?
            }
        };
        let local_scheme = match pick(&overrides.local_scheme, &raw.local_scheme) {
            None => LocalScheme::NodeAndDate,
            Some((name, span, from_override)) => {
                LocalScheme::from_name(&name).ok_or_else(|| {
                    setting_error(
                        raw.keys.local_scheme,
                        span,
                        from_override,
                        format!("unknown local scheme {name:?}"),
                        Some(scheme_hint(&name, LocalScheme::NAMES)),
                    )
                })?
            }
        };
        let prefix = overrides
            .tag_prefix
            .clone()
            .or(raw.tag_prefix.clone())
            .filter(|p| !p.is_empty());
        let tag = match pick(&overrides.tag_regex, &raw.tag_regex) {
            None => TagMatcher::new(None, prefix).expect("the default tag regex is valid"),
            Some((regex, span, from_override)) => TagMatcher::new(Some(&regex), prefix)
                .map_err(|message| setting_error(raw.keys.tag_regex, span, from_override, message, Some("the regex needs one group, or a group named `version`, that matches the version part of a tag, e.g. '^v?(?P<version>[0-9.]+)$'".into())))?,
        };
        let fallback_version = match pick(&overrides.fallback_version, &raw.fallback_version) {
            None => None,
            Some((version, span, from_override)) => {
                if crate::version::parse(&version).is_err() {
                    return Err(setting_error(
                        raw.keys.fallback_version,
                        span,
                        from_override,
                        format!("{version:?} is not a valid PEP 440 version"),
                        Some("write it like \"0.1.0\" or \"0.0.0.dev0\"".into()),
                    ));
                }
                Some(version)
            }
        };
        Ok(Settings {
            project_dir: project_dir.to_owned(),
            pyproject: pyproject.map(|p| p.path.clone()),
            dist_name: overrides.dist_name.clone().or(raw.dist_name).or(dist_name),
            version_scheme,
            local_scheme,
            tag,
            fallback_version,
            root: PathBuf::from(raw.root.unwrap_or_else(|| ".".into())),
            search_parent_directories: raw.search_parent_directories,
            version_file: raw.version_file.map(PathBuf::from),
            version_file_template: raw.version_file_template,
            normalize: overrides.normalize.or(raw.normalize).unwrap_or(true),
            towncrier_directory,
        })
    }

    /// The git work tree to read: `root` resolved against the project directory.
    pub fn scm_root(&self) -> PathBuf {
        self.project_dir.join(&self.root)
    }
}

/// `[tool.packkit]` settings of the build backend.
#[derive(Debug, Clone, Default)]
pub struct BuildSettings {
    /// Explicit package (or module) paths, relative to the project, when discovery can't guess.
    pub packages: Option<Vec<String>>,
    /// gitignore-style globs of extra files (relative to the project).
    pub include: Vec<String>,
    /// gitignore-style globs of files to leave out.
    pub exclude: Vec<String>,
    /// The package is a PEP 420 namespace package (no `__init__.py` at its top).
    pub namespace: bool,
    /// `[tool.packkit.data]`: wheel `.data/` scheme (`scripts`, `data`, `headers`, `purelib`,
    /// `platlib`) → a folder of the project whose files go there.
    pub data: Vec<(String, String)>,
}

impl BuildSettings {
    /// Read `[tool.packkit]`'s build keys; every problem is reported, each with its location.
    /// `project_dir` is where `packages` must exist.
    pub fn read(
        pyproject: &PyProject,
        project_dir: &Path,
    ) -> std::result::Result<Self, Vec<ConfigError>> {
        const T: &str = "tool.packkit";
        let table = match pyproject.table(T) {
            Ok(Some(table)) => table,
            Ok(None) => return Ok(BuildSettings::default()),
            Err(Error::Config(problem)) => return Err(vec![*problem]),
            Err(other) => {
                return Err(vec![ConfigError {
                    path: Some(pyproject.path.clone()),
                    line: None,
                    column: None,
                    key: Some(T.into()),
                    message: other.to_string(),
                    hint: None,
                }]);
            }
        };
        let mut problems: Vec<ConfigError> = Vec::new();
        let mut keep = |result: Result<()>| {
            if let Err(Error::Config(problem)) = result {
                problems.push(*problem);
            }
        };
        let mut settings = BuildSettings::default();
        // Paths (and globs) must stay inside the project: no `..`, nothing absolute.
        let inside = |text: &str| {
            !text.starts_with(['/', '\\'])
                && !text.split(['/', '\\']).any(|part| part == "..")
                && !Path::new(text).is_absolute()
        };
        let list = |key: &str,
                    check: &dyn Fn(&str) -> Option<(String, String)>,
                    out: &mut Vec<String>|
         -> Result<bool> {
            let Some(item) = table.get(key) else {
                return Ok(false);
            };
            let Some(array) = item.as_array() else {
                return Err(pyproject
                    .error_at(
                        item.span(),
                        &format!("{T}.{key}"),
                        format!(
                            "expected a list of strings, found {}",
                            crate::metadata::article(item.type_name())
                        ),
                        None,
                    )
                    .into());
            };
            let mut failed = None;
            for (index, value) in array.iter().enumerate() {
                let located = |message: String, hint: Option<String>| {
                    pyproject.error_at(value.span(), &format!("{T}.{key}[{index}]"), message, hint)
                };
                match value.as_str() {
                    None => {
                        failed = failed.or(Some(located(
                            format!(
                                "expected a string, found {}",
                                crate::metadata::article(value.type_name())
                            ),
                            None,
                        )))
                    }
                    Some(text) => match check(text) {
                        Some((message, hint)) => {
                            failed = failed.or(Some(located(message, Some(hint))))
                        }
                        None => out.push(text.to_owned()),
                    },
                }
            }
            match failed {
                Some(problem) => Err(problem.into()),
                None => Ok(true),
            }
        };
        let package_check = |text: &str| -> Option<(String, String)> {
            if !inside(text) {
                Some((format!("{text:?} is outside the project"), "give a path inside the project, relative to pyproject.toml, like \"src/my_pkg\"".into()))
            } else if !project_dir.join(text).exists() {
                Some((
                    format!("{text:?} does not exist in {}", project_dir.display()),
                    "give the path of the package folder or module, relative to pyproject.toml"
                        .into(),
                ))
            } else {
                None
            }
        };
        // A leading `/` anchors a glob at the project (gitignore); only `..` leaves it.
        let glob_check = |text: &str| -> Option<(String, String)> {
            text.split(['/', '\\']).any(|part| part == "..").then(|| {
                (
                    format!("{text:?} reaches outside the project"),
                    "globs are relative to the project folder: remove the `..`".into(),
                )
            })
        };
        let mut packages = Vec::new();
        match list("packages", &package_check, &mut packages) {
            Ok(true) => settings.packages = Some(packages),
            Ok(false) => {}
            Err(err) => keep(Err(err)),
        }
        if let Err(err) = list("include", &glob_check, &mut settings.include) {
            keep(Err(err));
        }
        if let Err(err) = list("exclude", &glob_check, &mut settings.exclude) {
            keep(Err(err));
        }
        match pyproject.boolean(table, T, "namespace") {
            Ok(value) => settings.namespace = value.unwrap_or(false),
            Err(err) => keep(Err(err)),
        }
        if let Some(item) = table.get("data") {
            let key = format!("{T}.data");
            match item.as_table_like() {
                None => keep(Err(pyproject
                    .error_at(
                        item.span(),
                        &key,
                        format!(
                            "expected a table, found {}",
                            crate::metadata::article(item.type_name())
                        ),
                        None,
                    )
                    .into())),
                Some(schemes) => {
                    const SCHEMES: &[&str] = &["scripts", "data", "headers", "purelib", "platlib"];
                    keep(pyproject.check_keys(schemes, &key, SCHEMES));
                    for scheme in SCHEMES {
                        match pyproject.string(schemes, &key, scheme) {
                            Ok(Some(folder)) => settings.data.push(((*scheme).to_owned(), folder)),
                            Ok(None) => {}
                            Err(err) => keep(Err(err)),
                        }
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(settings)
        } else {
            Err(problems)
        }
    }
}

fn scheme_hint(name: &str, names: &[&str]) -> String {
    match did_you_mean(name, names) {
        Some(near) => format!("did you mean {near:?}? Known schemes: {}", names.join(", ")),
        None => format!("known schemes: {}", names.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<Settings> {
        let pyproject = PyProject::parse(Path::new("pyproject.toml"), text.to_owned())?;
        Settings::from_pyproject(Path::new("."), Some(&pyproject), &Overrides::default())
    }

    #[test]
    fn reads_packkit_table() {
        let s = settings("[project]\nname = \"demo\"\n[tool.packkit]\nversion-scheme = \"post-release\"\nlocal-scheme = \"dirty-tag\"\ntag-prefix = \"pkg-v\"\n").unwrap();
        assert_eq!(s.version_scheme, VersionScheme::PostRelease);
        assert_eq!(s.local_scheme, LocalScheme::DirtyTag);
        assert_eq!(s.dist_name.as_deref(), Some("demo"));
    }

    #[test]
    fn reads_legacy_setuptools_scm_table() {
        let s = settings(
            "[tool.setuptools_scm]\nversion_scheme = \"no-guess-dev\"\ntag = { prefix = \"a-\" }\n",
        )
        .unwrap();
        assert_eq!(s.version_scheme, VersionScheme::NoGuessDev);
    }

    #[test]
    fn unknown_key_names_line_column_and_suggestion() {
        let err = settings("[tool.packkit]\nversion-schme = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "pyproject.toml:2:1: `tool.packkit.version-schme`: unknown key `version-schme`\nhint: did you mean `version-scheme`?"
        );
    }

    #[test]
    fn unknown_scheme_points_at_the_value() {
        let err = settings("[tool.packkit]\nversion-scheme = \"guess-next-devv\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("pyproject.toml:2:18: `tool.packkit.version-scheme`: unknown version scheme \"guess-next-devv\"\nhint: did you mean \"guess-next-dev\"?"), "{err}");
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let err = settings("[tool.packkit\n").unwrap_err().to_string();
        assert!(err.starts_with("pyproject.toml:1:"), "{err}");
    }

    #[test]
    fn bad_regex_is_a_config_error() {
        let err = settings("[tool.packkit]\ntag-regex = \"(unclosed\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`tool.packkit.tag-regex`"), "{err}");
    }

    #[test]
    fn wrong_type() {
        let err = settings("[tool.packkit]\nnormalize = \"yes\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "pyproject.toml:2:13: `tool.packkit.normalize`: expected true or false, found a string"
        );
    }
}
