//! Paths of the project: `/`-separated archive paths, the one "stays inside the project" rule
//! (lexical for what pyproject.toml names, real for what is on disk), and the folders that are
//! never archived. Every module that reads or writes a path of the project asks here.

use std::path::{Component, Path, PathBuf};

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

/// `path` without its `.` components (`./.` is `.`, `./src` is `src`), for messages and for
/// joining. `..` stays: past a symbolic link it does not mean the lexical parent.
pub fn without_dots(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
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
    /// A `..` component (or, for a path to write, one that climbs out of the project).
    Parent,
    /// A symbolic link on the way leads out of the project.
    Symlink,
}

impl Outside {
    pub fn message(self) -> &'static str {
        match self {
            Outside::Empty => "the path is empty",
            Outside::Absolute => "the path must be relative to the project directory",
            Outside::Parent => "the path must stay inside the project directory (no `..`)",
            Outside::Symlink => {
                "the path leads outside the project directory (through a symbolic link)"
            }
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

/// Where packkit may write `relative` (a path from pyproject.toml, relative to `root`): the
/// absolute path, if it stays inside `root` lexically (`a/../b` is fine, `../x` is not
/// unless it comes back in) and really (no symlink on the way, or at the file itself, leads
/// out). Checked when the settings are read and again just before writing.
pub fn writable_inside(root: &Path, relative: &str) -> Result<PathBuf, Outside> {
    if relative.is_empty() {
        return Err(Outside::Empty);
    }
    if relative.starts_with(['/', '\\']) || relative.get(1..2) == Some(":") {
        return Err(Outside::Absolute);
    }
    let root = root.canonicalize().map_err(|_| Outside::Symlink)?;
    let mut target = root.clone();
    for part in relative.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if !target.pop() {
                    return Err(Outside::Parent);
                }
            }
            name => target.push(name),
        }
    }
    if target == root || !target.starts_with(&root) {
        return Err(Outside::Parent);
    }
    // The deepest folder that exists, with its symlinks followed, must be inside; the file
    // itself must not be a symlink (a reader of it would be sent elsewhere).
    if target
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(Outside::Symlink);
    }
    let existing = target
        .ancestors()
        .skip(1)
        .find(|folder| folder.exists())
        .unwrap_or(&root);
    match existing.canonicalize() {
        Ok(real) if real.starts_with(&root) => Ok(target),
        _ => Err(Outside::Symlink),
    }
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

    #[test]
    fn paths_to_write_must_end_inside_the_project() {
        let root = tempfile::tempdir().unwrap();
        let project = root.path().join("proj");
        std::fs::create_dir_all(project.join("src/pkg")).unwrap();
        let real = project.canonicalize().unwrap();
        let inside = |text: &str| writable_inside(&project, text);
        assert_eq!(
            inside("src/pkg/_version.py"),
            Ok(real.join("src/pkg/_version.py"))
        );
        assert_eq!(inside("new/dir/v.txt"), Ok(real.join("new/dir/v.txt")));
        assert_eq!(inside("../proj/src/v.py"), Ok(real.join("src/v.py")));
        assert_eq!(inside("../x.pth"), Err(Outside::Parent));
        assert_eq!(inside("src/../../x.pth"), Err(Outside::Parent));
        assert_eq!(inside(".."), Err(Outside::Parent));
        assert_eq!(inside("."), Err(Outside::Parent));
        assert_eq!(inside("/abs/zz.pth"), Err(Outside::Absolute));
        assert_eq!(inside(""), Err(Outside::Empty));
    }

    #[cfg(unix)]
    #[test]
    fn paths_to_write_may_not_pass_through_a_symlink_out() {
        let root = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(root.path().join("src")).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("src/pkg")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("f"), root.path().join("link.py")).unwrap();
        let check = |text: &str| writable_inside(root.path(), text);
        assert_eq!(check("src/pkg/_version.py"), Err(Outside::Symlink));
        assert_eq!(check("src/pkg/deeper/_version.py"), Err(Outside::Symlink));
        assert_eq!(check("link.py"), Err(Outside::Symlink));
        assert!(check("src/_version.py").is_ok());
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
