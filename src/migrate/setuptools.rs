//! setuptools: `[tool.setuptools]` (packages, `packages.find`, `package-dir`, `py-modules`,
//! `package-data`, `dynamic`), and a `setup.py` that only calls `setup()`.

use std::path::Path;

use toml_edit::{Item, TableLike, Value};

use super::setuptools_scm::clone_table;
use super::{Migration, PYPROJECT, shown, strings_of, wildcard};

const T: &str = "tool.setuptools";

pub(super) fn translate(m: &mut Migration<'_>) {
    let Some(table) = m.table(&["tool", "setuptools"]).map(clone_table) else {
        return;
    };
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let package_dir: Vec<(String, String)> = get("package-dir")
        .and_then(|item| {
            item.as_table_like().map(|t| {
                t.iter()
                    .filter_map(|(k, v)| Some((k.to_owned(), v.as_str()?.to_owned())))
                    .collect()
            })
        })
        .unwrap_or_default();
    let mut translated = true;
    for (key, item) in &table {
        let full = format!("{T}.{key}");
        let source = format!("[{T}] {}", shown(key, item));
        match key.as_str() {
            "package-dir" => m.change(PYPROJECT, source, "used to find the packages' paths"),
            "packages" => {
                if let Some(names) = strings_of(Some(item)) {
                    for path in listed_packages(&names, &package_dir) {
                        add_checked(m, &full, path);
                    }
                    m.change(PYPROJECT, source, "[tool.packkit] packages");
                } else if let Some(find) = item.get("find").and_then(Item::as_table_like) {
                    let found = find_packages(m.dir, &Find::from_toml(find, &package_dir));
                    if found.is_empty() {
                        translated = false;
                        m.cannot(
                            PYPROJECT,
                            &format!("{full}.find"),
                            "finds no package in the project",
                            "list the package paths in [tool.packkit] packages",
                        );
                    }
                    for path in found {
                        m.add_package(path);
                    }
                    m.change(
                        PYPROJECT,
                        format!("[{T}.packages.find] ..."),
                        "[tool.packkit] packages (the packages it finds today)",
                    );
                } else {
                    translated = false;
                    m.cannot(
                        PYPROJECT,
                        &full,
                        "expected a list of package names or a `find` table",
                        "list the package paths in [tool.packkit] packages",
                    );
                }
            }
            "py-modules" => match strings_of(Some(item)) {
                Some(modules) => {
                    for module in modules {
                        let base = base_of(&package_dir);
                        add_checked(
                            m,
                            &full,
                            join(&base, &format!("{}.py", module.replace('.', "/"))),
                        );
                    }
                    m.change(PYPROJECT, source, "[tool.packkit] packages");
                }
                None => m.cannot(
                    PYPROJECT,
                    &full,
                    "expected a list of module names",
                    "list the modules in [tool.packkit] packages",
                ),
            },
            "package-data" | "include-package-data" => m.change(
                PYPROJECT,
                source,
                "not needed (packkit ships every file git tracks in the package folders)",
            ),
            "exclude-package-data" => {
                let globs: Vec<String> = item
                    .as_table_like()
                    .map(|t| {
                        t.iter()
                            .flat_map(|(package, globs)| {
                                let dir = if package.is_empty() || package == "*" {
                                    String::new()
                                } else {
                                    format!("{}/", package.replace('.', "/"))
                                };
                                strings_of(Some(globs))
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(move |g| format!("{dir}{g}"))
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                for glob in globs {
                    m.add_exclude(glob);
                }
                m.change(PYPROJECT, source, "[tool.packkit] exclude");
            }
            "zip-safe" | "platforms" | "provides" | "obsoletes" | "license-files"
            | "namespace-packages" => {
                m.change(PYPROJECT, source, "dropped (no effect on a modern wheel)");
            }
            "dynamic" => dynamic(m, item),
            "data-files" => {
                translated = false;
                m.cannot(
                    PYPROJECT,
                    &full,
                    "setuptools' data-files install single files anywhere under the prefix",
                    "put them in one folder and name it in [tool.packkit.data] data",
                );
            }
            "script-files" => {
                translated = false;
                m.cannot(PYPROJECT, &full, "script files are copied one by one", "put them in one folder and name it in [tool.packkit.data] scripts, or use [project.scripts]");
            }
            _ => {
                translated = false;
                m.cannot(PYPROJECT, &full, "not a setuptools setting packkit can translate (extensions and commands need setuptools)", "remove it, or stay on setuptools for compiled code");
            }
        }
    }
    if translated {
        m.translated_table(&["tool", "setuptools"]);
    }
}

/// `[tool.setuptools.dynamic]`: `version` (attr/file) becomes git's; `readme` from a file
/// becomes `[project] readme`; the rest must be written out.
fn dynamic(m: &mut Migration<'_>, item: &Item) {
    let Some(table) = item.as_table_like() else {
        return;
    };
    for (field, spec) in table.iter() {
        let full = format!("{T}.dynamic.{field}");
        let source = format!("[{T}.dynamic] {}", shown(field, spec));
        match field {
            "version" => m.version_from_git(
                PYPROJECT,
                &source,
                "tag each release (`git tag v<version>`); the version in the code is no longer read",
            ),
            "readme" => {
                let files = spec.get("file").and_then(|f| strings_of(Some(f)));
                match files.as_deref() {
                    Some([file]) => {
                        let mut readme = toml_edit::InlineTable::new();
                        readme.insert("file", file.as_str().into());
                        if let Some(kind) = spec.get("content-type").and_then(Item::as_str) {
                            readme.insert("content-type", kind.into());
                        }
                        if m.set_project("readme", Value::InlineTable(readme)) {
                            m.make_static("readme");
                            m.change(PYPROJECT, source, format!("[project] readme = {file:?}"));
                        }
                    }
                    _ => m.cannot(PYPROJECT, &full, "a readme joined from several files", "join them into one file and set `readme` in [project]"),
                }
            }
            _ => m.cannot(
                PYPROJECT,
                &full,
                format!("`{field}` is read by setuptools from a file or attribute at build time"),
                format!("write `{field}` in [project] and remove it from `dynamic`"),
            ),
        }
    }
}

fn add_checked(m: &mut Migration<'_>, key: &str, path: String) {
    if crate::paths::check_relative(&path).is_ok() && m.dir.join(&path).exists() {
        m.add_package(path);
    } else {
        m.cannot(
            PYPROJECT,
            key,
            format!("{path:?} does not exist in the project"),
            "list the package paths in [tool.packkit] packages",
        );
    }
}

/// The folder `package-dir` gives the root packages (`"" = "src"`), or the project.
fn base_of(package_dir: &[(String, String)]) -> String {
    package_dir
        .iter()
        .find(|(k, _)| k.is_empty())
        .map(|(_, v)| v.trim_end_matches('/').to_owned())
        .unwrap_or_default()
}

fn join(base: &str, tail: &str) -> String {
    if base.is_empty() || base == "." {
        tail.to_owned()
    } else {
        format!("{base}/{tail}")
    }
}

/// setuptools' list of (dotted) packages, subpackages included → the top-level paths.
pub(super) fn listed_packages(names: &[String], package_dir: &[(String, String)]) -> Vec<String> {
    let base = base_of(package_dir);
    let mut out = Vec::new();
    for name in names {
        let inside_listed = names
            .iter()
            .any(|other| name.len() > other.len() && name.starts_with(&format!("{other}.")));
        if inside_listed {
            continue;
        }
        let path = package_dir.iter().find(|(k, _)| k == name).map_or_else(
            || join(&base, &name.replace('.', "/")),
            |(_, v)| v.trim_end_matches('/').to_owned(),
        );
        if !out.contains(&path) {
            out.push(path);
        }
    }
    out
}

/// setuptools' `find:` settings.
pub(super) struct Find {
    pub where_: Vec<String>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub namespaces: bool,
}

impl Find {
    fn from_toml(table: &dyn TableLike, package_dir: &[(String, String)]) -> Self {
        let list = |key: &str| strings_of(table.get(key)).unwrap_or_default();
        let mut where_ = list("where");
        if where_.is_empty() {
            let base = base_of(package_dir);
            where_.push(if base.is_empty() { ".".into() } else { base });
        }
        Find {
            where_,
            include: list("include"),
            exclude: list("exclude"),
            // In pyproject.toml, `find` finds namespace packages unless told not to.
            namespaces: table
                .get("namespaces")
                .and_then(Item::as_bool)
                .unwrap_or(true),
        }
    }
}

/// The top-level package paths setuptools' `find` finds.
pub(super) fn find_packages(dir: &Path, find: &Find) -> Vec<String> {
    let mut out = Vec::new();
    for base in &find.where_ {
        let base = base.trim_end_matches('/');
        if crate::paths::check_relative(base).is_err() && base != "." {
            continue;
        }
        let base = if base == "." { "" } else { base };
        let mut stack = vec![(String::new(), 0usize)];
        while let Some((dotted, depth)) = stack.pop() {
            let folder = dir.join(base).join(dotted.replace('.', "/"));
            let Ok(entries) = std::fs::read_dir(&folder) else {
                continue;
            };
            let mut names: Vec<String> = entries
                .filter_map(std::result::Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|e| e.file_name().to_str().map(str::to_owned))
                .filter(|n| {
                    n.chars()
                        .next()
                        .is_some_and(|c| c.is_alphabetic() || c == '_')
                })
                .filter(|n| n.chars().all(|c| c.is_alphanumeric() || c == '_'))
                .collect();
            names.sort();
            for name in names {
                let full = if dotted.is_empty() {
                    name.clone()
                } else {
                    format!("{dotted}.{name}")
                };
                let is_package = folder.join(&name).join("__init__.py").is_file();
                let included = (find.include.is_empty()
                    || find.include.iter().any(|p| wildcard(p, &full)))
                    && !find.exclude.iter().any(|p| wildcard(p, &full));
                if is_package && included {
                    out.push(join(base, &full.replace('.', "/")));
                } else if find.namespaces && depth < 3 {
                    stack.push((full, depth + 1));
                }
            }
        }
    }
    out.sort();
    out
}

/// `setup.py`: one that only calls `setup()` (perhaps with `use_scm_version`, as PyScaffold's
/// does) is no longer needed; any other runs code packkit never runs.
pub(super) fn setup_py(m: &mut Migration<'_>, text: &str) {
    let Some(arguments) = setup_call_arguments(text) else {
        m.cannot(
            "setup.py",
            "setup.py",
            "no setup() call found",
            "move its configuration to pyproject.toml, then delete it",
        );
        return;
    };
    let plain: String = arguments.split_whitespace().collect::<Vec<_>>().join(" ");
    if plain.is_empty() {
        m.change("setup.py", "setup()", "not needed (delete setup.py)");
        return;
    }
    if let Some(options) = plain.strip_prefix("use_scm_version=") {
        m.version_from_git("setup.py", &format!("setup({plain})"), "delete setup.py");
        for (from, to) in [
            ("version_scheme", "version-scheme"),
            ("local_scheme", "local-scheme"),
        ] {
            if let Some(value) = quoted_after(options, from) {
                m.set_packkit(
                    to,
                    Value::from(value.as_str()),
                    &format!("setup.py use_scm_version {from}"),
                );
            }
        }
        return;
    }
    m.cannot(
        "setup.py",
        "setup()",
        format!("setup.py passes arguments packkit cannot read (it never runs project code): setup({})", truncate(&plain)),
        "move them to [project] in pyproject.toml (or setup.cfg's [metadata]/[options], then migrate again), then delete setup.py",
    );
}

fn truncate(text: &str) -> String {
    if text.chars().count() > 80 {
        format!("{}...", text.chars().take(80).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// The text between the parentheses of the `setup(` call.
fn setup_call_arguments(text: &str) -> Option<String> {
    let mut from = 0;
    while let Some(found) = text.get(from..)?.find("setup(") {
        let at = from + found;
        let before = text.get(..at)?.chars().next_back();
        from = at + "setup(".len();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut depth = 1usize;
        for (offset, c) in text.get(from..)?.char_indices() {
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return text
                            .get(from..from + offset)
                            .map(|s| s.trim().trim_end_matches(',').to_owned());
                    }
                }
                _ => {}
            }
        }
        return None;
    }
    None
}

/// The quoted value after `"key":` in a Python dict literal.
fn quoted_after(text: &str, key: &str) -> Option<String> {
    let at = text.find(key)? + key.len();
    let rest = text.get(at..)?.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let body = rest.get(1..)?;
    body.find(quote)
        .and_then(|end| body.get(..end))
        .map(str::to_owned)
}
