//! What goes into the wheel and the sdist, and why each file is in or out.
//!
//! One walk of the project ([`Sources::scan`]) decides for both archives: a git-ignored,
//! excluded or skipped folder is never entered (so a virtual environment or a link to a
//! mounted disk cannot stop a build), and git's index says which of the files found are the
//! project's. The wheel takes the package folders from that same set, so `pip install .`,
//! `packkit build` and a wheel built from the sdist ship the same files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

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

/// A file (or a folder, with a trailing `/`) left out, and why (for `packkit files`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub path: String,
    pub reason: String,
}

/// The project's files as both archives see them.
pub(super) struct Sources {
    /// Relative `/` path → file: found by the walk (not ignored, skipped or excluded), tracked
    /// by git, or written by the build (`version-file`).
    files: BTreeMap<String, PathBuf>,
    /// The files git tracks below the project; `None` outside git.
    tracked: Option<BTreeSet<String>>,
    /// Written by the build: part of the project whatever git says.
    generated: BTreeSet<String>,
    /// Left out by `exclude`.
    excluded: Vec<Excluded>,
}

impl Sources {
    /// Walk `project` once. Outside git (`tracked` is `None`) the project's own `.gitignore`
    /// files are honoured; in git, everything git honours (info/exclude, the global excludes
    /// file, parent folders' `.gitignore`), and the files git tracks are sources even when
    /// ignored, as in git itself.
    pub(super) fn scan(
        project: &Path,
        tracked: Option<Vec<String>>,
        exclude: &Patterns,
        include: &Patterns,
        generated: &[String],
    ) -> Result<Self> {
        let in_git = tracked.is_some();
        let mut files = BTreeMap::new();
        let mut excluded = Vec::new();
        walk(
            project,
            exclude,
            Some(in_git),
            &mut files,
            &mut excluded,
            &|_| true,
        )?;
        if !include.is_empty() {
            // `include` brings back what git ignores (generated files, say): a second walk,
            // through ignored folders too, that keeps only what `include` names.
            let mut also_excluded = Vec::new();
            walk(
                project,
                exclude,
                None,
                &mut files,
                &mut also_excluded,
                &|relative| include.matching(relative).is_some(),
            )?;
        }
        let tracked: Option<BTreeSet<String>> = tracked.map(|t| t.into_iter().collect());
        // Tracked (or generated) files the walk did not reach: ignored ones, or ones inside
        // an output folder. A path from git's index is input too: it must stay inside.
        let unreached: Vec<&String> = tracked
            .iter()
            .flatten()
            .chain(generated)
            .filter(|relative| !files.contains_key(*relative))
            .collect();
        for relative in unreached {
            if paths::check_relative(relative).is_err()
                || in_skipped_dir(project, relative)
                || paths::is_skipped_file(relative.rsplit('/').next().unwrap_or(relative))
                || exclude.matching(relative).is_some()
            {
                continue;
            }
            let path = project.join(relative);
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue; // deleted since it was added, or not written yet
            };
            if meta.file_type().is_symlink() {
                check_inside(project, &path)?;
            }
            if path.is_file() {
                files.insert(relative.clone(), path);
            }
        }
        excluded.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Sources {
            files,
            tracked,
            generated: generated.iter().cloned().collect(),
            excluded,
        })
    }

    /// Is `relative` one of the project's files: tracked (or no git), written by the build,
    /// or brought in by `include`?
    fn is_source(&self, relative: &str, include: &Patterns) -> bool {
        self.tracked.as_ref().is_none_or(|t| t.contains(relative))
            || self.generated.contains(relative)
            || include.matching(relative).is_some()
    }

    /// The files at `prefix` (a file) or below it (a folder), by relative path.
    fn below(&self, prefix: &str) -> Vec<(&String, &PathBuf)> {
        self.files
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(|(path, _)| path.starts_with(prefix))
            .filter(|(path, _)| {
                prefix.is_empty()
                    || path.len() == prefix.len()
                    || path[prefix.len()..].starts_with('/')
            })
            .collect()
    }

    fn excluded_below(&self, prefix: &str) -> impl Iterator<Item = &Excluded> {
        self.excluded
            .iter()
            .filter(move |e| e.path == prefix || e.path.starts_with(&format!("{prefix}/")))
    }
}

/// Walk `project` into `files` (relative `/` path → path): `ignores` is `Some(in_git)` to
/// honour ignore files (all of git's in git, the project's `.gitignore` files outside), `None`
/// to walk ignored folders too. Skipped, output and excluded folders are never entered;
/// excluded files go to `excluded`; only files for which `keep` says yes are visited further.
fn walk(
    project: &Path,
    exclude: &Patterns,
    ignores: Option<bool>,
    files: &mut BTreeMap<String, PathBuf>,
    excluded: &mut Vec<Excluded>,
    keep: &dyn Fn(&str) -> bool,
) -> Result<()> {
    let excluded_folders = Arc::new(Mutex::new(Vec::new()));
    let mut walker = ignore::WalkBuilder::new(project);
    let in_git = ignores == Some(true);
    walker
        .standard_filters(false)
        .git_ignore(ignores.is_some())
        .require_git(false)
        .parents(in_git)
        .git_exclude(in_git)
        .git_global(in_git)
        // Through ignored folders, links are not followed: a link to a mounted disk there
        // must neither stop the build nor be walked.
        .follow_links(ignores.is_some())
        .sort_by_file_name(std::cmp::Ord::cmp);
    {
        let (root, exclude, excluded_folders) = (
            project.to_owned(),
            exclude.clone(),
            Arc::clone(&excluded_folders),
        );
        walker.filter_entry(move |entry| {
            if entry.depth() == 0 || !entry.file_type().is_some_and(|t| t.is_dir()) {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if paths::is_skipped_dir(entry.path())
                || (entry.depth() == 1
                    && (OUTPUT_DIRS.contains(&name.as_ref()) || name.ends_with(".egg-info")))
            {
                return false;
            }
            let relative = relative_slash(entry.path(), &root);
            if let Some(pattern) = exclude.matching(&relative) {
                excluded_folders
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(Excluded {
                        path: format!("{relative}/"),
                        reason: format!("excluded by {pattern:?}"),
                    });
                return false;
            }
            true
        });
    }
    for entry in walker.build() {
        crate::interrupt::check()?;
        let entry = match entry {
            Ok(entry) => entry,
            // git skips a malformed ignore pattern or a symlink loop; packkit does too.
            Err(err) if err.io_error().is_none() => continue,
            Err(err) => {
                return Err(Error::build(
                    format!("cannot read the project {}: {err}", project.display()),
                    Some("check the permissions of the file named".to_owned()),
                ));
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let lossy = relative_slash(entry.path(), project);
        if !keep(&lossy) || files.contains_key(&lossy) {
            continue;
        }
        // `exclude` wins before any check of the path: an excluded link is never followed.
        if let Some(pattern) = exclude.matching(&lossy) {
            excluded.push(Excluded {
                path: lossy,
                reason: format!("excluded by {pattern:?}"),
            });
            continue;
        }
        let is_file = if entry.path_is_symlink() {
            check_inside(project, entry.path())?;
            entry.path().is_file()
        } else {
            entry.file_type().is_some_and(|t| t.is_file())
        };
        // Folders, FIFOs, sockets and devices are not sources.
        if !is_file || paths::is_skipped_file(&entry.file_name().to_string_lossy()) {
            continue;
        }
        let relative = representable(project, entry.path())?;
        files.insert(relative, entry.into_path());
    }
    excluded.extend(
        excluded_folders
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain(..),
    );
    Ok(())
}

/// Is a folder on the way to `relative` one never archived (a cache, a virtual environment)?
fn in_skipped_dir(project: &Path, relative: &str) -> bool {
    let mut folder = project.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    parts[..parts.len().saturating_sub(1)].iter().any(|part| {
        folder.push(part);
        paths::is_skipped_dir(&folder)
    })
}

/// The `/` path of a file relative to the project, if an archive can hold it: UTF-8 (wheel
/// and sdist paths are text) and no control characters (RECORD is one line per file).
fn representable(project: &Path, path: &Path) -> Result<String> {
    let relative = path.strip_prefix(project).unwrap_or(path);
    let bad = match relative.to_str() {
        None => Some("is not valid UTF-8"),
        Some(text) if text.chars().any(char::is_control) => {
            Some("holds a control character (a line break, a tab, ...)")
        }
        Some(_) => None,
    };
    match bad {
        None => Ok(relative_slash(path, project)),
        Some(why) => Err(Error::build(
            format!(
                "the file name {:?} {why}: a wheel or an sdist cannot hold it",
                relative.as_os_str()
            ),
            Some(
                "rename the file, or leave it out with .gitignore or [tool.packkit] exclude"
                    .to_owned(),
            ),
        )),
    }
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
                "copy the file into the project, or leave it out with .gitignore or \
                 [tool.packkit] exclude"
                    .to_owned(),
            ),
        ));
    }
    Ok(())
}

/// The error for files a wheel would take from a package folder that git does not know: the
/// sdist (tracked files) would not have them, so the wheel would depend on how it was built.
fn untracked_error(untracked: &[&String]) -> Error {
    const SHOWN: usize = 10;
    let mut listing: Vec<String> = untracked
        .iter()
        .take(SHOWN)
        .map(|p| format!("  {p}"))
        .collect();
    if untracked.len() > SHOWN {
        listing.push(format!("  ... and {} more", untracked.len() - SHOWN));
    }
    Error::build(
        format!(
            "{} in the package but not tracked by git, so the sdist would not have {}:\n{}",
            if untracked.len() == 1 {
                "this file is"
            } else {
                "these files are"
            },
            if untracked.len() == 1 { "it" } else { "them" },
            listing.join("\n")
        ),
        Some(
            "`git add` the files the package needs; leave the others out with .gitignore or \
             [tool.packkit] exclude"
                .to_owned(),
        ),
    )
}

/// The wheel's files: the sources inside the package roots and the `[tool.packkit.data]`
/// folders (`data` is archive folder → project folder).
pub(super) fn wheel_files(
    sources: &Sources,
    project: &Path,
    layout: &Layout,
    data: &[(String, String)],
    include: &Patterns,
) -> Result<(Selection, Vec<Excluded>)> {
    if layout.roots.is_empty() {
        return Err(Error::build(
            "the wheel would have no code: `tool.packkit.packages` is empty",
            Some(
                "list the package folders (or modules) to ship, or remove `packages` to let \
                 packkit find them"
                    .to_owned(),
            ),
        ));
    }
    let mut wheel = WheelFiles {
        sources,
        include,
        selection: Selection::new(),
        excluded: Vec::new(),
        untracked: Vec::new(),
    };
    for root in &layout.roots {
        let prefix = relative_slash(&project.join(&root.source), project);
        let found_as = layout
            .found_as
            .as_ref()
            .map_or_else(String::new, |how| format!(", found as {how}"));
        let taken = wheel.take(&prefix, &root.target, &|relative| {
            if Path::new(relative).extension().is_some_and(|e| e == "py") {
                format!("module of {}{found_as}", root.target)
            } else {
                format!("package data of {}{found_as}", root.target)
            }
        });
        if taken == 0 && wheel.untracked.is_empty() {
            return Err(Error::build(
                format!(
                    "the package {prefix} has no file to ship: .gitignore or \
                     [tool.packkit] exclude leaves out all of it"
                ),
                Some("check .gitignore and [tool.packkit] exclude".to_owned()),
            ));
        }
    }
    for (archive_folder, folder) in data {
        if !project.join(folder).is_dir() {
            return Err(Error::build(
                format!(
                    "`tool.packkit.data`: the folder {folder:?} does not exist in {}",
                    project.display()
                ),
                Some("give a folder relative to pyproject.toml".to_owned()),
            ));
        }
        check_inside(project, &project.join(folder))?;
        let prefix = relative_slash(&project.join(folder), project);
        wheel.take(&prefix, archive_folder, &|_| {
            format!("`tool.packkit.data` folder {folder:?}")
        });
    }
    if !wheel.untracked.is_empty() {
        return Err(untracked_error(&wheel.untracked));
    }
    Ok((wheel.selection, wheel.excluded))
}

/// The wheel's selection while it is made.
struct WheelFiles<'a> {
    sources: &'a Sources,
    include: &'a Patterns,
    selection: Selection,
    excluded: Vec<Excluded>,
    untracked: Vec<&'a String>,
}

impl WheelFiles<'_> {
    /// Select the sources at or below `prefix` under `archive_prefix`; how many were taken.
    fn take(
        &mut self,
        prefix: &str,
        archive_prefix: &str,
        reason: &dyn Fn(&str) -> String,
    ) -> usize {
        let mut taken = 0;
        for (relative, source) in self.sources.below(prefix) {
            if !self.sources.is_source(relative, self.include) {
                self.untracked.push(relative);
                continue;
            }
            taken += 1;
            let inside = relative[prefix.len()..].trim_start_matches('/');
            let target = if inside.is_empty() {
                archive_prefix.to_owned()
            } else {
                format!("{archive_prefix}/{inside}")
            };
            self.selection.insert(
                target,
                Included {
                    source: source.clone(),
                    reason: reason(relative),
                },
            );
        }
        self.excluded
            .extend(self.sources.excluded_below(prefix).cloned());
        taken
    }
}

/// The sdist's files (paths relative to the project): the sources that git tracks (or, outside
/// git, every source), plus `include` and `required` (which no rule leaves out).
pub(super) fn sdist_files(
    sources: &Sources,
    project: &Path,
    include: &Patterns,
    required: &[String],
) -> (Selection, Vec<Excluded>) {
    let mut selection = Selection::new();
    let mut excluded = sources.excluded.clone();
    for (relative, source) in &sources.files {
        let reason = if required.contains(relative) {
            "always in an sdist".to_owned()
        } else if sources.generated.contains(relative) {
            "written by the build (`version-file`)".to_owned()
        } else if let Some(pattern) = include.matching(relative) {
            format!("included by {pattern:?}")
        } else if let Some(tracked) = &sources.tracked {
            if !tracked.contains(relative) {
                excluded.push(Excluded {
                    path: relative.clone(),
                    reason: "not tracked by git".to_owned(),
                });
                continue;
            }
            "tracked by git".to_owned()
        } else {
            "in the project folder (no git)".to_owned()
        };
        selection.insert(
            relative.clone(),
            Included {
                source: source.clone(),
                reason,
            },
        );
    }
    for relative in required {
        let path = project.join(relative);
        if !selection.contains_key(relative) && path.is_file() {
            excluded.retain(|e| &e.path != relative);
            selection.insert(
                relative.clone(),
                Included {
                    source: path,
                    reason: "always in an sdist".to_owned(),
                },
            );
        }
    }
    (selection, excluded)
}
