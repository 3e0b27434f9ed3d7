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
            });
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
