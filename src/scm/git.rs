//! The git facts of a work tree, read in-process with gix: nearest version tag, distance,
//! node, dirty, branch, commit date, shallow. No `git` subprocess anywhere.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use gix::bstr::BStr;
use gix::revision::plumbing::describe;
use jiff::Timestamp;

use super::TagMatcher;
use crate::error::{Error, Result};
use crate::version::schemes::{Facts, Tag};

/// How much memory the object cache may use while walking history: it saves decoding the
/// same commits twice (git describe revisits commits when several tags compete).
const OBJECT_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// The number of competing tags git describe tracks before it settles (git's default).
const MAX_CANDIDATES: usize = 10;

/// Is `dir` the top of a git work tree (it holds `.git`, a directory or a worktree file)?
pub fn is_work_tree(dir: &Path) -> bool {
    dir.join(".git").exists()
}

/// The nearest ancestor directory of `dir` (itself included) that is a work tree.
pub fn enclosing_work_tree(dir: &Path) -> Option<&Path> {
    dir.ancestors().find(|d| is_work_tree(d))
}

/// Read the git facts of the work tree at `work_tree`.
pub fn read_facts(work_tree: &Path, tags: &TagMatcher) -> Result<Facts> {
    let git_error = |what: &str, err: &dyn std::fmt::Display| {
        Error::scm(
            format!(
                "cannot read the git repository at {}: {what}: {err}",
                work_tree.display()
            ),
            Some(
                "check that it is a valid git checkout (`git status` there should work)".to_owned(),
            ),
        )
    };
    let mut repo = gix::open(work_tree).map_err(|err| git_error("open", &err))?;
    repo.object_cache_size_if_unset(OBJECT_CACHE_BYTES);

    let shallow = repo
        .is_shallow()
        .map_err(|err| git_error("shallow check", &err))?;
    let head = repo.head().map_err(|err| git_error("HEAD", &err))?;
    let branch = match head.referent_name() {
        Some(name) => Some(name.shorten().to_string()),
        None => Some("HEAD".to_owned()),
    };
    let Some(head_id) = head.id().map(|id| id.detach()) else {
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
    let head_commit = repo
        .find_commit(head_id)
        .map_err(|err| git_error("HEAD commit", &err))?;
    let commit_seconds = head_commit
        .committer()
        .map_err(|err| git_error("HEAD committer", &err))?
        .seconds();
    let node_date = Timestamp::from_second(commit_seconds)
        .ok()
        .map(|time| jiff::tz::TimeZone::UTC.to_datetime(time).date());
    let node = Some(format!("g{head_id}"));

    let (tags_by_commit, names) =
        version_tags(&repo, tags).map_err(|err| git_error("tags", &err))?;
    let nearest = if tags_by_commit.is_empty() {
        None
    } else {
        let cache = repo
            .commit_graph_if_enabled()
            .map_err(|err| git_error("commit-graph", &err))?;
        let mut graph = repo.revision_graph(cache.as_ref());
        let outcome = describe(
            &head_id,
            &mut graph,
            describe::Options {
                name_by_oid: names,
                max_candidates: MAX_CANDIDATES,
                fallback_to_oid: false,
                first_parent: false,
            },
        );
        match outcome {
            Ok(found) => found.and_then(|o| o.name.map(|name| (name.to_string(), o.depth))),
            // A shallow clone cuts history: the walk may run into commits that are not there.
            Err(_) if shallow => None,
            Err(err) => return Err(git_error("describe", &err)),
        }
    };

    let dirty = repo.is_dirty().map_err(|err| git_error("status", &err))?;
    let (tag, distance) = match nearest {
        Some((name, depth)) => {
            let tag = tags_by_commit
                .into_values()
                .find(|t| t.name == name)
                .expect("describe names come from the map");
            (Some(tag), u64::from(depth))
        }
        None => (
            None,
            count_commits(&repo, head_id).map_err(|err| git_error("history", &err))?,
        ),
    };
    Ok(Facts {
        tag,
        distance,
        node,
        dirty,
        branch,
        node_date,
        shallow,
    })
}

/// Every tag that parses as a version, by the commit it points to. When several version tags
/// name one commit the highest version wins (a moving `v1` next to `v1.2.3` gives `1.2.3`).
fn version_tags(
    repo: &gix::Repository,
    matcher: &TagMatcher,
) -> Result<
    (
        HashMap<gix::ObjectId, Tag>,
        gix::hashtable::HashMap<gix::ObjectId, Cow<'static, BStr>>,
    ),
    gix::Error,
> {
    let mut by_commit: HashMap<gix::ObjectId, Tag> = HashMap::new();
    let platform = repo.references()?;
    for reference in platform.tags()? {
        let Ok(mut reference) = reference else {
            continue;
        };
        let name = reference.name().shorten().to_string();
        let Some(tag) = matcher.parse(&name) else {
            continue;
        };
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
    let names = by_commit
        .iter()
        .map(|(id, tag)| (*id, Cow::Owned(tag.name.clone().into())))
        .collect();
    Ok((by_commit, names))
}

/// The number of commits reachable from HEAD (`git rev-list HEAD | wc -l`).
fn count_commits(repo: &gix::Repository, head: gix::ObjectId) -> Result<u64, gix::Error> {
    let mut count = 0;
    for info in repo.rev_walk([head]).all()? {
        info?;
        count += 1;
    }
    Ok(count)
}
