//! The settings that decide how a version is computed: `[tool.packkit]`'s version keys, or a
//! legacy `[tool.setuptools_scm]` table read with setuptools_scm's names and meanings, and the
//! caller's overrides (Python keyword arguments, CLI flags), which win over the file.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::TableLike;

use super::env_toml::EnvToml;
use crate::error::{ConfigError, Error, Result};
use crate::pyproject::{PyProject, Reader, did_you_mean, key_span, span_of};
use crate::scm::TagMatcher;
use crate::scm::scope::{DistanceCount, DistanceScope, ScopePath};
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
    /// setuptools_scm's list of local schemes (one name is a list of one): the first that
    /// gives a local part wins.
    pub local_scheme: Vec<LocalScheme>,
    pub tag: TagMatcher,
    pub fallback_version: Option<String>,
    /// The start of the project folder's name before its version (`project-` for a GitHub
    /// tarball unpacked as `project-1.4.2/`), tried after PKG-INFO, before `fallback-version`.
    pub parentdir_prefix_version: Option<String>,
    /// The git work tree, relative to the project directory.
    pub root: PathBuf,
    pub search_parent_directories: bool,
    pub version_file: Option<PathBuf>,
    pub version_file_template: Option<String>,
    pub normalize: bool,
    /// `[tool.towncrier] directory`, for the towncrier-fragments scheme.
    pub towncrier_directory: Option<String>,
    /// setuptools_scm's monorepo distance scope (`scm.git.distance_scope`, or
    /// `distance-scope`): count only the commits and changes under the project's folder.
    pub distance_scope: Option<DistanceScope>,
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
    /// The environment to read configuration overrides from
    /// (`SETUPTOOLS_SCM_OVERRIDES_FOR_<DIST>` and its spellings); `None` reads none.
    pub environment: Option<super::Environment>,
}

impl Overrides {
    /// No caller settings, and the overrides of this process's environment.
    pub fn from_process_environment() -> Self {
        Overrides {
            environment: Some(super::Environment::from_process()),
            ..Overrides::default()
        }
    }
}

/// `[tool.packkit]` keys that shape the version (their presence means the table is in use
/// for versioning, so a `[tool.setuptools_scm]` table beside it is not read).
pub const VERSION_KEYS: &[&str] = &[
    "version-scheme",
    "local-scheme",
    "tag-regex",
    "tag-prefix",
    "fallback-version",
    "parentdir-prefix-version",
    "root",
    "version-file",
    "version-file-template",
    "normalize",
    "distance-scope",
    "distance-count",
];

/// `[tool.setuptools_scm]` keys packkit reads with setuptools_scm's meaning.
const SETUPTOOLS_SCM_KEYS: &[&str] = &[
    "version_scheme",
    "local_scheme",
    "tag_regex",
    "fallback_version",
    "parentdir_prefix_version",
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
    "git_describe_command",
    "scm",
];

/// setuptools_scm keys that depend on running git or Python code, which packkit never does.
const SETUPTOOLS_SCM_UNSUPPORTED: &[(&str, &str)] = &[
    (
        "parse",
        "custom parse functions are not supported; remove the key",
    ),
    (
        "version_cls",
        "use `normalize = false` to keep tags as written",
    ),
    (
        "fallback_root",
        "packkit looks for PKG-INFO and .git_archival.txt in the project directory",
    ),
];

/// The keys setuptools_scm takes from `SETUPTOOLS_SCM_OVERRIDES[_FOR_<DIST>]` (its
/// `ConfigOverridesDict`) that packkit reads.
const ENV_OVERRIDE_KEYS: &[&str] = &[
    "version_scheme",
    "local_scheme",
    "tag_regex",
    "fallback_version",
    "parentdir_prefix_version",
    "root",
    "version_file",
    "version_file_template",
    "write_to",
    "write_to_template",
    "normalize",
    "dist_name",
    "search_parent_directories",
    "git_describe_command",
    "scm",
];

/// Keys of setuptools_scm's `ConfigOverridesDict` that packkit does not read.
const ENV_OVERRIDE_UNSUPPORTED: &[(&str, &str)] = &[
    (
        "parse",
        "custom parse functions are not supported; remove the key",
    ),
    (
        "version_cls",
        "use `normalize = false` to keep tags as written",
    ),
    (
        "fallback_root",
        "packkit looks for PKG-INFO and .git_archival.txt in the project directory",
    ),
    ("parent", "set `root` instead"),
];

const ENV_OVERRIDES_HINT: &str = "write a TOML inline table of setuptools_scm settings, e.g. '{local_scheme = \"no-local-version\"}', or unset the variable";

/// Read the overrides from the environment; values set there replace the file's in `raw`.
fn apply_env_overrides(raw: &mut Raw, env: &EnvToml, problems: &mut Vec<ConfigError>) {
    let mut r = Reader::new(&env.document);
    let Some(table) = env.table(&mut r) else {
        for mut problem in r.problems {
            env.locate(&mut problem);
            problems.push(problem);
        }
        return;
    };
    let from_env = read_setuptools_scm_style(
        &mut r,
        table,
        "",
        ENV_OVERRIDE_KEYS,
        ENV_OVERRIDE_UNSUPPORTED,
    );
    for mut problem in r.problems {
        env.locate(&mut problem);
        problems.push(problem);
    }
    let mut keys = Vec::new();
    macro_rules! take {
        ($($field:ident),+) => {$(
            if from_env.$field.is_some() {
                raw.$field = from_env.$field;
                keys.push(stringify!($field));
            }
        )+};
    }
    take!(
        version_scheme,
        local_scheme,
        tag_regex,
        fallback_version,
        parentdir_prefix_version,
        root,
        version_file,
        version_file_template,
        normalize,
        dist_name,
        search_parent_directories,
        describe_command
    );
    // setuptools_scm replaces the whole `scm` table with the environment's (a dict update).
    if from_env.scm_table {
        raw.distance_scope = from_env.distance_scope;
        raw.distance_count = from_env.distance_count;
        keys.push("distance_scope");
    }
    raw.from_env = keys;
}

const TAG_REGEX_HINT: &str = "the regex needs one group, or a group named `version`, that matches the version part of a tag, e.g. '^v?(?P<version>[0-9.]+)$'";

/// Where a setting's value came from, which is where a problem with it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Origin {
    File,
    /// `SETUPTOOLS_SCM_OVERRIDES[_FOR_<DIST>]` (or a spelling of it).
    Env,
    /// The caller's keyword arguments or flags.
    Caller,
}

/// A string read from the file, with the span of its value.
type Located = (String, Option<Range<usize>>);

/// Values as read from one of the two tables, before validation.
struct Raw {
    version_scheme: Option<Located>,
    /// A name, or a list of names, each with its span.
    local_scheme: Option<Vec<Located>>,
    tag_regex: Option<Located>,
    tag_prefix: Option<String>,
    fallback_version: Option<Located>,
    parentdir_prefix_version: Option<String>,
    root: Option<String>,
    /// The path, its span, and the key it was read from (`write_to` is relative to `root`).
    version_file: Option<(String, Option<Range<usize>>, &'static str)>,
    /// The template, its span, and the key it was read from.
    version_file_template: Option<(String, Option<Range<usize>>, &'static str)>,
    normalize: Option<bool>,
    dist_name: Option<String>,
    search_parent_directories: Option<bool>,
    /// `git describe` arguments (`scm.git.describe_command` or `git_describe_command`), their
    /// span and the key they were read from.
    describe_command: Option<(Vec<String>, Option<Range<usize>>, String)>,
    /// `distance_scope`'s extra paths (`true` gives none; `false` is `None`) and its key.
    distance_scope: Option<(Vec<ScopePath>, String)>,
    distance_count: Option<DistanceCount>,
    /// The table has an `scm` table (which an environment override replaces whole).
    scm_table: bool,
    /// The keys (setuptools_scm's spelling) whose values came from an environment variable.
    from_env: Vec<&'static str>,
    /// The table the values came from, and its spelling of the keys, for error keys.
    names: &'static TableNames,
}

/// How one of the two tables names the keys that can be wrong after reading.
struct TableNames {
    table: &'static str,
    version_scheme: &'static str,
    local_scheme: &'static str,
    tag_regex: &'static str,
    fallback_version: &'static str,
}

const PACKKIT: TableNames = TableNames {
    table: "tool.packkit",
    version_scheme: "version-scheme",
    local_scheme: "local-scheme",
    tag_regex: "tag-regex",
    fallback_version: "fallback-version",
};

const SETUPTOOLS_SCM: TableNames = TableNames {
    table: "tool.setuptools_scm",
    version_scheme: "version_scheme",
    local_scheme: "local_scheme",
    tag_regex: "tag_regex",
    fallback_version: "fallback_version",
};

impl Raw {
    fn empty(names: &'static TableNames) -> Self {
        Raw {
            version_scheme: None,
            local_scheme: None,
            tag_regex: None,
            tag_prefix: None,
            fallback_version: None,
            parentdir_prefix_version: None,
            root: None,
            version_file: None,
            version_file_template: None,
            normalize: None,
            dist_name: None,
            search_parent_directories: None,
            describe_command: None,
            distance_scope: None,
            distance_count: None,
            scm_table: false,
            from_env: Vec::new(),
            names,
        }
    }
}

/// Report the keys of `[tool.packkit]` that no reader knows: the version keys, the release
/// tables and the caller's `other_keys`.
fn check_packkit_keys(r: &mut Reader, table: &dyn TableLike, other_keys: &[&str]) {
    let known: Vec<&str> = VERSION_KEYS.iter().chain(other_keys).copied().collect();
    r.check_keys(table, "tool.packkit", &known);
}

fn read_packkit(r: &mut Reader, table: &dyn TableLike, other_keys: &[&str]) -> Raw {
    const T: &str = "tool.packkit";
    check_packkit_keys(r, table, other_keys);
    let mut raw = Raw::empty(&PACKKIT);
    raw.version_scheme = r.string_in(table, T, "version-scheme");
    raw.local_scheme = scheme_list(r, table, T, "local-scheme");
    raw.tag_regex = r.string_in(table, T, "tag-regex");
    raw.tag_prefix = r.string_in(table, T, "tag-prefix").map(|(v, _)| v);
    raw.fallback_version = r.string_in(table, T, "fallback-version");
    raw.parentdir_prefix_version = r
        .string_in(table, T, "parentdir-prefix-version")
        .map(|(v, _)| v);
    raw.root = r.string_in(table, T, "root").map(|(v, _)| v);
    raw.version_file = r
        .string_in(table, T, "version-file")
        .map(|(v, span)| (v, span, "version-file"));
    raw.version_file_template = r
        .string_in(table, T, "version-file-template")
        .map(|(v, span)| (v, span, "version-file-template"));
    raw.normalize = r.boolean_in(table, T, "normalize");
    (raw.distance_scope, raw.distance_count) =
        read_distance_scope(r, table, T, "distance-scope", "distance-count");
    raw
}

fn read_setuptools_scm(r: &mut Reader, table: &dyn TableLike) -> Raw {
    read_setuptools_scm_style(
        r,
        table,
        "tool.setuptools_scm",
        SETUPTOOLS_SCM_KEYS,
        SETUPTOOLS_SCM_UNSUPPORTED,
    )
}

/// A table of setuptools_scm's keys: `[tool.setuptools_scm]`, or the overrides from the
/// environment (`prefix` is then empty: the variable names the place).
fn read_setuptools_scm_style(
    r: &mut Reader,
    table: &dyn TableLike,
    prefix: &str,
    keys: &[&str],
    unsupported: &[(&str, &str)],
) -> Raw {
    for (key, hint) in unsupported {
        if table.contains_key(key) {
            r.error(
                key_span(table, key),
                &crate::pyproject::join_key(prefix, key),
                format!("`{key}` is not supported by packkit"),
                Some((*hint).to_owned()),
            );
        }
    }
    let known: Vec<&str> = keys
        .iter()
        .chain(unsupported.iter().map(|(key, _)| key))
        .copied()
        .collect();
    r.check_keys(table, prefix, &known);
    let text = |r: &mut Reader, key: &str| r.string_in(table, prefix, key).map(|(v, _)| v);
    let mut raw = Raw::empty(&SETUPTOOLS_SCM);
    raw.version_scheme = r.string_in(table, prefix, "version_scheme");
    raw.local_scheme = scheme_list(r, table, prefix, "local_scheme");
    raw.tag_regex = r.string_in(table, prefix, "tag_regex");
    raw.fallback_version = r.string_in(table, prefix, "fallback_version");
    raw.parentdir_prefix_version = text(r, "parentdir_prefix_version");
    raw.root = text(r, "root");
    raw.version_file = r
        .string_in(table, prefix, "version_file")
        .map(|(v, span)| (v, span, "version_file"));
    raw.version_file_template = r
        .string_in(table, prefix, "version_file_template")
        .map(|(v, span)| (v, span, "version_file_template"));
    raw.normalize = r.boolean_in(table, prefix, "normalize");
    raw.dist_name = text(r, "dist_name");
    raw.search_parent_directories = r.boolean_in(table, prefix, "search_parent_directories");
    raw.describe_command = read_scm_git(r, table, prefix, &mut raw);
    raw.scm_table = table.contains_key("scm");
    // `write_to` is setuptools_scm's older spelling of `version_file` (relative to `root`).
    let write_to = r.string_in(table, prefix, "write_to");
    let write_to_template = r
        .string_in(table, prefix, "write_to_template")
        .map(|(v, span)| (v, span, "write_to_template"));
    if raw.version_file.is_none() {
        if let Some((write_to, span)) = write_to {
            let root = raw.root.clone().unwrap_or_else(|| ".".into());
            let path = format!("{}/{write_to}", root.trim_end_matches(['/', '\\']));
            raw.version_file = Some((path, span, "write_to"));
            raw.version_file_template = write_to_template.or(raw.version_file_template);
        }
    }
    if let Some(item) = table.get("tag") {
        let tag_key = crate::pyproject::join_key(prefix, "tag");
        if let Some(tag) = r.table(item, &tag_key) {
            r.check_keys(tag, &tag_key, &["regex", "prefix", "strict"]);
            if let Some((regex, span)) = r.string_in(tag, &tag_key, "regex") {
                if raw.tag_regex.is_some() {
                    r.error(
                        span_of(tag, "regex"),
                        &format!("{tag_key}.regex"),
                        "both `tag_regex` and `tag.regex` are set",
                        Some("keep only `tag.regex`".into()),
                    );
                }
                raw.tag_regex = Some((regex, span));
            }
            raw.tag_prefix = r.string_in(tag, &tag_key, "prefix").map(|(v, _)| v);
            r.boolean_in(tag, &tag_key, "strict");
        }
    }
    raw
}

/// `scm.git.describe_command` (which wins, as in setuptools_scm) or `git_describe_command`: a
/// command line split as a shell would, or a list of arguments; and `scm.git.distance_scope`
/// and `distance_count`, into `raw`. `scm.git.pre_parse` is refused: packkit does not run it.
fn read_scm_git(
    r: &mut Reader,
    table: &dyn TableLike,
    prefix: &str,
    raw: &mut Raw,
) -> Option<(Vec<String>, Option<Range<usize>>, String)> {
    let mut command = None;
    if let Some(item) = table.get("git_describe_command") {
        let key = crate::pyproject::join_key(prefix, "git_describe_command");
        command = describe_words(r, item, &key);
    }
    let scm_key = crate::pyproject::join_key(prefix, "scm");
    let Some(scm) = table.get("scm").and_then(|item| r.table(item, &scm_key)) else {
        return command;
    };
    r.check_keys(scm, &scm_key, &["git"]);
    let git_key = format!("{scm_key}.git");
    let Some(git) = scm.get("git").and_then(|item| r.table(item, &git_key)) else {
        return command;
    };
    for key in ["pre_parse"] {
        if git.contains_key(key) {
            r.error(
                key_span(git, key),
                &format!("{git_key}.{key}"),
                format!("`{key}` is not supported by packkit"),
                Some("remove the key (see the migration guide)".to_owned()),
            );
        }
    }
    r.check_keys(
        git,
        &git_key,
        &[
            "describe_command",
            "pre_parse",
            "distance_scope",
            "distance_count",
        ],
    );
    if let Some(item) = git.get("describe_command") {
        command = describe_words(r, item, &format!("{git_key}.describe_command")).or(command);
    }
    (raw.distance_scope, raw.distance_count) =
        read_distance_scope(r, git, &git_key, "distance_scope", "distance_count");
    command
}

const DISTANCE_SCOPE_HINT: &str = "write `true` (the project's folder), or a list of folders relative to the top of the git repository, e.g. [\"libs/shared\"]";

/// `distance_scope` (`true`, `false` or a list of paths relative to the top of the work
/// tree, as setuptools_scm's `_check_distance_scope` takes it; `[]` is `true`) and
/// `distance_count` (`"full-history"` or `"first-parent"`), checked where they are written.
/// Paths are untrusted text: absolute ones, `..` leading out, patterns and pathspec magic are
/// refused.
fn read_distance_scope(
    r: &mut Reader,
    table: &dyn TableLike,
    prefix: &str,
    scope_key: &str,
    count_key: &str,
) -> (Option<(Vec<ScopePath>, String)>, Option<DistanceCount>) {
    let count = r
        .string_in(table, prefix, count_key)
        .and_then(|(name, span)| {
            let found = DistanceCount::from_name(&name);
            if found.is_none() {
                let [first, second] = DistanceCount::NAMES;
                r.error(
                    span,
                    &crate::pyproject::join_key(prefix, count_key),
                    format!("unknown distance count {name:?}"),
                    Some(format!("write \"{first}\" or \"{second}\"")),
                );
            }
            found
        });
    let Some(item) = table.get(scope_key) else {
        return (None, count);
    };
    let key = crate::pyproject::join_key(prefix, scope_key);
    let scope = if let Some(on) = item.as_bool() {
        on.then(Vec::new)
    } else if item.is_array() {
        let mut paths = Vec::new();
        for (text, span, element_key) in r.strings(item, &key) {
            match ScopePath::parse(&text) {
                Ok(path) => paths.push(path),
                Err(message) => {
                    r.error(
                        span,
                        &element_key,
                        message,
                        Some(DISTANCE_SCOPE_HINT.to_owned()),
                    );
                }
            }
        }
        Some(paths)
    } else {
        r.wrong_type(
            item.span(),
            &key,
            "true, false or a list of paths",
            item.type_name(),
            Some(DISTANCE_SCOPE_HINT.to_owned()),
        );
        None
    };
    (scope.map(|paths| (paths, key)), count)
}

fn describe_words(
    r: &mut Reader,
    item: &toml_edit::Item,
    key: &str,
) -> Option<(Vec<String>, Option<Range<usize>>, String)> {
    let words = if item.is_array() {
        r.strings(item, key)
            .into_iter()
            .map(|(word, _, _)| word)
            .collect()
    } else {
        let text = r.string(item, key)?;
        match super::describe_command::split(&text) {
            Ok(words) => words,
            Err((message, hint)) => {
                r.error(item.span(), key, message, Some(hint));
                return None;
            }
        }
    };
    Some((words, item.span(), key.to_owned()))
}

/// A scheme key's value: one name, or setuptools_scm's list of names (tried in order).
fn scheme_list(
    r: &mut Reader,
    table: &dyn TableLike,
    prefix: &str,
    key: &str,
) -> Option<Vec<Located>> {
    let item = table.get(key)?;
    if !item.is_array() {
        return r.string_in(table, prefix, key).map(|named| vec![named]);
    }
    let full_key = crate::pyproject::join_key(prefix, key);
    let names = r.strings(item, &full_key);
    if names.is_empty() {
        r.error(
            item.span(),
            &full_key,
            "the list of schemes is empty",
            Some("name at least one scheme, e.g. \"node-and-date\"".to_owned()),
        );
        return None;
    }
    Some(
        names
            .into_iter()
            .map(|(name, span, _)| (name, span))
            .collect(),
    )
}

impl Settings {
    /// Settings for the project in `project_dir`, from its `pyproject.toml` if it has one.
    /// `other_keys` are the `[tool.packkit]` keys other readers own (they are not unknown).
    pub fn load(project_dir: &Path, overrides: &Overrides, other_keys: &[&str]) -> Result<Self> {
        // The file system's own error (ENOENT, EACCES, ...) reaches Python as an `OSError`.
        let metadata = std::fs::metadata(project_dir).map_err(|err| Error::io(project_dir, err))?;
        if !metadata.is_dir() {
            let not_dir = std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory");
            return Err(Error::io(project_dir, not_dir));
        }
        let path = project_dir.join("pyproject.toml");
        // Anything there is read (and refused if it is not a regular file), not skipped.
        let pyproject = if std::fs::symlink_metadata(&path).is_ok() {
            Some(PyProject::read(&path)?)
        } else {
            None
        };
        Self::from_pyproject(project_dir, pyproject.as_ref(), overrides, other_keys)
            .map_err(Error::Config)
    }

    /// Read the settings from `pyproject` (if any) and `overrides`; every problem is reported.
    pub fn from_pyproject(
        project_dir: &Path,
        pyproject: Option<&PyProject>,
        overrides: &Overrides,
        other_keys: &[&str],
    ) -> std::result::Result<Self, Vec<ConfigError>> {
        let mut raw = Raw::empty(&PACKKIT);
        let mut dist_name = None;
        let mut towncrier_directory = None;
        let mut problems = Vec::new();
        if let Some(pyproject) = pyproject {
            let mut r = Reader::new(pyproject);
            let packkit = r.table_at("tool.packkit");
            let legacy = r.table_at("tool.setuptools_scm");
            let packkit_has_version_keys =
                packkit.is_some_and(|t| t.iter().any(|(k, _)| VERSION_KEYS.contains(&k)));
            raw = match (packkit, legacy) {
                (Some(table), Some(legacy)) if !packkit_has_version_keys => {
                    check_packkit_keys(&mut r, table, other_keys);
                    read_setuptools_scm(&mut r, legacy)
                }
                (Some(table), _) => read_packkit(&mut r, table, other_keys),
                (None, Some(legacy)) => read_setuptools_scm(&mut r, legacy),
                (None, None) => raw,
            };
            // Read leniently: `[project]` is validated (and its errors reported) by the
            // metadata module; the version only needs the name for pretend variables.
            dist_name = pyproject
                .item("project.name")
                .and_then(toml_edit::Item::as_str)
                .map(str::to_owned);
            if let Some(towncrier) = r.table_at("tool.towncrier") {
                towncrier_directory = r
                    .string_in(towncrier, "tool.towncrier", "directory")
                    .map(|(v, _)| v);
            }
            problems = r.problems;
        }
        // setuptools_scm's configuration overrides from the environment win over the file
        // (the caller's own overrides still win over them).
        let mut env_document = None;
        if let Some(environment) = &overrides.environment {
            let dist = overrides
                .dist_name
                .as_deref()
                .or(raw.dist_name.as_deref())
                .or(dist_name.as_deref());
            if let Some((variable, value)) = environment.tool_variable("OVERRIDES", dist) {
                match EnvToml::parse(&variable, &value, ENV_OVERRIDES_HINT) {
                    Ok(Some(env)) => {
                        apply_env_overrides(&mut raw, &env, &mut problems);
                        env_document = Some(env);
                    }
                    Ok(None) => {}
                    Err(found) => problems.extend(found),
                }
            }
        }
        let names = raw.names;
        let from_env = raw.from_env.clone();
        // A bad value from the file points into it; one from the caller names the argument.
        let mut problem =
            |key: &str, span: Option<Range<usize>>, from: Origin, message, hint: &str| {
                problems.push(match (from, pyproject, &env_document) {
                    (Origin::Env, _, Some(env)) => {
                        env.error_at(span, &key.replace('-', "_"), message, Some(hint.to_owned()))
                    }
                    (Origin::File, Some(pyproject), _) => pyproject.error_at(
                        span,
                        &format!("{}.{key}", names.table),
                        message,
                        Some(hint.to_owned()),
                    ),
                    _ => ConfigError {
                        path: None,
                        line: None,
                        column: None,
                        key: Some(key.replace('-', "_")),
                        message,
                        hint: Some(hint.to_owned()),
                    },
                });
            };
        let origin = |key: &str| {
            if from_env.contains(&key) {
                Origin::Env
            } else {
                Origin::File
            }
        };
        let pick = |over: &Option<String>, file: &Option<Located>, key: &str| match over {
            Some(value) => Some((value.clone(), None, Origin::Caller)),
            None => file.clone().map(|(v, s)| (v, s, origin(key))),
        };

        let mut version_scheme = VersionScheme::GuessNextDev;
        if let Some((name, span, from)) = pick(
            &overrides.version_scheme,
            &raw.version_scheme,
            "version_scheme",
        ) {
            match VersionScheme::from_name(&name) {
                Some(scheme) => version_scheme = scheme,
                None => problem(
                    names.version_scheme,
                    span,
                    from,
                    format!("unknown version scheme {name:?}"),
                    &scheme_hint(&name, VersionScheme::NAMES),
                ),
            }
        }
        let local_names = match (&overrides.local_scheme, &raw.local_scheme) {
            (Some(name), _) => vec![(name.clone(), None, Origin::Caller)],
            (None, Some(list)) => {
                let from = origin("local_scheme");
                list.iter()
                    .map(|(v, s)| (v.clone(), s.clone(), from))
                    .collect()
            }
            (None, None) => Vec::new(),
        };
        let mut local_scheme = Vec::new();
        for (name, span, from) in local_names {
            match LocalScheme::from_name(&name) {
                Some(scheme) => local_scheme.push(scheme),
                None => problem(
                    names.local_scheme,
                    span,
                    from,
                    format!("unknown local scheme {name:?}"),
                    &scheme_hint(&name, LocalScheme::NAMES),
                ),
            }
        }
        if local_scheme.is_empty() {
            local_scheme.push(LocalScheme::NodeAndDate);
        }
        let prefix = overrides
            .tag_prefix
            .clone()
            .or(raw.tag_prefix.clone())
            .filter(|p| !p.is_empty());
        let tag = match pick(&overrides.tag_regex, &raw.tag_regex, "tag_regex") {
            None => Some(TagMatcher::new(None, prefix).expect("the default tag regex is valid")),
            Some((regex, span, from)) => match TagMatcher::new(Some(&regex), prefix) {
                Ok(matcher) => Some(matcher),
                Err(message) => {
                    problem(names.tag_regex, span, from, message, TAG_REGEX_HINT);
                    None
                }
            },
        };
        // A describe command chooses tags with its globs; what cannot be mapped is refused.
        let tag = match (tag, &raw.describe_command) {
            (Some(tag), Some((words, span, key))) => {
                let from = if from_env.contains(&"describe_command") {
                    Origin::Env
                } else {
                    Origin::File
                };
                let mapped = super::describe_command::map(words).and_then(|globs| {
                    tag.with_globs(&globs.include, &globs.exclude)
                        .map_err(|message| (message, TAG_REGEX_HINT.to_owned()))
                });
                match mapped {
                    Ok(tag) => Some(tag),
                    Err((message, hint)) => {
                        // The key within the table, which `problem` names again.
                        let table_prefix = format!("{}.", names.table);
                        let relative = key.strip_prefix(&table_prefix).unwrap_or(key);
                        problem(relative, span.clone(), from, message, &hint);
                        None
                    }
                }
            }
            (tag, _) => tag,
        };
        // A file the build writes: inside the project, lexically and through symlinks (an
        // sdist must not be able to drop a `.pth` into site-packages).
        if let Some((path, span, key)) = &raw.version_file {
            if let Err(outside) = crate::paths::writable_inside(project_dir, path) {
                problem(
                    key,
                    span.clone(),
                    origin("version_file"),
                    format!("{}: {path:?}", outside.message()),
                    "give a path inside the project, relative to pyproject.toml, like \"src/my_pkg/_version.py\"",
                );
            }
        }
        // A template setuptools_scm would fail to format is reported now, with its place.
        if let Some((template, span, key)) = &raw.version_file_template {
            if let Err(message) = super::version_file::render_template(template, "1.0", None) {
                problem(
                    key,
                    span.clone(),
                    origin("version_file_template"),
                    message,
                    super::version_file::TEMPLATE_HINT,
                );
            }
        }
        let fallback_version = pick(
            &overrides.fallback_version,
            &raw.fallback_version,
            "fallback_version",
        )
        .and_then(|(version, span, from)| {
            // Used as written, less the white space around it (as a pretend version).
            if let Ok(version) = crate::version::clean(&version) {
                return Some(version);
            }
            problem(
                names.fallback_version,
                span,
                from,
                format!("{version:?} is not a valid PEP 440 version"),
                "write it like \"0.1.0\" or \"0.0.0.dev0\"",
            );
            None
        });
        match tag {
            Some(tag) if problems.is_empty() => Ok(Settings {
                project_dir: project_dir.to_owned(),
                pyproject: pyproject.map(|p| p.path.clone()),
                dist_name: overrides.dist_name.clone().or(raw.dist_name).or(dist_name),
                version_scheme,
                local_scheme,
                tag,
                fallback_version,
                parentdir_prefix_version: raw.parentdir_prefix_version,
                root: PathBuf::from(raw.root.unwrap_or_else(|| ".".into())),
                search_parent_directories: raw.search_parent_directories.unwrap_or(false),
                version_file: raw.version_file.map(|(path, _, _)| PathBuf::from(path)),
                version_file_template: raw.version_file_template.map(|(template, _, _)| template),
                normalize: overrides.normalize.or(raw.normalize).unwrap_or(true),
                towncrier_directory,
                distance_scope: raw.distance_scope.map(|(extra, key)| DistanceScope {
                    extra,
                    count: raw.distance_count.unwrap_or_default(),
                    key,
                }),
            }),
            _ => {
                // In file order, whichever part of the reading found them.
                problems.sort_by_key(|p| (p.line, p.column));
                Err(problems)
            }
        }
    }

    /// The git work tree to read: `root` resolved against the project directory.
    pub fn scm_root(&self) -> PathBuf {
        crate::paths::without_dots(&self.project_dir.join(&self.root))
    }
}

/// Scheme names given by a caller (`ScmVersion.render(version_scheme=...)`), checked with the
/// same messages as the settings.
pub fn schemes_by_name(
    version_scheme: Option<&str>,
    local_scheme: Option<&str>,
) -> Result<(Option<VersionScheme>, Option<LocalScheme>)> {
    let mut problems = Vec::new();
    let mut unknown = |key: &str, kind: &str, name: &str, names: &[&str]| {
        problems.push(ConfigError {
            path: None,
            line: None,
            column: None,
            key: Some(key.to_owned()),
            message: format!("unknown {kind} scheme {name:?}"),
            hint: Some(scheme_hint(name, names)),
        });
    };
    let version = version_scheme.and_then(|name| {
        let scheme = VersionScheme::from_name(name);
        if scheme.is_none() {
            unknown("version_scheme", "version", name, VersionScheme::NAMES);
        }
        scheme
    });
    let local = local_scheme.and_then(|name| {
        let scheme = LocalScheme::from_name(name);
        if scheme.is_none() {
            unknown("local_scheme", "local", name, LocalScheme::NAMES);
        }
        scheme
    });
    if problems.is_empty() {
        Ok((version, local))
    } else {
        Err(Error::Config(problems))
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
        Settings::from_pyproject(Path::new("."), Some(&pyproject), &Overrides::default(), &[])
            .map_err(Error::Config)
    }

    fn with_env(text: &str, vars: &[(&str, &str)]) -> Result<Settings> {
        let pyproject = PyProject::parse(Path::new("pyproject.toml"), text.to_owned())?;
        let overrides = Overrides {
            environment: Some(crate::resolve::Environment {
                vars: vars
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
            }),
            ..Overrides::default()
        };
        Settings::from_pyproject(Path::new("."), Some(&pyproject), &overrides, &[])
            .map_err(Error::Config)
    }

    const DEMO: &str =
        "[project]\nname = \"Demo.Pkg\"\n[tool.packkit]\nlocal-scheme = \"dirty-tag\"\n";

    #[test]
    fn env_overrides_win_over_the_file_and_the_named_one_over_the_general() {
        let s = with_env(
            DEMO,
            &[(
                "SETUPTOOLS_SCM_OVERRIDES",
                "{local_scheme = \"no-local-version\", version_scheme = \"post-release\"}",
            )],
        )
        .unwrap();
        assert_eq!(s.local_scheme, [LocalScheme::NoLocalVersion]);
        assert_eq!(s.version_scheme, VersionScheme::PostRelease);
        // The one for the distribution is used whole: the general one is not merged in.
        let s = with_env(
            DEMO,
            &[
                (
                    "SETUPTOOLS_SCM_OVERRIDES",
                    "{version_scheme = \"post-release\"}",
                ),
                (
                    "PACKKIT_OVERRIDES_FOR_DEMO_PKG",
                    "local_scheme = [\"fail-on-uncommitted-changes\", \"no-local-version\"]\n",
                ),
            ],
        )
        .unwrap();
        assert_eq!(s.version_scheme, VersionScheme::GuessNextDev);
        assert_eq!(
            s.local_scheme,
            [
                LocalScheme::FailOnUncommittedChanges,
                LocalScheme::NoLocalVersion
            ]
        );
        // Empty means none; the caller's own settings win over the environment's.
        assert_eq!(
            with_env(DEMO, &[("SETUPTOOLS_SCM_OVERRIDES", "")])
                .unwrap()
                .local_scheme,
            [LocalScheme::DirtyTag]
        );
        let pyproject = PyProject::parse(Path::new("pyproject.toml"), DEMO.to_owned()).unwrap();
        let overrides = Overrides {
            local_scheme: Some("node-and-timestamp".into()),
            environment: Some(crate::resolve::Environment {
                vars: vec![(
                    "SETUPTOOLS_SCM_OVERRIDES".into(),
                    "{local_scheme = \"dirty-tag\"}".into(),
                )],
            }),
            ..Overrides::default()
        };
        let s =
            Settings::from_pyproject(Path::new("."), Some(&pyproject), &overrides, &[]).unwrap();
        assert_eq!(s.local_scheme, [LocalScheme::NodeAndTimestamp]);
    }

    #[test]
    fn env_overrides_refuse_garbage_naming_the_variable() {
        let var = "SETUPTOOLS_SCM_OVERRIDES_FOR_DEMO_PKG";
        let err = |value: &str| with_env(DEMO, &[(var, value)]).unwrap_err().to_string();
        let syntax = err("{local_scheme = }");
        assert!(
            syntax.starts_with(&format!("{var}:1:17: invalid TOML"))
                && syntax.contains("hint: write a TOML inline table"),
            "{syntax}"
        );
        assert!(
            err("local_scheme = \"x").starts_with(&format!("{var}:1:")),
            "{}",
            err("local_scheme = \"x")
        );
        assert_eq!(
            err("{version_scheme = \"nope\"}"),
            format!(
                "{var}:1:19: `version_scheme`: unknown version scheme \"nope\"\nhint: known schemes: {}",
                VersionScheme::NAMES.join(", ")
            )
        );
        assert!(err("{local_schme = \"dirty-tag\"}").contains(
            "`local_schme`: unknown key `local_schme`\nhint: did you mean `local_scheme`?"
        ));
        assert!(
            err("{normalize = \"yes\"}")
                .contains(&format!("{var}:1:14: `normalize`: expected true or false"))
        );
        assert!(err("{parse = \"x\"}").contains("`parse` is not supported by packkit"));
        assert!(err("{tag_regex = \"(\"}").contains(&format!("{var}:1:14: `tag_regex`:")));
        assert!(err("{version_file = \"../x.pth\"}").contains(&format!(
            "{var}:1:17: `version_file`: the path must stay inside"
        )));
        assert!(
            err("[1, 2]").starts_with(&format!("{var}:1:3: invalid TOML")),
            "{}",
            err("[1, 2]")
        );
        assert!(
            err("\u{0}").starts_with(&format!("{var}:")),
            "{}",
            err("\u{0}")
        );
        assert!(err("{fallback_version = \"x.y\"}").contains("is not a valid PEP 440 version"));
    }

    #[test]
    fn describe_commands_become_tag_globs_or_located_errors() {
        let table = "[tool.setuptools_scm]\ngit_describe_command = \"git describe --dirty --tags --long --abbrev=40 --match 'v*' --exclude '*rc*'\"\n";
        let s = settings(table).unwrap();
        assert!(s.tag.parse("v1.0").is_some());
        assert!(s.tag.parse("rel-1.0").is_none());
        assert!(s.tag.parse("v1.1rc1").is_none());
        let err = settings("[tool.setuptools_scm.scm.git]\ndescribe_command = [\"git\", \"describe\", \"--first-parent\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("pyproject.toml:2:20: `tool.setuptools_scm.scm.git.describe_command`: `--first-parent` changes"),
            "{err}"
        );
        let err = settings("[tool.setuptools_scm.scm.git]\npre_parse = \"fail_on_shallow\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`tool.setuptools_scm.scm.git.pre_parse`: `pre_parse` is not supported"),
            "{err}"
        );
        let err = with_env(
            DEMO,
            &[(
                "SETUPTOOLS_SCM_OVERRIDES",
                "{git_describe_command = \"rm -rf /\"}",
            )],
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("SETUPTOOLS_SCM_OVERRIDES:1:25: `git_describe_command`: \"rm -rf /\" is not a `git describe` command"), "{err}");
    }

    #[test]
    fn the_distance_scope_is_read_from_either_table_and_the_environment() {
        let scope = |text: &str| settings(text).unwrap().distance_scope;
        assert_eq!(scope("[tool.packkit]\n"), None);
        assert_eq!(scope("[tool.packkit]\ndistance-scope = false\n"), None);
        // `distance_count` alone changes nothing, as in setuptools_scm.
        assert_eq!(
            scope("[tool.setuptools_scm.scm.git]\ndistance_count = \"first-parent\"\n"),
            None
        );
        let on = scope("[tool.setuptools_scm.scm.git]\ndistance_scope = true\n").unwrap();
        assert_eq!(on.extra, []);
        assert_eq!(on.count, DistanceCount::FullHistory);
        assert_eq!(on.key, "tool.setuptools_scm.scm.git.distance_scope");
        let listed = scope(
            "[tool.packkit]\ndistance-scope = [\"libs/shared/\", \"./tools\"]\ndistance-count = \"first-parent\"\n",
        )
        .unwrap();
        let paths: Vec<(&str, bool)> = listed
            .extra
            .iter()
            .map(|p| (p.path.as_str(), p.directory_only))
            .collect();
        assert_eq!(paths, [("libs/shared", true), ("tools", false)]);
        assert_eq!(listed.count, DistanceCount::FirstParent);
        assert_eq!(listed.key, "tool.packkit.distance-scope");
        // `[]` is `true`.
        assert_eq!(
            scope("[tool.packkit]\ndistance-scope = []\n")
                .unwrap()
                .extra,
            []
        );
        let from_env = with_env(
            DEMO,
            &[(
                "SETUPTOOLS_SCM_OVERRIDES",
                "{scm = {git = {distance_scope = [\"libs\"], distance_count = \"first-parent\"}}}",
            )],
        )
        .unwrap()
        .distance_scope
        .unwrap();
        assert_eq!(from_env.extra[0].path, "libs");
        assert_eq!(from_env.count, DistanceCount::FirstParent);
        assert_eq!(from_env.key, "scm.git.distance_scope");
        // The environment's `scm` table replaces the file's whole, as in setuptools_scm.
        let scoped = "[tool.setuptools_scm.scm.git]\ndistance_scope = true\n";
        let replaced = with_env(
            scoped,
            &[("SETUPTOOLS_SCM_OVERRIDES", "{scm = {git = {}}}")],
        );
        assert_eq!(replaced.unwrap().distance_scope, None);
        let kept = with_env(
            scoped,
            &[("SETUPTOOLS_SCM_OVERRIDES", "{normalize = false}")],
        );
        assert!(kept.unwrap().distance_scope.is_some());
    }

    #[test]
    fn distance_scope_paths_and_counts_are_checked_where_they_are_written() {
        let err = |text: &str| settings(text).unwrap_err().to_string();
        assert_eq!(
            err("[tool.packkit]\ndistance-scope = [\"libs\", \"/etc\"]\n"),
            format!(
                "pyproject.toml:2:27: `tool.packkit.distance-scope[1]`: \"/etc\" is absolute: \
                 scope paths are relative to the top of the git repository\nhint: {DISTANCE_SCOPE_HINT}"
            )
        );
        for (value, says) in [
            ("[\"../../outside\"]", "leads out of the git repository"),
            ("[\"a/../..\"]", "leads out of the git repository"),
            ("[\"libs/*\"]", "pattern or pathspec magic"),
            ("[\":(top)libs\"]", "pattern or pathspec magic"),
            ("[\".\"]", "the whole repository"),
            ("[\"\"]", "the path is empty"),
            ("[\"a\\nb\"]", "control character"),
            ("[1]", "expected a string, found an integer"),
            (
                "\"libs\"",
                "expected true, false or a list of paths, found a string",
            ),
        ] {
            let text = format!("[tool.setuptools_scm.scm.git]\ndistance_scope = {value}\n");
            let message = err(&text);
            assert!(
                message.starts_with("pyproject.toml:2:")
                    && message.contains("`tool.setuptools_scm.scm.git.distance_scope")
                    && message.contains(says),
                "{value}: {message}"
            );
        }
        assert_eq!(
            err("[tool.packkit]\ndistance-scope = true\ndistance-count = \"dense\"\n"),
            "pyproject.toml:3:18: `tool.packkit.distance-count`: unknown distance count \"dense\"\nhint: write \"full-history\" or \"first-parent\""
        );
        assert!(err("[tool.packkit]\ndistance-count = 1\n").contains("expected a string"));
    }

    #[test]
    fn reads_packkit_table() {
        let s = settings("[project]\nname = \"demo\"\n[tool.packkit]\nversion-scheme = \"post-release\"\nlocal-scheme = \"dirty-tag\"\ntag-prefix = \"pkg-v\"\n").unwrap();
        assert_eq!(s.version_scheme, VersionScheme::PostRelease);
        assert_eq!(s.local_scheme, [LocalScheme::DirtyTag]);
        assert_eq!(s.dist_name.as_deref(), Some("demo"));
    }

    #[test]
    fn local_scheme_may_be_a_list_as_in_setuptools_scm() {
        let s = settings("[tool.setuptools_scm]\nlocal_scheme = [\"fail-on-uncommitted-changes\", \"dirty-tag\"]\n").unwrap();
        assert_eq!(
            s.local_scheme,
            [LocalScheme::FailOnUncommittedChanges, LocalScheme::DirtyTag]
        );
        let err = settings("[tool.packkit]\nlocal-scheme = [\"dirty-tag\", \"nope\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "pyproject.toml:2:30: `tool.packkit.local-scheme`: unknown local scheme \"nope\""
            ),
            "{err}"
        );
        let err = settings("[tool.packkit]\nlocal-scheme = []\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("the list of schemes is empty"), "{err}");
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
    fn every_problem_is_reported_not_just_the_first() {
        let err = settings(
            "[tool.packkit]\nversion-schme = \"x\"\nlocal-scheme = \"nope\"\nnormalize = 1\ntag-regex = \"(unclosed\"\nfallback-version = \"x.y\"\n",
        )
        .unwrap_err();
        let Error::Config(problems) = err else {
            panic!("a config error")
        };
        let keys: Vec<&str> = problems.iter().filter_map(|p| p.key.as_deref()).collect();
        assert_eq!(
            keys,
            [
                "tool.packkit.version-schme",
                "tool.packkit.local-scheme",
                "tool.packkit.normalize",
                "tool.packkit.tag-regex",
                "tool.packkit.fallback-version",
            ]
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
    fn unsupported_setuptools_scm_keys_say_why_and_unknown_ones_are_listed_too() {
        let err = settings("[tool.setuptools_scm]\nparse = \"x\"\nversion_shceme = \"y\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`tool.setuptools_scm.parse`: `parse` is not supported by packkit"),
            "{err}"
        );
        assert!(
            err.contains("`tool.setuptools_scm.version_shceme`: unknown key"),
            "{err}"
        );
    }

    #[test]
    fn overrides_are_named_as_arguments() {
        let overrides = Overrides {
            local_scheme: Some("nope".into()),
            ..Overrides::default()
        };
        let err = Settings::from_pyproject(Path::new("."), None, &overrides, &[]).unwrap_err();
        assert_eq!(err[0].key.as_deref(), Some("local_scheme"));
        assert_eq!(err[0].path, None);
    }

    #[test]
    fn version_files_outside_the_project_are_located_errors() {
        let err = settings("[tool.packkit]\nversion-file = \"/abs/zz.pth\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "pyproject.toml:2:16: `tool.packkit.version-file`: the path must be relative to the project directory: \"/abs/zz.pth\"\nhint: give a path inside the project, relative to pyproject.toml, like \"src/my_pkg/_version.py\""
        );
        // setuptools_scm's `write_to` is relative to `root`, which may lead out.
        let err = settings("[tool.setuptools_scm]\nroot = \"..\"\nwrite_to = \"zz.pth\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("pyproject.toml:3:12: `tool.setuptools_scm.write_to`: the path must stay inside the project directory (no `..`): \"../zz.pth\""),
            "{err}"
        );
        assert!(settings("[tool.packkit]\nversion-file = \"src/../pkg/_v.py\"\n").is_ok());
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
