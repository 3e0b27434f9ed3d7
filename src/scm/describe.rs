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
//! the commits are kept in a plain map, so it beats a `git describe` subprocess.

use std::collections::{BinaryHeap, HashMap, HashSet};

use gix::ObjectId;
use gix::objs::{CommitRefIter, Find as _};

/// The number of competing names git describe tracks (its default `--candidates`).
pub const MAX_CANDIDATES: usize = 10;

pub struct Outcome {
    /// The winning name's commit; `None` when no name is reachable from the start.
    pub name_commit: Option<ObjectId>,
    /// Commits between the name and the start (describe's depth). Without a name: the number
    /// of commits reachable from the start (`git rev-list --count`).
    pub depth: u64,
}

/// Reads commits: from the commit-graph file when it has them, else from the object database.
pub struct CommitSource<'r> {
    repo: &'r gix::Repository,
    graph: Option<gix::commitgraph::Graph>,
    /// Commits at the edge of a shallow clone: git treats them as having no parents.
    shallow: HashSet<ObjectId>,
    buf: Vec<u8>,
}

impl<'r> CommitSource<'r> {
    pub fn new(repo: &'r gix::Repository) -> Result<Self, gix::Error> {
        let graph = repo.commit_graph_if_enabled()?;
        let shallow = repo
            .shallow_commits()?
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default();
        Ok(CommitSource {
            repo,
            graph,
            shallow,
            buf: Vec::new(),
        })
    }

    /// The committer time and parents of `id`, or `None` if the commit is missing (which
    /// happens past the edge of a shallow clone).
    fn read(&mut self, id: &ObjectId) -> Result<Option<(i64, Vec<ObjectId>)>, gix::Error> {
        let cut = self.shallow.contains(id);
        if let Some(graph) = &self.graph {
            if let Some(position) = graph.lookup(id) {
                let commit = graph.commit_at(position);
                let time = i64::try_from(commit.committer_timestamp()).unwrap_or(i64::MAX);
                let mut parents = Vec::new();
                if !cut {
                    for parent in commit.iter_parents() {
                        let parent = parent.map_err(|err| gix::Error::from_error(err))?;
                        parents.push(graph.id_at(parent).to_owned());
                    }
                }
                return Ok(Some((time, parents)));
            }
        }
        let Some(data) = self.repo.objects.try_find(id, &mut self.buf)? else {
            return Ok(None);
        };
        let mut parents = Vec::new();
        let mut time = 0;
        for token in CommitRefIter::from_bytes(data.data, id.kind()) {
            match token? {
                gix::objs::commit::ref_iter::Token::Parent { id } if !cut => parents.push(id),
                gix::objs::commit::ref_iter::Token::Committer { signature } => {
                    time = signature.seconds();
                    break; // parents come before the committer; nothing later is needed
                }
                _ => {}
            }
        }
        Ok(Some((time, parents)))
    }
}

struct Node {
    time: i64,
    parents: Vec<ObjectId>,
    /// Bit `i` set: the commit is in the history of candidate `i`.
    flags: u32,
}

/// Commits to visit, newest committer date first; equal dates in insertion order (git's
/// `commit_list_insert_by_date`).
#[derive(Default)]
struct Queue {
    heap: BinaryHeap<(i64, std::cmp::Reverse<u64>, ObjectId)>,
    inserted: u64,
}

impl Queue {
    fn push(&mut self, time: i64, id: ObjectId) {
        self.inserted += 1;
        self.heap.push((time, std::cmp::Reverse(self.inserted), id));
    }

    fn pop(&mut self) -> Option<ObjectId> {
        self.heap.pop().map(|(_, _, id)| id)
    }
}

struct Candidate {
    commit: ObjectId,
    depth: u64,
    bit: u32,
    order: usize,
}

struct Walk<'s, 'r> {
    source: &'s mut CommitSource<'r>,
    nodes: HashMap<ObjectId, Node>,
    queue: Queue,
}

impl Walk<'_, '_> {
    /// Make sure `id` is known (read once), returning whether it was new.
    fn see(&mut self, id: ObjectId) -> Result<bool, gix::Error> {
        if self.nodes.contains_key(&id) {
            return Ok(false);
        }
        let Some((time, parents)) = self.source.read(&id)? else {
            return Ok(false);
        };
        self.nodes.insert(
            id,
            Node {
                time,
                parents,
                flags: 0,
            },
        );
        self.queue.push(time, id);
        Ok(true)
    }

    /// Queue the parents of `id` (read on first sight) and pass its flags on to them.
    fn visit_parents(&mut self, id: &ObjectId) -> Result<(), gix::Error> {
        let (parents, flags) = {
            let node = &self.nodes[id];
            (node.parents.clone(), node.flags)
        };
        for parent in parents {
            self.see(parent)?;
            if let Some(node) = self.nodes.get_mut(&parent) {
                node.flags |= flags;
            }
        }
        Ok(())
    }

    fn flags(&self, id: &ObjectId) -> u32 {
        self.nodes[id].flags
    }
}

/// Describe `start` with the names in `names` (commit ids that carry a name).
pub fn describe(
    source: &mut CommitSource<'_>,
    start: ObjectId,
    names: &HashSet<ObjectId>,
) -> Result<Outcome, gix::Error> {
    if names.contains(&start) {
        return Ok(Outcome {
            name_commit: Some(start),
            depth: 0,
        });
    }
    let mut walk = Walk {
        source,
        nodes: HashMap::new(),
        queue: Queue::default(),
    };
    walk.see(start)?;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen_commits: u64 = 0;
    let mut gave_up_on = None;
    while let Some(commit) = walk.queue.pop() {
        seen_commits += 1;
        if names.contains(&commit) {
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
            walk.nodes.get_mut(&commit).expect("seen").flags |= bit;
        }
        let flags = walk.flags(&commit);
        for candidate in &mut candidates {
            if flags & candidate.bit == 0 {
                candidate.depth += 1;
            }
        }
        // Stop if the last remaining path is already covered by the best candidate(s).
        if !candidates.is_empty() && walk.queue.heap.is_empty() {
            let best_depth = candidates.iter().map(|c| c.depth).min().expect("not empty");
            let best_within = candidates
                .iter()
                .filter(|c| c.depth == best_depth)
                .fold(0, |bits, c| bits | c.bit);
            if flags & best_within == best_within {
                break;
            }
        }
        walk.visit_parents(&commit)?;
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
        let time = walk.nodes[&commit].time;
        walk.queue.push(time, commit);
    }
    // git's finish_depth_computation: keep walking until every queued commit is in the
    // winner's history, counting those that are not.
    while let Some(commit) = walk.queue.pop() {
        let flags = walk.flags(&commit);
        if flags & best.bit != 0 {
            if walk
                .queue
                .heap
                .iter()
                .all(|(_, _, id)| walk.nodes[id].flags & best.bit != 0)
            {
                break;
            }
        } else {
            best.depth += 1;
        }
        walk.visit_parents(&commit)?;
    }
    Ok(Outcome {
        name_commit: Some(best.commit),
        depth: best.depth,
    })
}

/// The number of commits reachable from `start` (`git rev-list --count start`).
pub fn count_commits(source: &mut CommitSource<'_>, start: ObjectId) -> Result<u64, gix::Error> {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut stack = vec![start];
    let mut count = 0;
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        // Commits past the edge of a shallow clone are not there to count.
        if let Some((_, parents)) = source.read(&id)? {
            count += 1;
            stack.extend(parents.into_iter().filter(|p| !seen.contains(p)));
        }
    }
    Ok(count)
}
