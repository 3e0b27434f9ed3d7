//! What goes into the wheel and the sdist, and why each file is in or out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::glob::Patterns;
use super::layout::Layout;
use crate::error::{Error, Result};
use crate::paths::{self, OUTPUT_DIRS, relative_slash};

/// A file to archive: where it is read from, and its path inside the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Included {
    pub source: PathBuf,
    pub reason: String,
}

/// Archive path → file, sorted (archives list their entries in this order).
pub type Selection = BTreeMap<String, Included>;

/// A file left out, and why (for `packkit files`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub path: String,
    pub reason: String,
}

/// Refuse a symlink whose target is outside the project (it would ship someone else's file).
fn check_inside(project: &Path, path: &Path) -> Result<()> {
    if !paths::resolves_inside(project, path).map_err(|err| Error::io(path, err))? {
        let resolved = path.canonicalize().map_err(|err| Error::io(path, err))?;
        return Err(Error::build(
            format!(
                "refusing {}: it is a symlink to {}, outside the project",
                relative_slash(path, project),
                resolved.display()
            ),
            Some(
                "copy the file into the project, or exclude it with [tool.packkit] exclude"
                    .to_owned(),
            ),
        ));
    }
    Ok(())
}

/// Every file under `dir` (sorted), skipping caches and VCS folders; symlinks must stay inside
/// the project.
fn walk(project: &Path, dir: &Path, skip_output: bool) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    let walker = walker.filter_entry(|entry| {
        let name = entry.file_name().to_string_lossy();
        let top_level = entry.depth() == 1 && dir == project;
        !(entry.file_type().is_dir()
            && (paths::is_skipped_dir(entry.path())
                || (skip_output
                    && top_level
                    && (OUTPUT_DIRS.contains(&name.as_ref()) || name.ends_with(".egg-info")))))
    });
    for entry in walker {
        let entry = entry.map_err(|err| {
            let path = err
                .path()
                .map_or_else(|| dir.to_path_buf(), Path::to_path_buf);
            Error::build(format!("cannot read {}: {err}", path.display()), None)
        })?;
        if entry.path_is_symlink() {
            check_inside(project, entry.path())?;
        }
        if entry.file_type().is_file()
            && !paths::is_skipped_file(&entry.file_name().to_string_lossy())
        {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// The wheel's files: everything inside the package roots, minus `exclude`.
pub(super) fn wheel_files(
    project: &Path,
    layout: &Layout,
    exclude: &Patterns,
) -> Result<(Selection, Vec<Excluded>)> {
    let mut selection = Selection::new();
    let mut excluded = Vec::new();
    for root in &layout.roots {
        let source = project.join(&root.source);
        let files = if source.is_file() {
            if std::fs::symlink_metadata(&source).is_ok_and(|m| m.file_type().is_symlink()) {
                check_inside(project, &source)?;
            }
            vec![source.clone()]
        } else {
            walk(project, &source, false)?
        };
        for file in files {
            let relative = relative_slash(&file, project);
            if let Some(pattern) = exclude.matching(&relative) {
                excluded.push(Excluded {
                    path: relative,
                    reason: format!("excluded by {pattern:?}"),
                });
                continue;
            }
            let inside = relative_slash(&file, &source);
            let target = if inside.is_empty() {
                root.target.clone()
            } else {
                format!("{}/{inside}", root.target)
            };
            let reason = if file.extension().is_some_and(|e| e == "py") {
                format!("module of {}", root.target)
            } else {
                format!("package data of {}", root.target)
            };
            selection.insert(
                target,
                Included {
                    source: file,
                    reason,
                },
            );
        }
    }
    Ok((selection, excluded))
}

/// The files of a folder of the project (for `.data/`), by path relative to the folder.
pub(super) fn folder_files(project: &Path, folder: &str) -> Result<Vec<(String, PathBuf)>> {
    let dir = project.join(folder);
    if !dir.is_dir() {
        return Err(Error::build(
            format!(
                "`tool.packkit.data`: the folder {folder:?} does not exist in {}",
                project.display()
            ),
            Some("give a folder relative to pyproject.toml".to_owned()),
        ));
    }
    check_inside(project, &dir)?;
    Ok(walk(project, &dir, false)?
        .into_iter()
        .map(|file| (relative_slash(&file, &dir), file))
        .collect())
}

/// The sdist's files (paths relative to the project): what git tracks (or, outside git, every
/// file but caches and build output), minus `exclude`, plus `include` and `required`.
pub(super) fn sdist_files(
    project: &Path,
    tracked: Option<Vec<String>>,
    include: &Patterns,
    exclude: &Patterns,
    required: &[String],
) -> Result<(Selection, Vec<Excluded>)> {
    let mut selection = Selection::new();
    let mut excluded = Vec::new();
    let all_files: Vec<String> = walk(project, project, true)?
        .iter()
        .map(|f| relative_slash(f, project))
        .collect();
    let tracked: Option<std::collections::BTreeSet<String>> =
        tracked.map(|t| t.into_iter().collect());
    for relative in all_files {
        let required_file = required.contains(&relative);
        let reason = if required_file {
            "always in an sdist".to_owned()
        } else if let Some(pattern) = include.matching(&relative) {
            format!("included by {pattern:?}")
        } else if let Some(tracked) = &tracked {
            if !tracked.contains(&relative) {
                excluded.push(Excluded {
                    path: relative,
                    reason: "not tracked by git".to_owned(),
                });
                continue;
            }
            "tracked by git".to_owned()
        } else {
            "in the project folder (no git)".to_owned()
        };
        if !required_file {
            if let Some(pattern) = exclude.matching(&relative) {
                excluded.push(Excluded {
                    path: relative,
                    reason: format!("excluded by {pattern:?}"),
                });
                continue;
            }
        }
        selection.insert(
            relative.clone(),
            Included {
                source: project.join(&relative),
                reason,
            },
        );
    }
    Ok((selection, excluded))
}
