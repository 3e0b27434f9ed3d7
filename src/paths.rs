//! Paths of the project: `/`-separated archive paths, the one "stays inside the project" rule
//! (lexical for what pyproject.toml names, real for what is on disk), and the folders that are
//! never archived. Every module that reads or writes a path of the project asks here.

use std::path::{Component, Path};

/// Folders never archived nor walked: version control, caches, virtual environments.
pub const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".hypothesis",
    ".venv",
    ".eggs",
    "node_modules",
];

/// Top-level folders of build output, left out of an sdist built outside git.
pub const OUTPUT_DIRS: &[&str] = &["dist", "build", "target", "venv"];

/// Files never archived: compiled bytecode and Finder litter.
pub fn is_skipped_file(name: &str) -> bool {
    let extension = Path::new(name).extension().unwrap_or_default();
    extension.eq_ignore_ascii_case("pyc")
        || extension.eq_ignore_ascii_case("pyo")
        || name == ".DS_Store"
}

/// Is `dir` a folder never walked: one of [`SKIPPED_DIRS`], or any virtual environment?
pub fn is_skipped_dir(dir: &Path) -> bool {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    SKIPPED_DIRS.contains(&name) || dir.join("pyvenv.cfg").is_file()
}

/// `a/b/c` for a path, whatever the platform's separator.
pub fn slash(path: &Path) -> String {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| match c {
            // An absolute path keeps its leading `/` once joined.
            Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `/`-separated path of `path` relative to `base` (`path` itself when it is not below it).
pub fn relative_slash(path: &Path, base: &Path) -> String {
    slash(path.strip_prefix(base).unwrap_or(path))
}

/// Why a path written in a configuration file would leave the project, lexically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outside {
    Empty,
    /// `/x`, `\x`, `C:x`: rooted somewhere else than the project.
    Absolute,
    /// A `..` component.
    Parent,
}

impl Outside {
    pub fn message(self) -> &'static str {
        match self {
            Outside::Empty => "the path is empty",
            Outside::Absolute => "the path must be relative to the project directory",
            Outside::Parent => "the path must stay inside the project directory (no `..`)",
        }
    }
}

/// The lexical rule for a path named in pyproject.toml (relative to the project): not empty,
/// not rooted (`/`, `\`, a drive letter), no `..` between either separator.
pub fn check_relative(text: &str) -> Result<(), Outside> {
    if text.is_empty() {
        Err(Outside::Empty)
    } else if text.starts_with(['/', '\\']) || text.get(1..2) == Some(":") {
        Err(Outside::Absolute)
    } else if text.split(['/', '\\']).any(|part| part == "..") {
        Err(Outside::Parent)
    } else {
        Ok(())
    }
}

/// The same rule for a gitignore-style glob, where a leading `/` anchors the pattern at the
/// project instead of the file system.
pub fn check_glob(pattern: &str) -> Result<(), Outside> {
    let anchored = pattern.strip_prefix('/').unwrap_or(pattern);
    if anchored.is_empty() && !pattern.is_empty() {
        return Err(Outside::Empty);
    }
    check_relative(anchored)
}

/// Does `path` (which exists) stay inside `root` once every symlink is followed?
pub fn resolves_inside(root: &Path, path: &Path) -> std::io::Result<bool> {
    Ok(path.canonicalize()?.starts_with(root.canonicalize()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_rule_refuses_every_way_out() {
        assert_eq!(check_relative("src/pkg"), Ok(()));
        assert_eq!(check_relative("a/..b/c"), Ok(()));
        assert_eq!(check_relative(""), Err(Outside::Empty));
        assert_eq!(check_relative("/etc/passwd"), Err(Outside::Absolute));
        assert_eq!(check_relative("\\share"), Err(Outside::Absolute));
        assert_eq!(check_relative("C:evil"), Err(Outside::Absolute));
        assert_eq!(check_relative("../x"), Err(Outside::Parent));
        assert_eq!(check_relative("a/../../x"), Err(Outside::Parent));
        assert_eq!(check_relative("a\\..\\x"), Err(Outside::Parent));
    }

    #[test]
    fn globs_may_be_anchored_with_a_slash() {
        assert_eq!(check_glob("/docs"), Ok(()));
        assert_eq!(check_glob("*.log"), Ok(()));
        assert_eq!(check_glob("/"), Err(Outside::Empty));
        assert_eq!(check_glob("/../x"), Err(Outside::Parent));
        assert_eq!(check_glob("//etc"), Err(Outside::Absolute));
    }

    #[test]
    fn slash_paths() {
        assert_eq!(slash(Path::new("./a/b/c.py")), "a/b/c.py");
        assert_eq!(
            relative_slash(Path::new("/p/src/x"), Path::new("/p")),
            "src/x"
        );
        assert_eq!(relative_slash(Path::new("/q/x"), Path::new("/p")), "/q/x");
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_root_are_outside() {
        let root = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(other.path().join("secret"), "x").unwrap();
        std::fs::write(root.path().join("mine"), "x").unwrap();
        std::os::unix::fs::symlink(other.path().join("secret"), root.path().join("link")).unwrap();
        assert!(resolves_inside(root.path(), &root.path().join("mine")).unwrap());
        assert!(!resolves_inside(root.path(), &root.path().join("link")).unwrap());
    }
}
