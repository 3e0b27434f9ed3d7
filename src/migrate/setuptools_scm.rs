//! `[tool.setuptools_scm]` (and hatch-vcs' `raw-options`, which are setuptools_scm's keys) →
//! `[tool.packkit]`'s version keys.
//!
//! packkit still reads a `[tool.setuptools_scm]` table, but translating it gives the project one
//! table to read, lets `--clean` remove the old one, and reports the keys packkit cannot honour
//! now rather than at the next build.

use toml_edit::{Item, TableLike, Value};

use super::{Migration, PYPROJECT, shown};

pub(super) fn translate(m: &mut Migration<'_>) {
    let Some(table) = m.table(&["tool", "setuptools_scm"]) else {
        if requires_setuptools_scm(m) && m.is_dynamic("version") {
            m.version_from_git(
                PYPROJECT,
                "[build-system] setuptools_scm",
                "packkit's defaults are setuptools_scm's",
            );
        }
        return;
    };
    let table = clone_table(table);
    m.version_from_git(
        PYPROJECT,
        "[tool.setuptools_scm]",
        "packkit's schemes and outputs are setuptools_scm's",
    );
    options(m, &table, "tool.setuptools_scm");
    m.translated_table(&["tool", "setuptools_scm"]);
}

/// Whether `[build-system] requires` names setuptools_scm (which then versions the project
/// even without its table, in its older releases).
fn requires_setuptools_scm(m: &Migration<'_>) -> bool {
    super::strings_of(m.get(&["build-system", "requires"])).is_some_and(|requires| {
        requires.iter().any(|r| {
            let name: String = r
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
                .collect();
            name.to_lowercase().replace('-', "_") == "setuptools_scm"
        })
    })
}

/// A copy of `table`'s items, so that the migration can be borrowed mutably while they are read.
pub(super) fn clone_table(table: &dyn TableLike) -> Vec<(String, Item)> {
    table
        .iter()
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
}

/// setuptools_scm keys at `prefix` (a table, or hatch-vcs' `raw-options`) → `[tool.packkit]`.
pub(super) fn options(m: &mut Migration<'_>, table: &[(String, Item)], prefix: &str) {
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, v)| v);
    let root = get("root").and_then(Item::as_str).unwrap_or(".").to_owned();
    for (key, item) in table {
        let source = format!("[{prefix}] {}", shown(key, item));
        let full = format!("{prefix}.{key}");
        let simple = match key.as_str() {
            "version_scheme" => Some("version-scheme"),
            "local_scheme" => Some("local-scheme"),
            "tag_regex" => Some("tag-regex"),
            "fallback_version" => Some("fallback-version"),
            "root" => Some("root"),
            "version_file" => Some("version-file"),
            "version_file_template" => Some("version-file-template"),
            "normalize" => Some("normalize"),
            _ => None,
        };
        if let Some(target) = simple {
            match item.as_value() {
                Some(value @ (Value::String(_) | Value::Boolean(_))) => {
                    let mut value = value.clone();
                    value.decor_mut().clear();
                    m.set_packkit(target, value, &source);
                }
                _ => m.cannot(
                    PYPROJECT,
                    &full,
                    "expected a string (or true/false for `normalize`)",
                    format!("set `{target}` in [tool.packkit] by hand"),
                ),
            }
            continue;
        }
        match key.as_str() {
            "write_to" => {
                // `write_to` is relative to `root`; `version-file` to pyproject.toml's folder.
                let Some(path) = item.as_str() else {
                    m.cannot(PYPROJECT, &full, "expected a string", "set `version-file` in [tool.packkit]");
                    continue;
                };
                if get("version_file").is_some() {
                    m.change(PYPROJECT, source, "dropped (`version_file` says the same, newer)");
                    continue;
                }
                let joined = if root == "." {
                    path.to_owned()
                } else {
                    format!("{}/{path}", root.trim_end_matches('/'))
                };
                m.set_packkit("version-file", Value::from(joined), &source);
            }
            "write_to_template" => {
                if get("version_file_template").is_none() {
                    if let Some(template) = item.as_str() {
                        m.set_packkit("version-file-template", Value::from(template), &source);
                    }
                }
            }
            "tag" => tag(m, item, prefix, &source),
            "relative_to" | "write_to_source" | "dist_name" => {
                m.change(PYPROJECT, source, "dropped (packkit uses pyproject.toml's folder and [project] name)");
            }
            "search_parent_directories" => {
                if item.as_bool() == Some(true) {
                    match git_root_above(m.dir) {
                        Some(root) => m.set_packkit("root", Value::from(root), &source),
                        None => m.cannot(
                            PYPROJECT,
                            &full,
                            "no git repository found above the project",
                            "set `root` in [tool.packkit] to the repository's top folder, relative to pyproject.toml",
                        ),
                    }
                }
            }
            "git_describe_command" => cannot_describe(m, &full),
            "scm" => scm(m, item, &full),
            "parse" | "version_cls" | "parentdir_prefix_version" | "fallback_root" => m.cannot(
                PYPROJECT,
                &full,
                "names Python code or behaviour packkit does not have",
                "remove the key; use `normalize = false`, `fallback-version` or a .git_archival.txt",
            ),
            _ => m.cannot(
                PYPROJECT,
                &full,
                "not a setuptools_scm key packkit knows",
                "remove it, or find its [tool.packkit] equivalent in docs/configuration.rst",
            ),
        }
    }
}

fn cannot_describe(m: &mut Migration<'_>, key: &str) {
    m.cannot(
        PYPROJECT,
        key,
        "packkit reads git itself and runs no command",
        "remove the key; choose tags with `tag-prefix` or `tag-regex` in [tool.packkit]",
    );
}

/// setuptools_scm's `scm.git` table: the distance scope translates, the rest does not.
fn scm(m: &mut Migration<'_>, item: &Item, key: &str) {
    let git = item
        .as_table_like()
        .and_then(|scm| scm.get("git"))
        .and_then(Item::as_table_like);
    let others = item
        .as_table_like()
        .is_some_and(|scm| scm.iter().any(|(name, _)| name != "git"));
    let Some(git) = git.filter(|_| !others) else {
        cannot_describe(m, key);
        return;
    };
    for (name, value) in git.iter() {
        let full = format!("{key}.git.{name}");
        let target = match name {
            "distance_scope" => "distance-scope",
            "distance_count" => "distance-count",
            _ => {
                cannot_describe(m, &full);
                continue;
            }
        };
        match value.as_value() {
            Some(value @ (Value::String(_) | Value::Boolean(_) | Value::Array(_))) => {
                let mut value = value.clone();
                value.decor_mut().clear();
                let source = format!("[{key}.git] {}", shown(name, &Item::Value(value.clone())));
                m.set_packkit(target, value, &source);
            }
            _ => m.cannot(
                PYPROJECT,
                &full,
                "expected true, false, a list of paths or a string",
                format!("set `{target}` in [tool.packkit] by hand"),
            ),
        }
    }
}

/// setuptools_scm's `tag = { prefix, regex }`.
fn tag(m: &mut Migration<'_>, item: &Item, prefix: &str, source: &str) {
    let Some(table) = item.as_table_like() else {
        m.cannot(
            PYPROJECT,
            &format!("{prefix}.tag"),
            "expected a table",
            "set `tag-prefix`/`tag-regex` in [tool.packkit]",
        );
        return;
    };
    for (key, value) in table.iter() {
        match (key, value.as_str()) {
            ("prefix", Some(text)) => m.set_packkit("tag-prefix", Value::from(text), source),
            ("regex", Some(text)) => m.set_packkit("tag-regex", Value::from(text), source),
            ("strict", _) => {}
            _ => m.cannot(
                PYPROJECT,
                &format!("{prefix}.tag.{key}"),
                "not a tag setting packkit knows",
                "use `tag-prefix` or `tag-regex` in [tool.packkit]",
            ),
        }
    }
}

/// The top of the git repository holding `dir`, relative to it (`..`, `../..`).
fn git_root_above(dir: &std::path::Path) -> Option<String> {
    let absolute = dir.canonicalize().ok()?;
    for (depth, folder) in absolute.ancestors().enumerate().skip(1) {
        if folder.join(".git").exists() {
            return Some(vec![".."; depth].join("/"));
        }
    }
    None
}
