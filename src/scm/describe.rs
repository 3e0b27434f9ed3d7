//! `git describe --tags` over a caller-chosen set of names, walking each commit once.
//!
//! This is git's own algorithm (describe.c, git 2.47): walk from HEAD newest-first by
//! committer date, let up to `MAX_CANDIDATES` names compete, count for each how many walked
//! commits are not in its history, and finish the count for the winner. Results — including
//! git's odd distances after merges of branches with older dates — match `git describe`.
//!
//! Why not gix's `describe()`: it decodes every commit twice (once as a parent to learn its
//! date, once when popped to learn its parents), and keeps walking after every name has been
//! found. Here each commit is read once — from the commit-graph file when there is one — and
//! kept by index in plain vectors, so the queue and the flags need no hashing.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use gix::ObjectId;
use gix::hashtable::{HashMap, HashSet};
use gix::objs::{CommitRefIter, Find as _};

use super::prefetch::{Decoded, Prefetcher};

/// The number of competing names git describe tracks (its default `--candidates`).
pub const MAX_CANDIDATES: usize = 10;

pub struct Outcome {
    /// The winning name's commit; `None` when no name is reachable from the start.
    pub name_commit: Option<ObjectId>,
    /// Commits between the name and the start (describe's depth). Without a name: the number
    /// of commits reachable from the start (`git rev-list --count`).
    pub depth: u64,
}

/// After this many commits read from objects (no commit-graph), start reading ahead on a
/// second thread: a short walk is over before the thread would help.
const PREFETCH_AFTER: u32 = 1024;

/// Why the history cannot be walked.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    /// A commit the history needs is not in the object database (and not past the edge of a
    /// shallow clone): the repository is incomplete, so no distance can be trusted.
    #[error("commit {0} is missing from the repository")]
    Missing(ObjectId),
    /// A commit object is there but cannot be read or is not a commit.
    #[error("commit {id} cannot be read: {reason}")]
    Corrupt { id: ObjectId, reason: String },
    /// The commit-graph file contradicts itself. It is a cache: walk again without it.
    #[error("the commit-graph file is corrupt: {0}")]
    Graph(String),
    /// Anything else gix reports (the `shallow` file, say).
    #[error(transparent)]
    Other(#[from] gix::Error),
}

/// Reads commits: from the commit-graph file when it has them, else from the object database
/// (with a helper thread reading ahead once the walk is long).
pub struct CommitSource<'r> {
    repo: &'r gix::Repository,
    graph: Option<gix::commitgraph::Graph>,
    /// Commits at the edge of a shallow clone: git treats them as having no parents.
    shallow: HashSet<ObjectId>,
    buf: Vec<u8>,
    object_reads: u32,
    prefetch: Option<Prefetcher>,
}

impl<'r> CommitSource<'r> {
    /// A source over `repo`, reading the commit-graph file when `use_graph` and it is there. A
    /// commit-graph that does not open (truncated, a bad header or chunk table) is left out, as
    /// git leaves it out.
    pub fn new(repo: &'r gix::Repository, use_graph: bool) -> Result<Self, WalkError> {
        let graph = if use_graph {
            repo.commit_graph_if_enabled().ok().flatten()
        } else {
            None
        };
        let shallow = repo
            .shallow_commits()?
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default();
        Ok(CommitSource {
            repo,
            graph,
            shallow,
            buf: Vec::new(),
            object_reads: 0,
            prefetch: None,
        })
    }

    /// The committer time of `id`, its parents appended to `parents` (none at the edge of a
    /// shallow clone, whose parents are not there).
    fn read(&mut self, id: &ObjectId, parents: &mut Vec<ObjectId>) -> Result<i64, WalkError> {
        let cut = self.shallow.contains(id);
        if let Some(graph) = &self.graph {
            if let Some(position) = graph.lookup(id) {
                let commit = graph.commit_at(position);
                if !cut {
                    for parent in commit.iter_parents() {
                        let parent = parent.map_err(|err| WalkError::Graph(err.to_string()))?;
                        // gix panics on a position past the end: check it first.
                        if parent.0 >= graph.num_commits() {
                            return Err(WalkError::Graph(format!(
                                "commit {id} has a parent at position {parent} of {}",
                                graph.num_commits()
                            )));
                        }
                        parents.push(graph.id_at(parent).to_owned());
                    }
                }
                return Ok(i64::try_from(commit.committer_timestamp()).unwrap_or(i64::MAX));
            }
        }
        let read_ahead = self
            .prefetch
            .as_ref()
            .and_then(|prefetch| prefetch.take(id));
        let (time, mut found) = if let Some(decoded) = read_ahead {
            decoded
        } else {
            let data = self
                .repo
                .objects
                .try_find(id, &mut self.buf)
                .map_err(|err| WalkError::Corrupt {
                    id: *id,
                    reason: err.to_string(),
                })?
                .ok_or(WalkError::Missing(*id))?;
            if data.kind != gix::object::Kind::Commit {
                return Err(WalkError::Corrupt {
                    id: *id,
                    reason: format!("it is a {}, not a commit", data.kind),
                });
            }
            let decoded = parse_commit(data.data, id.kind()).ok_or(WalkError::Corrupt {
                id: *id,
                reason: "not a valid commit object".to_owned(),
            })?;
            self.object_reads += 1;
            match &self.prefetch {
                Some(prefetch) => prefetch.walk_is_at(*id),
                None if self.object_reads == PREFETCH_AFTER && self.graph.is_none() => {
                    let pack_dir = self.repo.objects.store_ref().path().join("pack");
                    self.prefetch = Some(Prefetcher::start(pack_dir, id.kind(), *id));
                }
                None => {}
            }
            decoded
        };
        if !cut {
            parents.append(&mut found);
        }
        Ok(time)
    }
}

/// The committer time and parents of a commit object's data; `None` if it does not parse.
pub fn parse_commit(data: &[u8], kind: gix::hash::Kind) -> Option<Decoded> {
    let mut parents = Vec::new();
    for token in CommitRefIter::from_bytes(data, kind) {
        match token.ok()? {
            gix::objs::commit::ref_iter::Token::Parent { id } => parents.push(id),
            // Parents come before the committer; nothing later is needed.
            gix::objs::commit::ref_iter::Token::Committer { signature } => {
                return Some((signature.seconds(), parents));
            }
            _ => {}
        }
    }
    None
}

/// A commit met on the walk. Parents live in `Walk::parents[parents.0..parents.1]`.
struct Node {
    time: i64,
    parents: (u32, u32),
    /// Bit `i` set: the commit is in the history of candidate `i`.
    flags: u32,
}

/// The walk's state: commits by index, so the queue and flags need no hashing.
struct Walk<'s, 'r> {
    source: &'s mut CommitSource<'r>,
    ids: Vec<ObjectId>,
    nodes: Vec<Node>,
    index: HashMap<ObjectId, u32>,
    parents: Vec<ObjectId>,
    /// Commits to visit, newest committer date first; equal dates in insertion order (git's
    /// `commit_list_insert_by_date`).
    queue: BinaryHeap<(i64, Reverse<u32>)>,
}

impl Walk<'_, '_> {
    /// The index of `id`, reading and queueing it on first sight.
    #[allow(clippy::cast_possible_truncation)] // u32 indices by design: < 4 billion commits
    fn see(&mut self, id: ObjectId) -> Result<u32, WalkError> {
        if let Some(index) = self.index.get(&id) {
            return Ok(*index);
        }
        let start = self.parents.len() as u32;
        let time = self.source.read(&id, &mut self.parents)?;
        let index = self.nodes.len() as u32;
        self.nodes.push(Node {
            time,
            parents: (start, self.parents.len() as u32),
            flags: 0,
        });
        self.ids.push(id);
        self.index.insert(id, index);
        // Indices grow in insertion order, so they double as git's tie-breaker.
        self.queue.push((time, Reverse(index)));
        Ok(index)
    }

    fn pop(&mut self) -> Option<u32> {
        self.queue.pop().map(|(_, Reverse(index))| index)
    }

    /// Queue the parents of `commit` (read on first sight) and pass its flags on to them.
    fn visit_parents(&mut self, commit: u32) -> Result<(), WalkError> {
        let Node {
            parents: (start, end),
            flags,
            ..
        } = self.nodes[commit as usize];
        for position in start..end {
            let parent = self.parents[position as usize];
            let parent = self.see(parent)?;
            self.nodes[parent as usize].flags |= flags;
        }
        Ok(())
    }
}

struct Candidate {
    commit: u32,
    depth: u64,
    bit: u32,
    order: usize,
}

/// Describe `start` with the names in `names` (commit ids that carry a name).
pub fn describe(
    source: &mut CommitSource<'_>,
    start: ObjectId,
    names: &HashSet<ObjectId>,
) -> Result<Outcome, WalkError> {
    if names.contains(&start) {
        return Ok(Outcome {
            name_commit: Some(start),
            depth: 0,
        });
    }
    let mut walk = Walk {
        source,
        ids: Vec::new(),
        nodes: Vec::new(),
        index: HashMap::default(),
        parents: Vec::new(),
        queue: BinaryHeap::new(),
    };
    walk.see(start)?;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen_commits: u64 = 0;
    let mut gave_up_on = None;
    while let Some(commit) = walk.pop() {
        seen_commits += 1;
        if names.contains(&walk.ids[commit as usize]) {
            if candidates.len() == MAX_CANDIDATES {
                gave_up_on = Some(commit);
                break;
            }
            let bit = 1u32 << candidates.len();
            candidates.push(Candidate {
                commit,
                depth: seen_commits - 1,
                bit,
                order: candidates.len(),
            });
            walk.nodes[commit as usize].flags |= bit;
        }
        let flags = walk.nodes[commit as usize].flags;
        for candidate in &mut candidates {
            if flags & candidate.bit == 0 {
                candidate.depth += 1;
            }
        }
        // Stop if the last remaining path is already covered by the best candidate(s).
        if !candidates.is_empty() && walk.queue.is_empty() {
            let best_depth = candidates.iter().map(|c| c.depth).min().expect("not empty");
            let best_within = candidates
                .iter()
                .filter(|c| c.depth == best_depth)
                .fold(0, |bits, c| bits | c.bit);
            if flags & best_within == best_within {
                break;
            }
        }
        walk.visit_parents(commit)?;
    }
    if candidates.is_empty() {
        return Ok(Outcome {
            name_commit: None,
            depth: seen_commits,
        });
    }
    candidates.sort_by_key(|c| (c.depth, c.order));
    let best = &mut candidates[0];
    if let Some(commit) = gave_up_on {
        // Put it back: git re-queues the commit it stopped at for the depth computation.
        walk.queue
            .push((walk.nodes[commit as usize].time, Reverse(commit)));
    }
    // git's finish_depth_computation: keep walking until every queued commit is in the
    // winner's history, counting those that are not.
    while let Some(commit) = walk.pop() {
        if walk.nodes[commit as usize].flags & best.bit != 0 {
            let all_within = walk
                .queue
                .iter()
                .all(|(_, Reverse(queued))| walk.nodes[*queued as usize].flags & best.bit != 0);
            if all_within {
                break;
            }
        } else {
            best.depth += 1;
        }
        walk.visit_parents(commit)?;
    }
    Ok(Outcome {
        name_commit: Some(walk.ids[best.commit as usize]),
        depth: best.depth,
    })
}

/// The number of commits reachable from `start` (`git rev-list --count start`).
pub fn count_commits(source: &mut CommitSource<'_>, start: ObjectId) -> Result<u64, WalkError> {
    let mut seen: HashSet<ObjectId> = HashSet::default();
    let mut stack = vec![start];
    let mut parents = Vec::new();
    let mut count = 0;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        source.read(&id, &mut parents)?;
        count += 1;
        stack.extend(parents.drain(..).filter(|p| !seen.contains(p)));
    }
    Ok(count)
}
