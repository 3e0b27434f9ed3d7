//! The monorepo distance scope of setuptools_scm 10 (`scm.git.distance_scope`): the distance
//! counts only the commits that change the project's folder (and any extra paths), as
//! `git rev-list --count --full-history|--first-parent <tag>..HEAD -- <paths>` does, and the
//! tree is dirty only when a tracked file under those paths is changed. Computed with gix.

use gix::ObjectId;
use gix::hashtable::{HashMap, HashSet};
use gix::objs::tree::EntryMode;

/// How the commits that touch the scope are counted (setuptools_scm's `GitDistanceCount`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DistanceCount {
    /// Every commit since the tag whose tree differs at the paths from one of its parents
    /// (`git rev-list --full-history`).
    #[default]
    FullHistory,
    /// The same, on the first-parent line only (`git rev-list --first-parent`).
    FirstParent,
}

impl DistanceCount {
    pub const NAMES: [&'static str; 2] = ["full-history", "first-parent"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "full-history" => Some(DistanceCount::FullHistory),
            "first-parent" => Some(DistanceCount::FirstParent),
            _ => None,
        }
    }
}

/// A path of the scope, relative to the top of the work tree, `/`-separated, as git reads a
/// literal pathspec: the file or folder at `path` and everything below it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopePath {
    /// Normalised: no `.` or `..` components, no empty ones, not empty itself.
    pub path: String,
    /// Written with a trailing `/`: only a folder (or submodule) there matches, as in git.
    pub directory_only: bool,
}

impl ScopePath {
    /// Read a path from configuration (untrusted text): relative, inside the repository, and
    /// nothing git would read as a pattern or as pathspec magic. The error says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("the path is empty".to_owned());
        }
        if text.starts_with('/') || text.get(1..2) == Some(":") || text.starts_with('\\') {
            return Err(format!(
                "{text:?} is absolute: scope paths are relative to the top of the git repository"
            ));
        }
        if let Some(odd) = text
            .chars()
            .find(|c| c.is_control() || matches!(c, '*' | '?' | '[' | ']' | '\\' | ':'))
        {
            return Err(format!(
                "{text:?} contains {odd:?}, which git would read as a pattern or pathspec \
                 magic: scope paths are plain folder or file names"
            ));
        }
        let mut parts: Vec<&str> = Vec::new();
        for part in text.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(format!("{text:?} leads out of the git repository"));
                    }
                }
                part => parts.push(part),
            }
        }
        if parts.is_empty() {
            return Err(format!(
                "{text:?} is the whole repository, which counts every commit"
            ));
        }
        Ok(ScopePath {
            path: parts.join("/"),
            directory_only: text.ends_with('/'),
        })
    }

    /// Whether the repository path `location` (`a/b/c.py`) is inside this scope path.
    pub fn contains(&self, location: &[u8]) -> bool {
        let path = self.path.as_bytes();
        match location.strip_prefix(path) {
            Some([]) => !self.directory_only,
            Some([b'/', ..]) => true,
            _ => false,
        }
    }
}

/// What a commit's tree has at each scope path: `(mode, id)`, or `None` when nothing is there.
type Entries = Vec<Option<(EntryMode, ObjectId)>>;

/// The commits `git rev-list <flag> <since>..HEAD -- <paths>` lists (no `since`: from every
/// commit reachable from `head`); their number is the scoped distance. `head` and `since` are
/// commit ids.
///
/// git's rules (revision.c, `try_to_simplify_commit` and `get_commit_action`, for
/// `--full-history` and `--first-parent` without `--parents`): the commits walked are those
/// reachable from `head` and not from `since` (for `--first-parent`, those of head's
/// first-parent line). A commit without parents counts when its tree has something at the
/// paths. Otherwise each parent compared (all of them, or the first) is *relevant* when it is
/// walked itself or is `since`; the commit counts when its tree differs at the paths from a
/// relevant parent, or, when no parent is relevant, from any parent.
pub fn commits_in_scope(
    repo: &gix::Repository,
    head: ObjectId,
    since: Option<ObjectId>,
    paths: &[ScopePath],
    count: DistanceCount,
) -> Result<HashSet<ObjectId>, gix::Error> {
    let walk = repo
        .rev_walk([head])
        .with_hidden(since)
        .all()
        .map_err(gix::Error::from_error)?;
    let mut parents_of: HashMap<ObjectId, Vec<ObjectId>> = HashMap::default();
    for info in walk {
        let info = info.map_err(gix::Error::from_error)?;
        parents_of.insert(info.id, info.parent_ids.to_vec());
    }
    let walked: Vec<ObjectId> = match count {
        DistanceCount::FullHistory => parents_of.keys().copied().collect(),
        DistanceCount::FirstParent => {
            let mut line = Vec::new();
            let mut next = Some(head);
            while let Some(id) = next.filter(|id| parents_of.contains_key(id)) {
                line.push(id);
                next = parents_of[&id].first().copied();
            }
            line
        }
    };
    let relevant = |id: &ObjectId| parents_of.contains_key(id) || Some(*id) == since;
    let mut entries = EntryCache {
        repo,
        paths,
        cache: HashMap::default(),
    };
    let mut listed = HashSet::default();
    for id in walked {
        let parents = &parents_of[&id];
        let compared = match count {
            DistanceCount::FullHistory => &parents[..],
            DistanceCount::FirstParent => &parents[..parents.len().min(1)],
        };
        let mine = entries.get(id)?;
        let counts = if compared.is_empty() {
            mine.iter().any(Option::is_some)
        } else {
            let (mut relevant_parents, mut relevant_change, mut irrelevant_change) =
                (0, false, false);
            for parent in compared {
                let differs = entries.get(*parent)? != mine;
                if relevant(parent) {
                    relevant_parents += 1;
                    relevant_change |= differs;
                } else {
                    irrelevant_change |= differs;
                }
            }
            if relevant_parents > 0 {
                relevant_change
            } else {
                irrelevant_change
            }
        };
        if counts {
            listed.insert(id);
        }
    }
    Ok(listed)
}

/// The entries at the scope paths of each commit, read once.
struct EntryCache<'a> {
    repo: &'a gix::Repository,
    paths: &'a [ScopePath],
    cache: HashMap<ObjectId, std::rc::Rc<Entries>>,
}

impl EntryCache<'_> {
    fn get(&mut self, commit: ObjectId) -> Result<std::rc::Rc<Entries>, gix::Error> {
        if let Some(found) = self.cache.get(&commit) {
            return Ok(found.clone());
        }
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(gix::Error::from_error)?
            .tree()
            .map_err(gix::Error::from_error)?;
        let mut entries = Entries::with_capacity(self.paths.len());
        for scope in self.paths {
            let entry = tree
                .lookup_entry(scope.path.split('/'))
                .map_err(gix::Error::from_error)?
                .map(|entry| (entry.mode(), entry.object_id()))
                // `dir/` matches a folder or a submodule only, as a git pathspec does.
                .filter(|(mode, _)| !scope.directory_only || mode.is_tree() || mode.is_commit());
            entries.push(entry);
        }
        let entries = std::rc::Rc::new(entries);
        self.cache.insert(commit, entries.clone());
        Ok(entries)
    }
}

/// Whether any scope path holds `location` (a repository path); no scope holds everything.
pub fn in_scope(paths: Option<&[ScopePath]>, location: &[u8]) -> bool {
    paths.is_none_or(|paths| paths.iter().any(|scope| scope.contains(location)))
}

/// `distance_scope` and `distance_count` as configured: the extra paths and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DistanceScope {
    /// The extra paths configured (`distance_scope = ["libs/shared"]`; `true` adds none).
    pub extra: Vec<ScopePath>,
    pub count: DistanceCount,
    /// The configuration key that asked for the scope, for messages.
    pub key: String,
}

/// The scope a version is counted in: the project's own folder and the configured paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The project's folder relative to the top of the work tree (`packages/a`); empty when
    /// the project is the top, which has no folder of its own to count.
    pub project_path: String,
    pub config: DistanceScope,
}

impl Scope {
    /// Every path of the scope, the project's folder first; an error when the project is the
    /// top of the work tree (setuptools_scm's: restricting the count to it would change
    /// nothing) or its folder's name is one git would read as a pattern.
    pub fn paths(&self, work_tree: &std::path::Path) -> crate::error::Result<Vec<ScopePath>> {
        if self.project_path.is_empty() {
            return Err(crate::error::Error::scm(
                format!(
                    "`{}` is set, but the project is the top of the git work tree {}: counting \
                     only the commits that touch it would count them all",
                    self.config.key,
                    work_tree.display()
                ),
                Some(
                    "remove the key, or use it in a project that is a folder of the repository \
                     (with `root` pointing up to the repository's top)"
                        .to_owned(),
                ),
            ));
        }
        let project = ScopePath::parse(&self.project_path).map_err(|message| {
            crate::error::Error::scm(
                format!("the project's folder cannot be a distance scope: {message}"),
                Some(format!(
                    "rename the folder, or remove `{}`",
                    self.config.key
                )),
            )
        })?;
        Ok(std::iter::once(ScopePath {
            directory_only: false,
            ..project
        })
        .chain(self.config.extra.iter().cloned())
        .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scm::git::tests::Repo;

    fn scope(paths: &[&str]) -> Vec<ScopePath> {
        paths.iter().map(|p| ScopePath::parse(p).unwrap()).collect()
    }

    /// A history with what changes git's count: merges of branches that touch the paths or
    /// not, a branch started before the tag, an `ours` merge that drops a side's change, a
    /// file replaced by a folder, and a tag on a side branch.
    fn monorepo() -> (Repo, Vec<String>) {
        let mut repo = Repo::new();
        let head = |repo: &Repo| repo.git(&["rev-parse", "HEAD"]);
        let mut commits = Vec::new();
        repo.commit("a/x");
        repo.commit("b/y");
        commits.push(head(&repo));
        repo.git(&["branch", "old"]);
        repo.commit("c");
        repo.git(&["tag", "v1.0"]);
        commits.push(head(&repo));
        repo.git(&["checkout", "-q", "-b", "feat"]);
        repo.commit("a/x");
        repo.commit("b/y");
        commits.push(head(&repo));
        repo.git(&["checkout", "-q", "main"]);
        repo.commit("b/y2");
        repo.commit("c");
        commits.push(head(&repo));
        repo.git(&["merge", "-q", "--no-ff", "-m", "merge feat", "feat"]);
        commits.push(head(&repo));
        repo.git(&["checkout", "-q", "old"]);
        repo.commit("a/z");
        repo.git(&["tag", "side-1.1"]);
        commits.push(head(&repo));
        repo.git(&["checkout", "-q", "main"]);
        repo.git(&["merge", "-q", "--no-ff", "-m", "merge old", "old"]);
        commits.push(head(&repo));
        repo.git(&["checkout", "-q", "-b", "dropped"]);
        repo.commit("a/x");
        repo.git(&["checkout", "-q", "main"]);
        repo.git(&["merge", "-q", "-s", "ours", "-m", "ours", "dropped"]);
        commits.push(head(&repo));
        repo.git(&["rm", "-q", "c"]);
        repo.commit("c/inner");
        commits.push(head(&repo));
        repo.commit("d");
        (repo, commits)
    }

    #[test]
    fn the_count_is_git_rev_list_for_every_start_paths_and_rule() {
        let (repo, commits) = monorepo();
        let gix_repo = crate::scm::git::open(repo.dir.path())
            .unwrap()
            .to_thread_local();
        let head = gix_repo.head_id().unwrap().detach();
        let path_sets: &[&[&str]] = &[
            &["a"],
            &["b"],
            &["a", "c"],
            &["a/"],
            &["c/"],
            &["c"],
            &["a/x"],
            &["b", "./a/../d"],
            &["missing"],
        ];
        let starts = std::iter::once(None).chain(commits.iter().map(Some));
        for since in starts {
            for paths in path_sets {
                for (count, flag) in [
                    (DistanceCount::FullHistory, "--full-history"),
                    (DistanceCount::FirstParent, "--first-parent"),
                ] {
                    let range = since.map_or("HEAD".to_owned(), |id| format!("{id}..HEAD"));
                    let mut args = vec!["rev-list", "--count", flag, &range, "--"];
                    args.extend(paths.iter());
                    let want: u64 = repo.git(&args).parse().unwrap();
                    let since_id = since.map(|id| ObjectId::from_hex(id.as_bytes()).unwrap());
                    let got =
                        commits_in_scope(&gix_repo, head, since_id, &scope(paths), count).unwrap();
                    assert_eq!(got.len() as u64, want, "git rev-list {args:?}");
                }
            }
        }
    }

    #[test]
    fn scope_paths_are_plain_relative_paths_inside_the_repository() {
        let parsed = ScopePath::parse("./libs//shared/../common/").unwrap();
        assert_eq!(parsed.path, "libs/common");
        assert!(parsed.directory_only);
        assert_eq!(ScopePath::parse("a/b").unwrap().path, "a/b");
        for (bad, says) in [
            ("", "empty"),
            ("/etc", "absolute"),
            ("C:/x", "absolute"),
            ("\\x", "absolute"),
            ("..", "leads out"),
            ("a/../../b", "leads out"),
            (".", "whole repository"),
            ("a/..", "whole repository"),
            ("libs/*", "pattern"),
            (":(glob)libs", "pattern"),
            ("a?b", "pattern"),
            ("a[1]", "pattern"),
            ("a\\b", "pattern"),
            ("a\nb", "pattern"),
        ] {
            let message = ScopePath::parse(bad).unwrap_err();
            assert!(message.contains(says), "{bad:?}: {message}");
        }
    }

    #[test]
    fn a_scope_path_holds_itself_and_what_is_below_it() {
        let dir = ScopePath::parse("libs/a").unwrap();
        assert!(dir.contains(b"libs/a"));
        assert!(dir.contains(b"libs/a/x.py"));
        assert!(!dir.contains(b"libs/ab"));
        assert!(!dir.contains(b"libs"));
        let only_dir = ScopePath::parse("libs/a/").unwrap();
        assert!(!only_dir.contains(b"libs/a"));
        assert!(only_dir.contains(b"libs/a/x.py"));
        assert!(in_scope(None, b"anything"));
        assert!(!in_scope(Some(&[]), b"anything"));
    }
}
