//! Finding the code: which directories and modules of the project become the wheel.

use std::path::{Path, PathBuf};

use super::settings::BuildSettings;
use crate::error::{Error, Result};

/// A package directory or single module, and where it lands in the wheel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRoot {
    /// Relative to the project directory (`src/my_pkg`, `my_module.py`).
    pub source: PathBuf,
    /// The path inside the wheel (`my_pkg`, `my_module.py`).
    pub target: String,
}

/// The code of the project, and the folders an editable install puts on `sys.path`.
#[derive(Debug, Clone)]
pub struct Layout {
    pub roots: Vec<ImportRoot>,
    /// The distinct folders holding the roots (`src`, `lib`, the project), in the order of
    /// the roots: each becomes a line of the editable `.pth`.
    pub path_entries: Vec<PathBuf>,
    /// How the code was found when not by its name (`packkit files` says so).
    pub found_as: Option<String>,
}

/// Top-level folders that hold a project's other code, never its package.
const NOT_THE_PACKAGE: &[&str] = &[
    "tests",
    "test",
    "testing",
    "docs",
    "doc",
    "examples",
    "example",
    "benchmarks",
    "benchmark",
    "scripts",
    "tools",
    "notebooks",
    "build",
    "dist",
    "site",
    "typings",
    "stubs",
];

/// The top-level packages (folders with `__init__.py`) in `dir`, and, when `modules`, the
/// top-level modules, leaving out the usual non-package folders.
fn candidates(project_dir: &Path, base: &str, modules: bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(project_dir.join(base)) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(std::result::Result::ok)
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_owned();
            let path = entry.path();
            let identifier = |stem: &str| {
                stem.chars()
                    .next()
                    .is_some_and(|c| c.is_alphabetic() || c == '_')
                    && stem.chars().all(|c| c.is_alphanumeric() || c == '_')
            };
            if path.join("__init__.py").is_file() {
                (identifier(&name) && !NOT_THE_PACKAGE.contains(&name.as_str()))
                    .then(|| Path::new(base).join(&name))
            } else {
                let stem = name.strip_suffix(".py")?;
                (modules && path.is_file() && identifier(stem) && !stem.starts_with('_'))
                    .then(|| Path::new(base).join(&name))
            }
        })
        .collect();
    found.sort();
    found
}

/// `my-analysis` → `my_analysis`: the import name discovery looks for.
pub(super) fn import_name(normalized_name: &str) -> String {
    normalized_name.replace(['-', '.'], "_")
}

pub(super) fn discover(
    project_dir: &Path,
    normalized_name: &str,
    settings: &BuildSettings,
) -> Result<Layout> {
    if let Some(packages) = &settings.packages {
        return Ok(explicit(project_dir, packages));
    }
    let name = import_name(normalized_name);
    // A namespace package may also be spelled as folders: `acme-tools` → `acme/tools`.
    let dotted = normalized_name.replace(['-', '.'], "/");
    let mut looked_for = Vec::new();
    for base in ["src", ""] {
        let mut candidates: Vec<PathBuf> = Vec::new();
        if settings.namespace {
            candidates.push(Path::new(base).join(&name));
            if dotted != name {
                candidates.push(Path::new(base).join(&dotted));
            }
            looked_for.extend(candidates.iter().map(|c| format!("{}/", slash(c))));
        } else {
            candidates.push(Path::new(base).join(&name));
            looked_for.push(slash(&Path::new(base).join(&name).join("__init__.py")));
        }
        let module = Path::new(base).join(format!("{name}.py"));
        looked_for.push(slash(&module));
        let package = candidates.into_iter().find(|dir| {
            let dir = project_dir.join(dir);
            if settings.namespace {
                dir.is_dir()
            } else {
                dir.join("__init__.py").is_file()
            }
        });
        let source = package.or_else(|| project_dir.join(&module).is_file().then_some(module));
        if let Some(source) = source {
            let target = slash(source.strip_prefix(base).unwrap_or(&source));
            return Ok(Layout {
                roots: vec![ImportRoot { source, target }],
                path_entries: vec![project_dir.join(base)],
                found_as: None,
            });
        }
    }
    // Not by its name: the one package there is (`src/` first, as above), if only one.
    if !settings.namespace {
        for base in ["src", ""] {
            let found = candidates(project_dir, base, !base.is_empty());
            match found.as_slice() {
                [] => {} // none here: the next base
                [source] => {
                    let target = slash(source.strip_prefix(base).unwrap_or(source));
                    return Ok(Layout {
                        roots: vec![ImportRoot {
                            source: source.clone(),
                            target,
                        }],
                        path_entries: vec![project_dir.join(base)],
                        found_as: Some(format!(
                            "the only package {}, as none is named `{name}`",
                            if base.is_empty() {
                                "at the top"
                            } else {
                                "in src/"
                            }
                        )),
                    });
                }
                several => {
                    let listed: Vec<String> = several
                        .iter()
                        .map(|c| format!("\"{}\"", slash(c)))
                        .collect();
                    return Err(Error::build(
                        format!(
                            "no Python package or module named `{name}` in {}, and several \
                             candidates: {}",
                            project_dir.display(),
                            listed.join(", ")
                        ),
                        Some(format!(
                            "say which to ship in pyproject.toml: [tool.packkit] packages = [{}]",
                            listed.join(", ")
                        )),
                    ));
                }
            }
        }
    }
    Err(Error::build(
        format!(
            "no Python package or module named `{name}` in {}: looked for {}",
            project_dir.display(),
            looked_for.join(", ")
        ),
        Some(format!(
            "if the code has another name, list it in pyproject.toml: [tool.packkit] packages = [\"src/your_package\"]{}",
            if settings.namespace {
                ""
            } else {
                " (for a namespace package without __init__.py, also namespace = true)"
            }
        )),
    ))
}

fn slash(path: &Path) -> String {
    crate::paths::slash(path)
}

/// Packages listed in `[tool.packkit] packages` (checked to exist inside the project when the
/// settings were read).
fn explicit(project_dir: &Path, packages: &[String]) -> Layout {
    let mut roots = Vec::new();
    let mut path_entries = Vec::new();
    for package in packages {
        let relative = Path::new(package.trim_end_matches('/'));
        // `src/a/b` is the namespace package `a.b`: it lands at `a/b`, below `src`.
        let (base, target) = match relative.strip_prefix("src") {
            Ok(inside) if !inside.as_os_str().is_empty() => {
                (PathBuf::from("src"), inside.to_path_buf())
            }
            _ => (
                relative.parent().map(Path::to_path_buf).unwrap_or_default(),
                PathBuf::from(relative.file_name().unwrap_or_default()),
            ),
        };
        let entry = project_dir.join(&base);
        if !path_entries.contains(&entry) {
            path_entries.push(entry);
        }
        let target = target
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        roots.push(ImportRoot {
            source: relative.to_path_buf(),
            target,
        });
    }
    Layout {
        roots,
        path_entries,
        found_as: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, path: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "").unwrap();
    }

    #[test]
    fn src_flat_and_module_layouts() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "src/my_pkg/__init__.py");
        let layout = discover(dir.path(), "my-pkg", &BuildSettings::default()).unwrap();
        assert_eq!(
            layout.roots,
            vec![ImportRoot {
                source: "src/my_pkg".into(),
                target: "my_pkg".into()
            }]
        );
        assert_eq!(layout.path_entries, [dir.path().join("src")]);

        let flat = tempfile::tempdir().unwrap();
        touch(flat.path(), "tool.py");
        let layout = discover(flat.path(), "tool", &BuildSettings::default()).unwrap();
        assert_eq!(layout.roots[0].target, "tool.py");
    }

    #[test]
    fn nothing_found_says_what_was_looked_for() {
        let dir = tempfile::tempdir().unwrap();
        let err = discover(dir.path(), "my-pkg", &BuildSettings::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("src/my_pkg/__init__.py, src/my_pkg.py, my_pkg/__init__.py, my_pkg.py"),
            "{err}"
        );
        assert!(err.contains("hint: if the code has another name"), "{err}");
    }

    #[test]
    fn namespace_packages_by_name_or_folders() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "src/acme/tools/core.py");
        let settings = BuildSettings {
            namespace: true,
            ..BuildSettings::default()
        };
        let layout = discover(dir.path(), "acme-tools", &settings).unwrap();
        assert_eq!(
            layout.roots,
            vec![ImportRoot {
                source: "src/acme/tools".into(),
                target: "acme/tools".into()
            }]
        );
    }

    #[test]
    fn one_package_under_another_name_is_found_and_several_are_listed() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "src/churn/__init__.py");
        touch(dir.path(), "tests/__init__.py");
        let layout = discover(dir.path(), "churn-model", &BuildSettings::default()).unwrap();
        assert_eq!(layout.roots[0].source, Path::new("src/churn"));
        assert_eq!(layout.roots[0].target, "churn");
        assert!(layout.found_as.unwrap().contains("only package in src/"));

        touch(dir.path(), "src/helpers.py");
        let err = discover(dir.path(), "churn-model", &BuildSettings::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("several candidates: \"src/churn\", \"src/helpers.py\""),
            "{err}"
        );
        assert!(
            err.contains("packages = [\"src/churn\", \"src/helpers.py\"]"),
            "{err}"
        );

        let flat = tempfile::tempdir().unwrap();
        for path in [
            "analysis/__init__.py",
            "tests/__init__.py",
            "docs/conf.py",
            "noxfile.py",
        ] {
            touch(flat.path(), path);
        }
        let layout = discover(flat.path(), "churn-model", &BuildSettings::default()).unwrap();
        assert_eq!(layout.roots[0].source, Path::new("analysis"));
        assert!(layout.found_as.unwrap().contains("at the top"));
    }

    #[test]
    fn explicit_namespace_package() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "src/acme/tools/__init__.py");
        let settings = BuildSettings {
            packages: Some(vec!["src/acme/tools".into()]),
            ..BuildSettings::default()
        };
        let layout = discover(dir.path(), "acme-tools", &settings).unwrap();
        assert_eq!(layout.roots[0].target, "acme/tools");
    }

    #[test]
    fn explicit_packages_in_several_folders_are_all_path_entries() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), "src/a/__init__.py");
        touch(dir.path(), "src/c/__init__.py");
        touch(dir.path(), "lib/b/__init__.py");
        touch(dir.path(), "tool.py");
        let settings = BuildSettings {
            packages: Some(vec![
                "src/a".into(),
                "lib/b".into(),
                "src/c".into(),
                "tool.py".into(),
            ]),
            ..BuildSettings::default()
        };
        let layout = discover(dir.path(), "demo", &settings).unwrap();
        let targets: Vec<&str> = layout.roots.iter().map(|r| r.target.as_str()).collect();
        assert_eq!(targets, ["a", "b", "c", "tool.py"]);
        assert_eq!(
            layout.path_entries,
            [
                dir.path().join("src"),
                dir.path().join("lib"),
                dir.path().to_path_buf()
            ]
        );
    }
}
