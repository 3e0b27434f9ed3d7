//! The git facts of a work tree, read in-process with gix: nearest version tag, distance,
//! node, dirty, branch, commit date, shallow. No `git` subprocess anywhere.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::TagMatcher;
use super::describe::{self, CommitSource, WalkError};
use super::scope::{Scope, ScopePath, in_scope};
use crate::error::{Error, Result};
use crate::version::schemes::{Facts, Tag};

/// Configuration sections kept, from every source (the repository's, the user's, the
/// system's): what reading objects, refs, the index and the work tree needs. Every other
/// section is dropped, with the programs it may name: `filter.<driver>.clean`, `smudge` and
/// `process`, `diff.<driver>.textconv` and `command`, `diff.external`, `merge.<driver>.driver`,
/// `credential.helper`, `gpg.program`, `gitoxide.*` programs, includes, and whatever a later
/// gix learns to run.
const KEPT_SECTIONS: &[&str] = &["core", "extensions", "index"];

/// Keys of `core` that name a program, or where programs are found (lowercase: git's keys are
/// case-insensitive).
const DROPPED_CORE_KEYS: &[&str] = &[
    "alternaterefscommand",
    "askpass",
    "editor",
    "fsmonitor",
    "gitproxy",
    "hookspath",
    "pager",
    "sshcommand",
];

/// Open the repository at `path` (a work tree or a git directory). The one way packkit opens a
/// repository: `clippy.toml` forbids gix's `open` and `discover` everywhere else.
///
/// A repository can come from anyone (an sdist may carry a `.git` folder), and its
/// configuration can name programs git would run, a status check included (clean filters).
/// packkit runs none: the configuration gix works with keeps only [`KEPT_SECTIONS`], less
/// [`DROPPED_CORE_KEYS`], and gix never runs `git` to find its installation's configuration.
/// Content is therefore compared without filter drivers (see `is_dirty`).
#[allow(clippy::disallowed_methods)] // the sanctioned open
pub fn open(path: &Path) -> Result<gix::ThreadSafeRepository, gix::Error> {
    let mut permissions = gix::open::Permissions::default();
    permissions.config.git_binary = false;
    permissions.attributes.git_binary = false;
    let options = gix::open::Options::default().permissions(permissions);
    let mut repo = gix::ThreadSafeRepository::open_opts(path, options)?.to_thread_local();
    let mut config = repo.config_snapshot_mut();
    keep_inert_configuration(&mut config);
    config.commit()?;
    Ok(repo.into_sync())
}

/// Drop every section but [`KEPT_SECTIONS`] (without subsection), and [`DROPPED_CORE_KEYS`].
fn keep_inert_configuration(config: &mut gix::config::File) {
    let mut dropped = Vec::new();
    let mut cores = Vec::new();
    for (section, id) in config.sections_and_ids() {
        let header = section.header();
        let name = header.name().to_string().to_ascii_lowercase();
        if header.subsection_name().is_some() || !KEPT_SECTIONS.contains(&name.as_str()) {
            dropped.push(id);
        } else if name == "core" {
            cores.push(id);
        }
    }
    for id in dropped {
        config.remove_section_by_id(id);
    }
    for id in cores {
        let Some(mut section) = config.section_mut_by_id(id) else {
            continue;
        };
        let names: Vec<String> = section
            .value_names()
            .filter(|name| DROPPED_CORE_KEYS.contains(&name.to_ascii_lowercase().as_str()))
            .collect();
        for name in names {
            while section.remove(&name).is_some() {}
        }
    }
}

/// Is `dir` the top of a git work tree (it holds a `.git` folder, or a `.git` file pointing
/// at one, as worktrees and submodules have)?
pub fn is_work_tree(dir: &Path) -> bool {
    git_marker(dir) == Some(true)
}

/// `Some(true)` if `dir/.git` is a repository, `Some(false)` if it is something else (an empty
/// `.git` file, which uv writes in its caches to stop git's search there, as git stops too),
/// `None` if there is no `.git`.
fn git_marker(dir: &Path) -> Option<bool> {
    let marker = dir.join(".git");
    let meta = std::fs::metadata(&marker).ok()?;
    if meta.is_dir() {
        return Some(true);
    }
    // Only a small regular file is read (a FIFO named `.git` must not block).
    if !meta.is_file() || meta.len() > 4096 {
        return Some(false);
    }
    Some(std::fs::read(&marker).is_ok_and(|text| text.starts_with(b"gitdir:")))
}

/// The nearest ancestor directory of `dir` (itself included) that is a work tree. `dir` is
/// made absolute first, so that `.`, `sub/..` and the full path find the same repository.
/// A `.git` that is not a repository ends the search, as in git.
pub fn enclosing_work_tree(dir: &Path) -> Option<PathBuf> {
    let dir = dir
        .canonicalize()
        .or_else(|_| std::path::absolute(dir))
        .ok()?;
    dir.ancestors()
        .find_map(|d| git_marker(d).map(|repository| repository.then(|| d.to_path_buf())))
        .flatten()
}

/// Read the git facts of the work tree at `work_tree`; with a `scope`, the distance and the
/// dirty flag count only the commits and files under its paths (see [`super::scope`]).
///
/// The status check (is the tree dirty?) runs on a second thread while the history is
/// walked, when there is a second core: on a large work tree and a long history each takes
/// a good part of the time.
pub fn read_facts(work_tree: &Path, tags: &TagMatcher, scope: Option<&Scope>) -> Result<Facts> {
    let git_error =
        |what: &str, err: &dyn std::fmt::Display| repository_error(work_tree, what, err);
    let shared = open(work_tree).map_err(|err| git_error("open", &err))?;
    let repo = shared.to_thread_local();
    let head = repo.head().map_err(|err| git_error("HEAD", &err))?;
    let branch = match head.referent_name() {
        Some(name) => Some(name.shorten().to_string()),
        None => Some("HEAD".to_owned()),
    };
    let shallow = repo
        .is_shallow()
        .map_err(|err| git_error("shallow check", &err))?;
    let Some(head_id) = head.id().map(gix::Id::detach) else {
        // No commits yet: setuptools_scm calls this dirty, at distance 0 from `0.0`.
        return Ok(Facts {
            tag: None,
            distance: 0,
            node: None,
            dirty: true,
            branch,
            node_date: None,
            shallow,
        });
    };

    let scope_paths = scope.map(|scope| scope.paths(work_tree)).transpose()?;
    // Reading HEAD's commit loads the pack index before the status check needs it: when two
    // threads ask gix for an index that is not loaded yet, one spins until the other has it.
    let head_commit = repo.find_commit(head_id).map_err(|err| {
        history_error(
            work_tree,
            &if repo.has_object(head_id) {
                WalkError::Corrupt {
                    id: head_id,
                    reason: err.to_string(),
                }
            } else {
                WalkError::Missing(head_id)
            },
        )
    })?;
    let commit_seconds = head_commit
        .committer()
        .map_err(|err| git_error("HEAD committer", &err))?
        .seconds();
    let node_date = Timestamp::from_second(commit_seconds)
        .ok()
        .map(|time| jiff::tz::TimeZone::UTC.to_datetime(time).date());
    let status = |repo: &gix::Repository| {
        is_dirty(repo, 0, scope_paths.as_deref()).map_err(|err| git_error("status", &err))
    };
    let distance = |repo: &gix::Repository| {
        let (tag, distance) = nearest_version_tag(repo, work_tree, head_id, tags)?;
        let Some((scope, paths)) = scope.zip(scope_paths.as_ref()) else {
            return Ok((tag, distance));
        };
        // setuptools_scm's `_fail_on_shallow_scope`: a cut history can miss every commit
        // that touched the paths and read as an exact tag.
        if shallow && distance != 0 {
            return Err(Error::scm(
                format!(
                    "{} is a shallow clone and `{}` is set: the commits that touch the \
                     project may be missing, so the distance would be wrong",
                    work_tree.display(),
                    scope.config.key
                ),
                Some(
                    "fetch the whole history (`git fetch --unshallow --tags`; in GitHub \
                     Actions `fetch-depth: 0`), or remove the key"
                        .to_owned(),
                ),
            ));
        }
        let since = tag.as_ref().map(|(_, id)| *id);
        let listed =
            super::scope::commits_in_scope(repo, head_id, since, paths, scope.config.count)
                .map_err(|err| git_error("history of the distance scope", &err))?;
        Ok((tag, listed.len() as u64))
    };
    // The status check runs beside the walk when it has real work (a large index) and there is
    // a second core; on one, a thread would only take turns with the walk, and for a small
    // work tree starting it costs more than the check.
    let (tag_and_distance, dirty) = if worth_threads(&repo) {
        std::thread::scope(|threads| {
            let dirty = threads.spawn(|| status(&shared.to_thread_local()));
            let tag_and_distance = distance(&repo);
            (tag_and_distance, joined(dirty))
        })
    } else {
        (distance(&repo), status(&repo))
    };
    let (tag, distance) = tag_and_distance?;
    Ok(Facts {
        tag: tag.map(|(tag, _)| tag),
        distance,
        node: Some(format!("g{head_id}")),
        dirty: dirty?,
        branch,
        node_date,
        shallow,
    })
}

/// An index file larger than this (about 1,500 files) makes the status check worth a thread.
const LARGE_INDEX_BYTES: u64 = 128 * 1024;

/// Is the status check of `repo` worth more threads: a large work tree, and a second core?
fn worth_threads(repo: &gix::Repository) -> bool {
    super::second_core()
        && std::fs::metadata(repo.index_path()).is_ok_and(|meta| meta.len() > LARGE_INDEX_BYTES)
}

/// The version tag `git describe --tags` would name from `head_id` (the one the version is
/// computed from), with the commit it points to, and the distance to it. Without a version
/// tag: `None` and the number of commits.
fn nearest_version_tag(
    repo: &gix::Repository,
    work_tree: &Path,
    head_id: gix::ObjectId,
    tags: &TagMatcher,
) -> Result<(Option<(Tag, gix::ObjectId)>, u64)> {
    let mut tags_by_commit =
        version_tags(repo, tags).map_err(|err| repository_error(work_tree, "tags", &err))?;
    let names: gix::hashtable::HashSet<gix::ObjectId> = tags_by_commit.keys().copied().collect();
    let walk = |use_graph: bool| -> std::result::Result<_, WalkError> {
        let mut source = CommitSource::new(repo, use_graph)?;
        if names.is_empty() {
            Ok((None, describe::count_commits(&mut source, head_id)?))
        } else {
            let outcome = describe::describe(&mut source, head_id, &names)?;
            Ok((outcome.name_commit, outcome.depth))
        }
    };
    // The commit-graph is a cache: when a walk through it fails (it contradicts itself, or
    // names a commit that is not there), the objects alone decide.
    let (name_commit, distance) = walk(true)
        .or_else(|_| walk(false))
        .map_err(|err| history_error(work_tree, &err))?;
    let tag = name_commit.and_then(|id| tags_by_commit.remove(&id).map(|tag| (tag, id)));
    Ok((tag, distance))
}

/// The namespaces of the version tags reachable from HEAD (`pkg-a-v` of `pkg-a-v1.2`: the
/// name, less `tag-prefix`, up to its first digit), as setuptools_scm's
/// `_warn_if_tags_span_namespaces` finds them: two or more mean the nearest tag may be another
/// project's. Stops at the second one found; HEAD need not be walked when every version tag
/// shares one.
pub fn reachable_tag_namespaces(work_tree: &Path, tags: &TagMatcher) -> Result<Vec<String>> {
    let git_error =
        |what: &str, err: &dyn std::fmt::Display| repository_error(work_tree, what, err);
    let repo = open(work_tree)
        .map_err(|err| git_error("open", &err))?
        .to_thread_local();
    let namespace = |name: &str| {
        let name = tags
            .prefix()
            .and_then(|prefix| name.strip_prefix(prefix))
            .unwrap_or(name);
        let end = name
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(name.len());
        name[..end].to_owned()
    };
    let mut by_commit: HashMap<gix::ObjectId, Vec<String>> = HashMap::new();
    let platform = repo.references().map_err(|err| git_error("tags", &err))?;
    for reference in platform.tags().map_err(|err| git_error("tags", &err))? {
        let Ok(mut reference) = reference else {
            continue;
        };
        let name = reference.name().shorten().to_string();
        if tags.parse(&name).is_none() {
            continue;
        }
        if let Ok(target) = reference.peel_to_id() {
            by_commit
                .entry(target.detach())
                .or_default()
                .push(namespace(&name));
        }
    }
    let all: std::collections::BTreeSet<&String> = by_commit.values().flatten().collect();
    if all.len() < 2 {
        return Ok(Vec::new());
    }
    let Ok(head) = repo.head_id() else {
        return Ok(Vec::new());
    };
    let mut found = std::collections::BTreeSet::new();
    let walk = repo
        .rev_walk([head])
        .all()
        .map_err(|err| git_error("history", &err))?;
    for info in walk {
        let info = info.map_err(|err| git_error("history", &err))?;
        found.extend(by_commit.get(&info.id).into_iter().flatten().cloned());
        if found.len() >= 2 {
            break;
        }
    }
    Ok(found.into_iter().collect())
}

/// One commit of the history since a tag, as `packkit next` and `packkit changelog` read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitMessage {
    /// The full hexadecimal id.
    pub id: String,
    /// How many parents it has (two or more: a merge commit).
    pub parents: usize,
    /// The message, decoded as UTF-8 (an invalid byte becomes U+FFFD).
    pub message: String,
}

/// Where the history starts: the tag it is counted from (its commit and what follows are
/// listed, not it and its ancestors).
#[derive(Debug, Clone)]
pub struct StartTag {
    pub name: String,
    /// The tag's version, when the tag matches the version tags (`tag-regex`, `tag-prefix`).
    pub version: Option<crate::version::Version>,
}

/// The commits reachable from HEAD and not from the start tag: the first-parent line and the
/// commits merged into it alike, each once, newest first (by committer date).
#[derive(Debug, Clone)]
pub struct History {
    /// `None`: no version tag is reachable from HEAD, and every commit is listed.
    pub since: Option<StartTag>,
    pub commits: Vec<CommitMessage>,
}

/// The commits since `since` (a tag name), or, when `None`, since the version tag
/// `packkit version` counts from (the tag `git describe --tags` names among the version tags).
///
/// With a distance `scope`, only the commits the scoped distance counts are listed (those that
/// change the project's folder or the scope's paths, by its `distance_count` rule).
///
/// A shallow clone is refused: the history may be cut off before the tag, and the commits
/// missing from it would be missing from the answer without a sign.
pub fn history_since(
    work_tree: &Path,
    tags: &TagMatcher,
    since: Option<&str>,
    scope: Option<&Scope>,
) -> Result<History> {
    let git_error =
        |what: &str, err: &dyn std::fmt::Display| repository_error(work_tree, what, err);
    let mut repo = open(work_tree)
        .map_err(|err| git_error("open", &err))?
        .to_thread_local();
    // Each commit is read once by the walk and once for its message.
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    if repo
        .is_shallow()
        .map_err(|err| git_error("shallow check", &err))?
    {
        return Err(Error::scm(
            format!(
                "{} is a shallow clone: its history may end before the tag, so the commits since \
                 it cannot be known",
                work_tree.display()
            ),
            Some(
                "fetch the whole history (`git fetch --unshallow --tags`; in GitHub Actions \
                 `fetch-depth: 0`)"
                    .to_owned(),
            ),
        ));
    }
    let head = repo.head().map_err(|err| git_error("HEAD", &err))?;
    let Some(head_id) = head.id().map(gix::Id::detach) else {
        return Err(Error::scm(
            format!("{} has no commits yet", work_tree.display()),
            Some("commit your work first (`git commit`)".to_owned()),
        ));
    };
    let (since, hidden) = match since {
        Some(name) => {
            let id = named_tag_commit(&repo, work_tree, name)?;
            let version = tags.parse(name).map(|tag| tag.version);
            let start = StartTag {
                name: name.to_owned(),
                version,
            };
            (Some(start), Some(id))
        }
        None => match nearest_version_tag(&repo, work_tree, head_id, tags)?.0 {
            Some((tag, id)) => (
                Some(StartTag {
                    name: tag.name,
                    version: Some(tag.version),
                }),
                Some(id),
            ),
            None => (None, None),
        },
    };
    let in_scope = match scope {
        Some(scope) => {
            let paths = scope.paths(work_tree)?;
            let listed =
                super::scope::commits_in_scope(&repo, head_id, hidden, &paths, scope.config.count)
                    .map_err(|err| git_error("history of the distance scope", &err))?;
            Some(listed)
        }
        None => None,
    };
    let walk = repo
        .rev_walk([head_id])
        .with_hidden(hidden)
        .sorting(gix::revision::walk::Sorting::ByCommitTime(
            gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
        ))
        .all()
        .map_err(|err| git_error("history", &err))?;
    let mut commits = Vec::new();
    for info in walk {
        let info = info.map_err(|err| git_error("history", &err))?;
        if in_scope
            .as_ref()
            .is_some_and(|listed| !listed.contains(&info.id))
        {
            continue;
        }
        let commit = info.object().map_err(|err| git_error("history", &err))?;
        commits.push(CommitMessage {
            id: info.id.to_string(),
            parents: info.parent_ids.len(),
            message: commit.message_raw_sloppy().to_string(),
        });
    }
    Ok(History { since, commits })
}

/// The commit the tag `name` points to (an annotated tag peeled); for a name that is no tag,
/// an error listing the tags whose names are nearest.
fn named_tag_commit(repo: &gix::Repository, work_tree: &Path, name: &str) -> Result<gix::ObjectId> {
    let found = gix::refs::PartialName::try_from(name)
        .ok()
        .and_then(|_| {
            repo.try_find_reference(format!("refs/tags/{name}").as_str())
                .ok()
        })
        .flatten();
    if let Some(mut reference) = found {
        if let Ok(commit) = reference.peel_to_commit() {
            return Ok(commit.id);
        }
        return Err(Error::scm(
            format!("the tag {name} in {} names no commit", work_tree.display()),
            Some("give a tag of a commit (`git tag --list` shows them)".to_owned()),
        ));
    }
    let mut names: Vec<String> = repo
        .references()
        .and_then(|platform| {
            Ok(platform
                .tags()?
                .filter_map(std::result::Result::ok)
                .map(|reference| reference.name().shorten().to_string())
                .collect())
        })
        .unwrap_or_default();
    // Nearest first: the most similar names, the higher version before the lower at a tie.
    names.sort_by(|a, b| {
        let similarity = |other: &str| strsim::normalized_damerau_levenshtein(name, other);
        similarity(b)
            .total_cmp(&similarity(a))
            .then_with(|| b.cmp(a))
    });
    let hint = if names.is_empty() {
        "the repository has no tags: leave out --since to list every commit".to_owned()
    } else {
        let nearest: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
        format!("the nearest tags: {}", nearest.join(", "))
    };
    Err(Error::scm(
        format!("there is no tag {name:?} in {}", work_tree.display()),
        Some(hint),
    ))
}

/// The error for a repository that gix cannot read (`what` it was reading).
fn repository_error(work_tree: &Path, what: &str, err: &dyn std::fmt::Display) -> Error {
    Error::scm(
        format!(
            "cannot read the git repository at {}: {what}: {err}",
            work_tree.display()
        ),
        Some("check that it is a valid git checkout (`git status` there should work)".to_owned()),
    )
}

/// The error for a history that cannot be walked: the commit it names, and what to do.
fn history_error(work_tree: &Path, err: &WalkError) -> Error {
    let hint = match err {
        WalkError::Missing(_) | WalkError::Corrupt { .. } => {
            "the repository is incomplete or damaged: `git fsck` there lists what is broken; \
             fetch the missing objects again (`git fetch --refetch`, or \
             `git fetch --unshallow` if it is a shallow clone) or clone the repository again"
        }
        WalkError::Graph(_) | WalkError::Other(_) => {
            "check that it is a valid git checkout (`git status` there should work)"
        }
    };
    Error::scm(
        format!(
            "cannot read the git history at {}: {err}",
            work_tree.display()
        ),
        Some(hint.to_owned()),
    )
}

/// How deep the dirty check follows submodules: a crafted `.git` file can make a submodule
/// lead back to its superproject.
const MAX_SUBMODULE_DEPTH: u32 = 8;

#[derive(Debug, thiserror::Error)]
enum SubmoduleError {
    #[error("submodule {path}: {source}")]
    Unreadable { path: String, source: gix::Error },
    #[error("submodule {0} is nested more than {MAX_SUBMODULE_DEPTH} submodules deep")]
    TooDeep(String),
}

/// Does the work tree differ from HEAD, as `git describe --dirty` sees it: a staged change, a
/// changed tracked file, or a submodule at another commit or itself dirty. Untracked files do
/// not count.
///
/// Content is compared with git's built-in conversions (end of line, `ident`,
/// `working-tree-encoding`) and without filter drivers, which [`open`] leaves out: a file that
/// a clean filter would change is compared as it is on disk (docs/versioning.rst). Submodules
/// are opened with [`open`] too: gix's own submodule status (`Repository::is_dirty`) would open
/// them with their whole configuration.
/// The changes of tracked files: HEAD against the index and the index against the work
/// tree, on two threads. No pattern: the whole tree, wherever the process runs; submodules
/// are checked by packkit itself (see `submodule_is_dirty`).
fn tracked_changes(repo: &gix::Repository) -> std::result::Result<gix::status::Iter, gix::Error> {
    repo.status(gix::progress::Discard)?
        .head_tree(repo.head_tree_id_or_empty()?)
        .tree_index_track_renames(gix::status::tree_index::TrackRenames::Disabled)
        .index_worktree_rewrites(None)
        .index_worktree_submodules(gix::status::Submodule::Given {
            ignore: gix::submodule::config::Ignore::All,
            check_dirty: false,
        })
        .index_worktree_options_mut(|options| options.dirwalk_options = None)
        .into_iter(Vec::new())
        .map_err(gix::Error::from_error)
}

/// Is a tracked file changed ([`tracked_changes`]' answer, the same checks), without the
/// producer threads gix's status iterator starts (starting them was most of a `packkit
/// version` on a small repository). The work tree is compared first and stops at the first
/// change; the index is compared with HEAD only when the index's cached tree (its `TREE`
/// extension, which git keeps) does not already say they are the same, as `git describe
/// --dirty` does. Only a large work tree on two cores has its files checked by several threads.
fn has_tracked_change(
    repo: &gix::Repository,
    scope: Option<&[ScopePath]>,
) -> std::result::Result<bool, gix::Error> {
    use std::sync::atomic::{AtomicBool, Ordering};

    use gix::status::plumbing::index_as_worktree::EntryStatus;
    use gix::status::plumbing::index_as_worktree::traits::{FastEq, SubmoduleStatus};
    use gix::status::plumbing::index_as_worktree_with_renames::{Entry, VisitEntry};

    /// Submodules are checked apart (`is_dirty`): as `Submodule::Given { ignore: All }`.
    #[derive(Clone)]
    struct IgnoreSubmodules;
    impl SubmoduleStatus for IgnoreSubmodules {
        type Output = ();
        fn status(
            &mut self,
            _: &gix::index::Entry,
            _: &gix::bstr::BStr,
        ) -> gix::Result<Option<()>> {
            Ok(None)
        }
    }

    struct FirstChange<'s, T> {
        scope: Option<&'s [ScopePath]>,
        /// Set at the first change: gix stops there.
        found: &'s AtomicBool,
        content: std::marker::PhantomData<T>,
    }
    impl<'index, T> VisitEntry<'index> for FirstChange<'_, T> {
        type ContentChange = T;
        type SubmoduleStatus = ();
        fn visit_entry(&mut self, entry: Entry<'index, T, ()>) {
            // A changed stat with the same content is no change (the iterator skips it too).
            if let Entry::Modification { status, .. } = &entry {
                if matches!(status, EntryStatus::NeedsUpdate(_)) {
                    return;
                }
            }
            if in_scope(self.scope, entry.destination_rela_path()) {
                self.found.store(true, Ordering::Relaxed);
            }
        }
    }

    let index = repo.index_or_empty()?;
    let found = AtomicBool::new(false);
    let options = gix::status::index_worktree::Options {
        dirwalk_options: None,
        rewrites: None,
        thread_limit: (!worth_threads(repo)).then_some(1),
        ..Default::default()
    };
    let outcome = repo.index_worktree_status(
        &index,
        Vec::<gix::bstr::BString>::new(),
        &mut FirstChange {
            scope,
            found: &found,
            content: std::marker::PhantomData,
        },
        FastEq,
        IgnoreSubmodules,
        &mut gix::progress::Discard,
        &found,
        options,
    );
    // Stopping at the first change may end the check with an "interrupted" error.
    if found.load(Ordering::Relaxed) {
        return Ok(true);
    }
    outcome.map_err(gix::Error::from_error)?;

    let tree_id = repo.head_tree_id_or_empty()?.detach();
    let cached_tree = index
        .tree()
        .filter(|root| root.num_entries.is_some())
        .map(|root| root.id);
    if cached_tree == Some(tree_id) {
        return Ok(false);
    }
    let mut staged = false;
    repo.tree_index_status(
        &tree_id,
        &index,
        None,
        gix::status::tree_index::TrackRenames::Disabled,
        |change, _, _| {
            staged = in_scope(scope, change.location());
            Ok(if staged {
                std::ops::ControlFlow::Break(())
            } else {
                std::ops::ControlFlow::Continue(())
            })
        },
    )
    .map_err(gix::Error::from_error)?;
    Ok(staged)
}

/// The tracked files of the work tree that differ from HEAD (sorted, at most `limit`), for
/// the notebook view of a dirty tree.
pub fn modified_files(work_tree: &Path, limit: usize) -> Result<Vec<String>> {
    let error = |err: &dyn std::fmt::Display| {
        Error::scm(
            format!(
                "cannot list the modified files of {}: {err}",
                work_tree.display()
            ),
            None,
        )
    };
    let repo = open(work_tree)
        .map_err(|err| error(&err))?
        .to_thread_local();
    let mut files = std::collections::BTreeSet::new();
    for change in tracked_changes(&repo).map_err(|err| error(&err))? {
        files.insert(change.map_err(|err| error(&err))?.location().to_string());
        if files.len() >= limit {
            break;
        }
    }
    Ok(files.into_iter().collect())
}

/// Is the tree dirty ([`tracked_changes`] and submodules), counting only the changes under
/// `scope` when given (`git status --untracked-files=no -- <paths>`).
fn is_dirty(
    repo: &gix::Repository,
    depth: u32,
    scope: Option<&[ScopePath]>,
) -> std::result::Result<bool, gix::Error> {
    if has_tracked_change(repo, scope)? {
        return Ok(true);
    }
    let index = repo.index_or_empty()?;
    for entry in index.entries() {
        if entry.mode == gix::index::entry::Mode::COMMIT
            && in_scope(scope, entry.path(&index))
            && submodule_is_dirty(repo, entry.path(&index), entry.id, depth)?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Is the submodule at `path` checked out at another commit than `recorded`, or dirty?
fn submodule_is_dirty(
    repo: &gix::Repository,
    path: &gix::bstr::BStr,
    recorded: gix::ObjectId,
    depth: u32,
) -> std::result::Result<bool, gix::Error> {
    let Some(workdir) = repo.workdir() else {
        return Ok(false);
    };
    let dir = workdir.join(gix::path::from_bstr(path)?);
    // Not checked out (`git submodule update` never ran there): git does not look into it.
    if !dir.join(".git").exists() {
        return Ok(false);
    }
    if depth >= MAX_SUBMODULE_DEPTH {
        return Err(gix::Error::from_error(SubmoduleError::TooDeep(
            path.to_string(),
        )));
    }
    let unreadable = |source: gix::Error| {
        gix::Error::from_error(SubmoduleError::Unreadable {
            path: path.to_string(),
            source,
        })
    };
    let submodule = open(&dir).map_err(unreadable)?.to_thread_local();
    if submodule.head_id().ok().map(gix::Id::detach) != Some(recorded) {
        return Ok(true);
    }
    is_dirty(&submodule, depth + 1, None).map_err(unreadable)
}

/// The result of a worker thread. A panic there (in gix's status code, say) is a bug, not a
/// reason to abort the caller's process or to reach Python as a `PanicException`.
fn joined<T>(worker: std::thread::ScopedJoinHandle<'_, Result<T>>) -> Result<T> {
    worker
        .join()
        .map_err(|payload| Error::from_panic(payload.as_ref()))?
}

/// The files git tracks under `project_dir` (paths relative to it, `/`-separated), as in the
/// index. Submodules are skipped.
pub fn tracked_files(work_tree: &Path, project_dir: &Path) -> Result<Vec<String>> {
    let error = |err: &dyn std::fmt::Display| {
        Error::scm(
            format!(
                "cannot list the files git tracks in {}: {err}",
                work_tree.display()
            ),
            None,
        )
    };
    let repo = open(work_tree)
        .map_err(|err| error(&err))?
        .to_thread_local();
    let index = repo.index_or_empty().map_err(|err| error(&err))?;
    let work_tree = work_tree
        .canonicalize()
        .map_err(|err| Error::io(work_tree, err))?;
    let project = project_dir
        .canonicalize()
        .map_err(|err| Error::io(project_dir, err))?;
    let prefix = crate::paths::slash(project.strip_prefix(&work_tree).unwrap_or(Path::new("")));
    let mut files = Vec::new();
    for entry in index.entries() {
        if entry.mode == gix::index::entry::Mode::COMMIT {
            continue;
        }
        let path = entry.path(&index).to_string();
        let relative = if prefix.is_empty() {
            Some(path.as_str())
        } else {
            path.strip_prefix(prefix.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
        };
        if let Some(relative) = relative {
            files.push(relative.to_owned());
        }
    }
    Ok(files)
}

/// HEAD's commit time (seconds since 1970), `None` without commits.
pub fn head_commit_time(work_tree: &Path) -> Result<Option<i64>> {
    let error = |err: &dyn std::fmt::Display| {
        Error::scm(
            format!("cannot read HEAD in {}: {err}", work_tree.display()),
            None,
        )
    };
    let repo = open(work_tree)
        .map_err(|err| error(&err))?
        .to_thread_local();
    let Ok(commit) = repo.head_commit() else {
        return Ok(None);
    };
    Ok(Some(
        commit.committer().map_err(|err| error(&err))?.seconds(),
    ))
}

/// The repository's common git directory (where its `config` is, for linked work trees too).
pub fn git_dir(work_tree: &Path) -> Result<PathBuf> {
    let repo = open(work_tree).map_err(|err| {
        Error::scm(
            format!(
                "cannot open the git repository at {}: {err}",
                work_tree.display()
            ),
            None,
        )
    })?;
    Ok(repo.to_thread_local().common_dir().to_path_buf())
}

/// Every tag that parses as a version, by the commit it points to. When several version tags
/// name one commit the highest version wins (a moving `v1` next to `v1.2.3` gives `1.2.3`).
fn version_tags(
    repo: &gix::Repository,
    matcher: &TagMatcher,
) -> Result<HashMap<gix::ObjectId, Tag>, gix::Error> {
    let mut by_commit: HashMap<gix::ObjectId, Tag> = HashMap::new();
    let platform = repo.references()?;
    for reference in platform.tags()? {
        let mut reference = reference.map_err(|err| gix::Error::from_error(err))?;
        let name = reference.name().shorten().to_string();
        let Some(tag) = matcher.parse(&name) else {
            continue;
        };
        // A tag of a tree or blob names no commit: skip it as git describe does.
        let Ok(target) = reference.peel_to_id() else {
            continue;
        };
        let target = target.detach();
        match by_commit.get(&target) {
            Some(existing) if (&existing.version, &existing.name) >= (&tag.version, &tag.name) => {}
            _ => {
                by_commit.insert(target, tag);
            }
        }
    }
    Ok(by_commit)
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, clippy::items_after_statements)]
pub(super) mod tests {
    use std::process::Command;

    use super::*;

    /// A scratch repository driven by an isolated `git` (no system or global config, fixed
    /// identity and dates), as gitoxide's own fixtures are.
    pub(in crate::scm) struct Repo {
        pub(in crate::scm) dir: tempfile::TempDir,
        commits: u32,
    }

    impl Repo {
        pub(in crate::scm) fn new() -> Self {
            let repo = Repo {
                dir: tempfile::tempdir().unwrap(),
                commits: 0,
            };
            repo.git(&["init", "-q", "-b", "main"]);
            repo
        }

        pub(in crate::scm) fn git(&self, args: &[&str]) -> String {
            self.git_at(
                args,
                &format!("2024-01-0{}T12:00:00+00:00", (self.commits % 9) + 1),
            )
        }

        fn git_at(&self, args: &[&str], date: &str) -> String {
            let output = Command::new("git")
                .args(args)
                .current_dir(self.dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("HOME", self.dir.path())
                .env("GIT_AUTHOR_NAME", "A")
                .env("GIT_AUTHOR_EMAIL", "a@example.com")
                .env("GIT_COMMITTER_NAME", "A")
                .env("GIT_COMMITTER_EMAIL", "a@example.com")
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date)
                .output()
                .expect("git runs");
            assert!(
                output.status.success(),
                "git {args:?}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            String::from_utf8(output.stdout).unwrap().trim().to_owned()
        }

        pub(crate) fn commit(&mut self, file: &str) {
            let path = self.dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let old = std::fs::read_to_string(&path).unwrap_or_default();
            std::fs::write(&path, format!("{old}{}\n", self.commits)).unwrap();
            self.git(&["add", file]);
            self.commits += 1;
            self.git(&["commit", "-q", "-m", &format!("commit {}", self.commits)]);
        }

        /// Feed `stream` to `git fast-import` (one process for a whole history). Its objects
        /// stay in one pack however few they are: writing them out as loose objects costs more
        /// than the import itself.
        pub(in crate::scm) fn fast_import(&self, stream: &str) {
            use std::io::Write as _;
            let mut child = Command::new("git")
                .args(["-c", "fastimport.unpackLimit=1", "fast-import", "--quiet"])
                .current_dir(self.dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("HOME", self.dir.path())
                .stdin(std::process::Stdio::piped())
                .spawn()
                .expect("git runs");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(stream.as_bytes())
                .unwrap();
            assert!(child.wait().unwrap().success(), "git fast-import failed");
        }

        fn facts(&self) -> Facts {
            read_facts(self.dir.path(), &TagMatcher::new(None, None).unwrap(), None).unwrap()
        }

        /// What `git describe --tags --long --dirty` says: (tag, distance, dirty).
        fn git_describe(&self) -> (String, u64, bool) {
            let out = self.git(&["describe", "--tags", "--long", "--dirty"]);
            let dirty = out.ends_with("-dirty");
            let out = out.trim_end_matches("-dirty");
            let mut parts = out.rsplitn(3, '-');
            let _node = parts.next();
            let distance = parts.next().unwrap().parse().unwrap();
            (parts.next().unwrap().to_owned(), distance, dirty)
        }
    }

    #[test]
    fn open_leaves_out_configuration_that_names_programs() {
        let mut repo = Repo::new();
        repo.commit("a");
        let config = repo.dir.path().join(".git/config");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(
            "[filter \"evil\"]\n\tclean = touch ran\n\tprocess = touch ran\n\
             [diff \"evil\"]\n\ttextconv = touch ran\n[credential]\n\thelper = touch ran\n\
             [Core]\n\tautocrlf = input\n\tFSMonitor = touch ran\n\thooksPath = hooks\n\
             \tsshCommand = touch ran\n[core \"x\"]\n\tfsmonitor = touch ran\n",
        );
        std::fs::write(&config, text).unwrap();
        let repo = open(repo.dir.path()).unwrap().to_thread_local();
        let config = repo.config_snapshot();
        for key in [
            "filter.evil.clean",
            "filter.evil.process",
            "diff.evil.textconv",
            "credential.helper",
            "core.fsmonitor",
            "core.hooksPath",
            "core.sshCommand",
            "core.x.fsmonitor",
        ] {
            assert_eq!(config.string(key), None, "{key}");
        }
        // What reading the work tree needs stays.
        assert_eq!(
            config
                .string("core.autocrlf")
                .map(|value| value.to_string()),
            Some("input".to_owned())
        );
    }

    #[test]
    fn a_missing_commit_is_an_error_naming_it() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.git(&["tag", "v1.0.0"]);
        for _ in 0..3 {
            repo.commit("a");
        }
        let victim = repo.git(&["rev-parse", "HEAD~1"]);
        let objects = repo.dir.path().join(".git/objects");
        std::fs::remove_file(objects.join(&victim[..2]).join(&victim[2..])).unwrap();
        let err =
            read_facts(repo.dir.path(), &TagMatcher::new(None, None).unwrap(), None).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Scm { .. }), "{err:?}");
        assert!(
            text.contains(&victim) && text.contains("git fsck"),
            "{text}"
        );
    }

    #[test]
    fn a_broken_commit_graph_is_left_out() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.git(&["tag", "v1.0.0"]);
        repo.commit("a");
        repo.commit("b");
        let expected = repo.facts();
        repo.git(&["commit-graph", "write", "--reachable"]);
        let path = repo.dir.path().join(".git/objects/info/commit-graph");
        let graph = std::fs::read(&path).unwrap();
        let mut bad_signature = graph.clone();
        bad_signature[0] ^= 0xff;
        for broken in [graph[..graph.len() / 2].to_vec(), Vec::new(), bad_signature] {
            std::fs::remove_file(&path).unwrap();
            std::fs::write(&path, broken).unwrap();
            let facts = repo.facts();
            assert_eq!(facts.tag.unwrap().name, expected.tag.as_ref().unwrap().name);
            assert_eq!(facts.distance, expected.distance);
        }
    }

    #[test]
    fn a_panicking_worker_is_an_internal_error() {
        let result: Result<bool> = std::thread::scope(|scope| {
            joined(scope.spawn(|| -> Result<bool> { panic!("status exploded") }))
        });
        let err = result.unwrap_err();
        assert!(matches!(err, Error::Internal { .. }), "{err:?}");
        assert!(err.to_string().contains("status exploded"), "{err}");
    }

    #[test]
    fn distance_dirty_and_node_agree_with_git_describe() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.git(&["tag", "v1.0.0"]);
        repo.commit("a");
        repo.commit("b");
        let facts = repo.facts();
        assert_eq!(facts.tag.as_ref().unwrap().name, "v1.0.0");
        assert_eq!(
            (String::from("v1.0.0"), facts.distance, facts.dirty),
            repo.git_describe()
        );
        let head = repo.git(&["rev-parse", "HEAD"]);
        assert_eq!(facts.short_node().unwrap(), format!("g{}", &head[..9]));
        assert_eq!(facts.branch.as_deref(), Some("main"));
        let date = repo.git(&["log", "-1", "--format=%cd", "--date=short"]);
        assert_eq!(facts.node_date.unwrap().to_string(), date);

        std::fs::write(repo.dir.path().join("untracked"), "x").unwrap();
        assert!(
            !repo.facts().dirty,
            "untracked files do not make the tree dirty"
        );
        std::fs::write(repo.dir.path().join("a"), "changed").unwrap();
        assert!(repo.facts().dirty);
        assert!(repo.git_describe().2);
    }

    #[test]
    fn staged_and_deleted_files_are_dirty() {
        let mut repo = Repo::new();
        repo.commit("a");
        std::fs::write(repo.dir.path().join("new"), "x").unwrap();
        repo.git(&["add", "new"]);
        assert!(repo.facts().dirty);
        repo.git(&["reset", "-q"]);
        std::fs::remove_file(repo.dir.path().join("a")).unwrap();
        assert!(repo.facts().dirty);
    }

    /// The status check answers as gix's status iterator does, in each state
    /// a work tree can be in, with and without a scope.
    #[test]
    fn the_status_check_agrees_with_the_iterator() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.commit("lib/b");
        let dir = repo.dir.path().to_path_buf();
        let lib = [ScopePath::parse("lib").unwrap()];
        let check = |expected: bool, in_lib: bool, state: &str| {
            let opened = open(&dir).unwrap().to_thread_local();
            let by_iterator = tracked_changes(&opened)
                .unwrap()
                .any(|change| change.is_ok());
            assert_eq!(by_iterator, expected, "iterator, {state}");
            assert_eq!(
                has_tracked_change(&opened, None).unwrap(),
                expected,
                "{state}"
            );
            assert_eq!(
                has_tracked_change(&opened, Some(&lib)).unwrap(),
                in_lib,
                "{state}, scope lib"
            );
        };
        check(false, false, "clean");
        // Touched, same content: a stat change is no change.
        std::fs::write(dir.join("a"), std::fs::read(dir.join("a")).unwrap()).unwrap();
        check(false, false, "touched");
        std::fs::write(dir.join("a"), "changed\n").unwrap();
        check(true, false, "modified outside the scope");
        repo.git(&["checkout", "-q", "--", "a"]);
        std::fs::write(dir.join("lib/b"), "changed\n").unwrap();
        check(true, true, "modified in the scope");
        repo.git(&["add", "lib/b"]);
        std::fs::write(dir.join("lib/b"), std::fs::read(dir.join("a")).unwrap()).unwrap();
        repo.git(&["checkout", "-q", "HEAD", "--", "lib/b"]);
        check(false, false, "restored");
        std::fs::write(dir.join("new"), "x").unwrap();
        check(false, false, "untracked");
        repo.git(&["add", "-N", "new"]);
        check(true, false, "intent to add");
        repo.git(&["add", "new"]);
        check(true, false, "staged");
        repo.git(&["reset", "-q"]);
        std::fs::remove_file(dir.join("lib/b")).unwrap();
        check(true, true, "deleted in the scope");
        repo.git(&["checkout", "-q", "--", "lib/b"]);
        std::fs::remove_file(dir.join("new")).unwrap();
        check(false, false, "clean again");
        // The index's cached tree is valid but is not HEAD's tree: the change is staged.
        repo.commit("lib/b");
        repo.git(&["reset", "-q", "--soft", "HEAD~1"]);
        check(true, true, "a commit undone with reset --soft");
    }

    #[test]
    fn highest_version_wins_and_non_versions_are_skipped() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.git(&["tag", "v1.2.3"]);
        repo.git(&["tag", "v1"]);
        repo.commit("a");
        repo.git(&["tag", "release/1.9"]);
        repo.git(&["tag", "latest"]);
        repo.commit("a");
        let facts = repo.facts();
        assert_eq!(facts.tag.unwrap().name, "v1.2.3");
        assert_eq!(facts.distance, 2);
    }

    #[test]
    fn untagged_and_unborn_repositories() {
        let mut repo = Repo::new();
        let unborn = repo.facts();
        assert!(unborn.dirty && unborn.node.is_none() && unborn.distance == 0);
        assert_eq!(unborn.branch.as_deref(), Some("main"));
        repo.commit("a");
        repo.commit("a");
        let facts = repo.facts();
        assert!(facts.tag.is_none());
        assert_eq!(facts.distance, 2);
    }

    #[test]
    fn detached_head_is_named_head() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.commit("a");
        repo.git(&["checkout", "-q", "HEAD~1"]);
        assert_eq!(repo.facts().branch.as_deref(), Some("HEAD"));
    }

    #[test]
    fn annotated_tags_are_peeled_to_their_commit() {
        let mut repo = Repo::new();
        repo.commit("a");
        repo.git(&["tag", "-a", "v2.0.0", "-m", "release"]);
        let facts = repo.facts();
        assert_eq!(facts.tag.unwrap().version.to_string(), "2.0.0");
        assert_eq!(facts.distance, 0);
    }

    /// Random merge histories (commit dates out of order, more tags than git's 10
    /// candidates) described by packkit and by `git describe --tags --long`: the nearest tag
    /// and the distance must agree, oddities of git's count included. Each history is written
    /// by one `git fast-import`: the very commits (same ids) that `git commit-tree` of the empty
    /// tree would make one subprocess at a time, and the same lightweight tags, in a pack (the
    /// other tests here read loose objects).
    #[test]
    fn random_histories_match_git_describe() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        // A commit of the empty tree with these parents (fast-import marks), as `git commit-tree`
        // writes it with `-m message` at `date` (author and committer alike).
        let commit = |mark: usize, message: &str, date: &str, parents: &[usize]| {
            let time = date.parse::<jiff::Timestamp>().unwrap().as_second();
            let mut text = format!(
                "commit refs/heads/main\nmark :{mark}\nauthor A <a@example.com> {time} +0000\n\
                 committer A <a@example.com> {time} +0000\ndata {}\n{message}\n",
                message.len() + 1
            );
            for (index, parent) in parents.iter().enumerate() {
                let kind = if index == 0 { "from" } else { "merge" };
                text.push_str(&format!("{kind} :{parent}\n"));
            }
            text + "\n"
        };
        for round in 0..40 {
            let repo = Repo::new();
            let mut stream = String::new();
            // Commit `n` of the history is mark `n + 1`.
            let size = 20 + random(40) as usize;
            for n in 0..size {
                let mut parents: Vec<usize> = Vec::new();
                if n > 0 {
                    let count = if random(4) == 0 { 2 } else { 1 };
                    for _ in 0..count {
                        // Mostly recent parents, sometimes far back, so branches form.
                        let back = if random(3) == 0 {
                            random(n as u64)
                        } else {
                            random(3.min(n as u64))
                        };
                        let parent = n - back as usize;
                        if !parents.contains(&parent) {
                            parents.push(parent);
                        }
                    }
                }
                // Dates mostly rise, but a quarter of the commits are older than their parents.
                let day = if random(4) == 0 {
                    1 + random(5)
                } else {
                    5 + n as u64 / 2
                };
                let date = format!("2024-02-{:02}T{:02}:00:00+00:00", day.min(28), random(24));
                stream.push_str(&commit(n + 1, &format!("c{n}"), &date, &parents));
            }
            // The head merges a few tips so most of the history is reachable; main points at it.
            let mut tips: Vec<usize> = Vec::new();
            for _ in 0..3 {
                let tip = size - random(size as u64 / 2) as usize;
                if !tips.contains(&tip) {
                    tips.push(tip);
                }
            }
            stream.push_str(&commit(
                size + 1,
                "head",
                "2024-03-01T00:00:00+00:00",
                &tips,
            ));
            let tag_count = 4 + random(11);
            let mut tagged = std::collections::HashSet::new();
            for t in 0..tag_count {
                let mark = 1 + random(size as u64) as usize;
                if tagged.insert(mark) {
                    stream.push_str(&format!("reset refs/tags/v1.{t}.0\nfrom :{mark}\n\n"));
                }
            }
            repo.fast_import(&stream);
            if round % 2 == 1 {
                // Odd rounds read the history from a commit-graph file instead of objects.
                repo.git(&["commit-graph", "write", "--reachable"]);
            }
            let Ok(out) = Command::new("git")
                .args(["describe", "--tags", "--long"])
                .current_dir(repo.dir.path())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .output()
            else {
                panic!("git runs")
            };
            let facts = repo.facts();
            if !out.status.success() {
                assert!(facts.tag.is_none(), "round {round}: git found no tag");
                let count = repo.git(&["rev-list", "--count", "HEAD"]);
                assert_eq!(facts.distance.to_string(), count, "round {round}");
                continue;
            }
            let described = String::from_utf8(out.stdout).unwrap();
            let mut parts = described.trim().rsplitn(3, '-');
            let (_node, distance, name) =
                (parts.next(), parts.next().unwrap(), parts.next().unwrap());
            let ours = facts.tag.map(|t| t.name);
            assert_eq!(
                (ours.as_deref(), facts.distance.to_string().as_str()),
                (Some(name), distance),
                "round {round}"
            );
        }
    }

    /// A long history (long enough for the walk to read the pack in pack order), imported
    /// with `git fast-import` and repacked as a clone would be, with merges and tags along the
    /// way.
    #[test]
    fn long_histories_match_git_describe() {
        let repo = Repo::new();
        let mut stream = String::new();
        let commits = 4000;
        for n in 1..=commits {
            let parent = if n > 1 {
                format!("from :{}\n", n - 1)
            } else {
                String::new()
            };
            // Every 100th commit merges a side line started 50 commits earlier.
            let merge = if n % 100 == 0 {
                format!("merge :{}\n", n - 50)
            } else {
                String::new()
            };
            let time = 1_700_000_000 + n * 60;
            stream.push_str(&format!(
                "commit refs/heads/main\nmark :{n}\ncommitter A <a@example.com> {time} +0000\ndata 8\nc{n:06}\n{parent}{merge}\n"
            ));
            if n % 700 == 0 && n <= 1400 {
                stream.push_str(&format!("reset refs/tags/v1.{n}.0\nfrom :{n}\n\n"));
            }
        }
        repo.fast_import(&stream);
        repo.git(&["repack", "-a", "-d", "-q"]);
        repo.git(&["reset", "-q", "--hard"]);
        for with_graph in [false, true] {
            if with_graph {
                repo.git(&["commit-graph", "write", "--reachable"]);
            }
            let (name, distance, _) = repo.git_describe();
            let facts = repo.facts();
            assert_eq!(facts.tag.unwrap().name, name);
            assert_eq!(facts.distance, distance);
        }
    }
}
