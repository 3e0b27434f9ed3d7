//! hatchling (and hatch-vcs): `[tool.hatch.version]`, `[tool.hatch.build.hooks.vcs]`,
//! `[tool.hatch.build]` and its `targets.wheel` / `targets.sdist`, `[tool.hatch.metadata]`.

use toml_edit::{Item, Value};

use super::setuptools_scm::{clone_table, options};
use super::{Migration, PYPROJECT, shown, strings_of};

pub(super) fn translate(m: &mut Migration<'_>) {
    version(m);
    vcs_hook(m);
    build(m, &["tool", "hatch", "build"]);
    build(m, &["tool", "hatch", "build", "targets", "wheel"]);
    m.sdist_only(&["tool", "hatch", "build", "targets", "sdist"]);
    metadata(m);
}

fn version(m: &mut Migration<'_>) {
    const T: &str = "tool.hatch.version";
    let Some(table) = m.table(&["tool", "hatch", "version"]).map(clone_table) else {
        return;
    };
    m.translated_table(&["tool", "hatch", "version"]);
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let source = get("source")
        .and_then(|s| s.as_str().map(str::to_owned))
        .unwrap_or_else(|| "regex".into());
    if source != "vcs" {
        let path = get("path").and_then(|p| p.as_str().map(str::to_owned));
        let from = path.map_or_else(
            || format!("source = {source:?}"),
            |p| format!("path = {p:?}"),
        );
        m.version_from_git(
            PYPROJECT,
            &format!("[{T}] {from}"),
            "tag each release (`git tag v<version>`); the version written in the file is no longer read",
        );
        return;
    }
    m.version_from_git(PYPROJECT, &format!("[{T}] source = \"vcs\""), "");
    for (key, item) in &table {
        let source = format!("[{T}] {}", shown(key, item));
        match key.as_str() {
            "source" => {}
            "tag-pattern" => match item.as_str() {
                Some(pattern) => m.set_packkit(
                    "tag-regex",
                    Value::from(pattern),
                    &format!("{source} (as tag-regex)"),
                ),
                None => m.cannot(
                    PYPROJECT,
                    &format!("{T}.{key}"),
                    "expected a string",
                    "set `tag-regex` in [tool.packkit]",
                ),
            },
            "fallback-version" => match item.as_str() {
                Some(version) => m.set_packkit("fallback-version", Value::from(version), &source),
                None => m.cannot(
                    PYPROJECT,
                    &format!("{T}.{key}"),
                    "expected a string",
                    "set `fallback-version` in [tool.packkit]",
                ),
            },
            "raw-options" => match item.as_table_like() {
                Some(raw) => options(m, &clone_table(raw), &format!("{T}.raw-options")),
                None => m.cannot(
                    PYPROJECT,
                    &format!("{T}.{key}"),
                    "expected a table",
                    "set the version keys in [tool.packkit]",
                ),
            },
            _ => m.cannot(
                PYPROJECT,
                &format!("{T}.{key}"),
                "not a hatch-vcs setting packkit knows",
                "remove it, or find its [tool.packkit] equivalent in docs/configuration.rst",
            ),
        }
    }
}

/// `[tool.hatch.build.hooks.vcs]`: the version file hatch-vcs writes (urllib3's `_version.py`;
/// losing it makes `import` fail after a switch by hand).
fn vcs_hook(m: &mut Migration<'_>) {
    const T: &str = "tool.hatch.build.hooks.vcs";
    let Some(table) = m
        .table(&["tool", "hatch", "build", "hooks", "vcs"])
        .map(clone_table)
    else {
        return;
    };
    m.translated_table(&["tool", "hatch", "build", "hooks", "vcs"]);
    for (key, item) in &table {
        let source = format!("[{T}] {}", shown(key, item));
        let target = match key.as_str() {
            "version-file" => "version-file",
            "template" => "version-file-template",
            _ => {
                m.cannot(
                    PYPROJECT,
                    &format!("{T}.{key}"),
                    "not a hatch-vcs hook setting packkit knows",
                    "remove it",
                );
                continue;
            }
        };
        match item.as_str() {
            Some(text) => m.set_packkit(target, Value::from(text), &source),
            None => m.cannot(
                PYPROJECT,
                &format!("{T}.{key}"),
                "expected a string",
                format!("set `{target}` in [tool.packkit]"),
            ),
        }
    }
}

/// `[tool.hatch.build]` (every target) or `[tool.hatch.build.targets.wheel]`.
fn build(m: &mut Migration<'_>, keys: &[&str]) {
    let Some(table) = m.table(keys).map(clone_table) else {
        return;
    };
    let prefix = keys.join(".");
    let problems_before = m.untranslatable.len();
    for (key, item) in &table {
        let full = format!("{prefix}.{key}");
        let source = format!("[{prefix}] {}", shown(key, item));
        match key.as_str() {
            "packages" | "only-include" | "include" => {
                let Some(paths) = strings_of(Some(item)) else {
                    m.cannot(PYPROJECT, &full, "expected a list of paths", "set `packages` in [tool.packkit]");
                    continue;
                };
                let mut others = Vec::new();
                for path in paths {
                    let cleaned = path.trim_start_matches('/').trim_end_matches('/').to_owned();
                    if is_code(m, &cleaned) {
                        m.add_package(cleaned);
                    } else {
                        others.push(path);
                    }
                }
                if others.is_empty() {
                    m.change(PYPROJECT, source, "[tool.packkit] packages");
                } else if key == "include" && keys.len() == 3 {
                    // Top-level `include` shapes the sdist too: packkit's sdist holds what git
                    // tracks, so only the wheel's code matters here.
                    m.change(PYPROJECT, source, "the sdist holds the files git tracks; packages kept");
                } else {
                    m.cannot(
                        PYPROJECT,
                        &full,
                        format!("{others:?} are not package folders or modules: packkit's wheel holds the packages' files only"),
                        "list the packages in [tool.packkit] packages; for data, use [tool.packkit.data]",
                    );
                }
            }
            "exclude" => match strings_of(Some(item)) {
                Some(globs) => {
                    for glob in globs {
                        m.add_exclude(glob);
                    }
                    m.change(PYPROJECT, source, "[tool.packkit] exclude");
                }
                None => m.cannot(PYPROJECT, &full, "expected a list of globs", "set `exclude` in [tool.packkit]"),
            },
            "sources" => {
                let strips_src = strings_of(Some(item)).is_some_and(|s| s == ["src"])
                    || item.as_table_like().is_some_and(|t| {
                        t.len() == 1 && t.get("src").and_then(Item::as_str) == Some("")
                    });
                if strips_src {
                    m.change(PYPROJECT, source, "not needed (packkit puts src/<package> at the top of the wheel)");
                } else {
                    m.cannot(PYPROJECT, &full, "packkit does not rewrite paths in the wheel", "move the code to src/<package> or <package>/, then list it in [tool.packkit] packages");
                }
            }
            "force-include" => m.cannot(
                PYPROJECT,
                &full,
                "files from outside the packages, or renamed into the wheel, have no packkit equivalent",
                "move the files into the package folder, or use [tool.packkit.data] for data files",
            ),
            "artifacts" => m.cannot(
                PYPROJECT,
                &full,
                "packkit never ships git-ignored files",
                "commit the files, or generate them into the package before building",
            ),
            "shared-data" | "shared-scripts" => m.cannot(
                PYPROJECT,
                &full,
                "hatch maps single files; packkit maps one folder per scheme",
                "put the files in one folder and name it in [tool.packkit.data] (data or scripts)",
            ),
            "hooks" => {
                // hatch-vcs' hook is translated by `vcs_hook`; any other runs build code.
                let others: Vec<String> = item
                    .as_table_like()
                    .map(|t| {
                        t.iter()
                            .map(|(k, _)| k.to_owned())
                            .filter(|k| k != "vcs")
                            .collect()
                    })
                    .unwrap_or_default();
                if !others.is_empty() {
                    m.cannot(
                        PYPROJECT,
                        &full,
                        format!("build hooks ({}) run code; packkit runs none", others.join(", ")),
                        "generate what they make before building (and commit it, or list it in [tool.packkit] include), or stay on hatchling",
                    );
                }
            }
            "targets" => {} // the wheel and sdist targets are read on their own
            "dev-mode-dirs" | "dev-mode-exact" | "bypass-selection" | "strict-naming"
            | "reproducible" | "directory" | "skip-excluded-dirs" | "ignore-vcs"
            | "require-runtime-dependencies" | "require-runtime-features" | "versions"
            | "core-metadata-version" | "macos-max-compat" | "support-legacy" => {
                m.change(PYPROJECT, source, "dropped (packkit's behaviour is fixed)");
            }
            _ => m.cannot(PYPROJECT, &full, "not a hatch build setting packkit knows", "remove it, or see docs/migration.rst"),
        }
    }
    // `--clean` removes the wheel target only when all of it was translated.
    if keys.len() > 3 && m.untranslatable.len() == problems_before {
        m.translated_table(keys);
    }
}

/// A package folder or module of the project (what `[tool.packkit] packages` takes).
fn is_code(m: &Migration<'_>, path: &str) -> bool {
    if crate::paths::check_relative(path).is_err() {
        return false;
    }
    let full = m.dir.join(path);
    (full.is_dir() && full.join("__init__.py").is_file())
        || (full.is_file() && super::is_module(path))
        || (full.is_dir() && has_init_below(&full))
}

/// A namespace folder: a package somewhere below it.
fn has_init_below(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(std::result::Result::ok)
            .any(|e| e.path().join("__init__.py").is_file())
    })
}

fn metadata(m: &mut Migration<'_>) {
    let Some(table) = m.table(&["tool", "hatch", "metadata"]).map(clone_table) else {
        return;
    };
    let mut translated = true;
    for (key, item) in &table {
        let full = format!("tool.hatch.metadata.{key}");
        match key.as_str() {
            "allow-direct-references" | "allow-ambiguous-features" => {
                m.change(
                    PYPROJECT,
                    format!("[tool.hatch.metadata] {}", shown(key, item)),
                    "not needed (packkit accepts them)",
                );
            }
            "hooks" => {
                let names: Vec<String> = item
                    .as_table_like()
                    .map(|t| t.iter().map(|(k, _)| k.to_owned()).collect())
                    .unwrap_or_default();
                translated = false;
                m.cannot(
                    PYPROJECT,
                    &full,
                    format!("metadata hooks ({}) run plugin code; packkit runs none", names.join(", ")),
                    "write the fields they fill (often `readme`) in [project] and remove them from `dynamic`",
                );
            }
            _ => m.cannot(
                PYPROJECT,
                &full,
                "not a hatch metadata setting packkit knows",
                "remove it",
            ),
        }
    }
    if translated {
        m.translated_table(&["tool", "hatch", "metadata"]);
    }
}
