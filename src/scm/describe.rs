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

use super::packs::{OrderedPack, PackReader};

/// A commit's committer time and parents.
type Decoded = (i64, Vec<ObjectId>);

/// The number of competing names git describe tracks (its default `--candidates`).
pub const MAX_CANDIDATES: usize = 10;

pub struct Outcome {
    /// The winning name's commit; `None` when no name is reachable from the start.
    pub name_commit: Option<ObjectId>,
    /// Commits between the name and the start (describe's depth). Without a name: the number
    /// of commits reachable from the start (`git rev-list --count`).
    pub depth: u64,
}

/// After this many commits read from objects (no commit-graph), read the pack directly in
/// pack order: a short walk is over before that would pay for opening the pack.
const PACK_ORDER_AFTER: u32 = 512;

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

/// A commit as the walk knows it: its position in the commit-graph file, or its id when the
/// file does not hold it (no file, or a commit made after the file was written). Walking by
/// position needs no id lookup in the file and no hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Commit {
    Graph(u32),
    Object(ObjectId),
}

/// Reads commits: from the commit-graph file when it has them, else from the object database
/// (straight from the pack, in pack order, once the walk is long).
pub struct CommitSource<'r> {
    repo: &'r gix::Repository,
    graph: Option<gix::commitgraph::Graph>,
    /// `graph.num_commits()`, which sums over the files of a split graph on every call.
    graph_commits: u32,
    /// Commits at the edge of a shallow clone: git treats them as having no parents.
    shallow: HashSet<ObjectId>,
    buf: Vec<u8>,
    /// Parents of the commit read last, as ids, before they become [`Commit`]s.
    parent_ids: Vec<ObjectId>,
    object_reads: u32,
    reader: Option<PackReader>,
}

impl<'r> CommitSource<'r> {
    /// A source over `repo`, reading the commit-graph file when `use_graph` and it is there. A
    /// commit-graph that does not open (truncated, a bad header or chunk table) is left out, as
    /// git leaves it out; one whose commit ids are out of order is an error (see
    /// [`ids_in_order`]).
    pub fn new(repo: &'r gix::Repository, use_graph: bool) -> Result<Self, WalkError> {
        let graph = if use_graph {
            repo.commit_graph_if_enabled().ok().flatten()
        } else {
            None
        };
        if let Some(graph) = &graph {
            let files = graph_files(&repo.objects.store_ref().path().join("info"));
            if !ids_in_order(graph, files) {
                return Err(WalkError::Graph(
                    "its commit ids are out of order".to_owned(),
                ));
            }
        }
        let shallow = repo
            .shallow_commits()?
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default();
        Ok(CommitSource {
            repo,
            graph_commits: graph
                .as_ref()
                .map_or(0, gix::commitgraph::Graph::num_commits),
            graph,
            shallow,
            buf: Vec::new(),
            parent_ids: Vec::new(),
            object_reads: 0,
            reader: None,
        })
    }

    /// The commit `id` as the walk knows it.
    fn commit(&self, id: ObjectId) -> Commit {
        match self.graph.as_ref().and_then(|graph| graph.lookup(id)) {
            Some(position) => Commit::Graph(position.0),
            None => Commit::Object(id),
        }
    }

    fn id(&self, commit: Commit) -> ObjectId {
        match (commit, &self.graph) {
            (Commit::Graph(position), Some(graph)) => {
                graph.id_at(gix::commitgraph::Position(position)).to_owned()
            }
            (Commit::Object(id), _) => id,
            (Commit::Graph(_), None) => unreachable!("graph positions come from the graph"),
        }
    }

    fn is_shallow_edge(&self, commit: Commit) -> bool {
        !self.shallow.is_empty() && self.shallow.contains(&self.id(commit))
    }

    /// The committer time of `commit`, its parents appended to `parents` (none at the edge of
    /// a shallow clone, whose parents are not there).
    fn read(&mut self, commit: Commit, parents: &mut Vec<Commit>) -> Result<i64, WalkError> {
        let cut = self.is_shallow_edge(commit);
        let id = match (commit, &self.graph) {
            (Commit::Graph(position), Some(graph)) => {
                let entry = graph.commit_at(gix::commitgraph::Position(position));
                if !cut {
                    for parent in entry.iter_parents() {
                        let parent = parent.map_err(|err| WalkError::Graph(err.to_string()))?;
                        // gix panics on a position past the end: check it first.
                        if parent.0 >= self.graph_commits {
                            return Err(WalkError::Graph(format!(
                                "commit {} has a parent at position {parent} of {}",
                                entry.id(),
                                self.graph_commits
                            )));
                        }
                        parents.push(Commit::Graph(parent.0));
                    }
                }
                return Ok(i64::try_from(entry.committer_timestamp()).unwrap_or(i64::MAX));
            }
            (Commit::Object(id), _) => id,
            (Commit::Graph(_), None) => unreachable!("graph positions come from the graph"),
        };
        let (time, found) = self.read_object(&id)?;
        if !cut {
            parents.extend(found.iter().map(|parent| self.commit(*parent)));
        }
        self.parent_ids = found;
        Ok(time)
    }

    /// The committer time and parents of the commit object `id`: read from the pack in pack
    /// order, or found by gix.
    fn read_object(&mut self, id: &ObjectId) -> Result<Decoded, WalkError> {
        let mut parents = std::mem::take(&mut self.parent_ids);
        let from_pack = self
            .reader
            .as_mut()
            .and_then(|reader| reader.read(id, &mut parents));
        let time = if let Some(time) = from_pack {
            time
        } else {
            if self.reader.as_ref().is_some_and(|reader| !reader.pays()) {
                self.reader = None;
            }
            self.find_object(id, &mut parents)?
        };
        self.object_reads += 1;
        if self.object_reads == PACK_ORDER_AFTER && self.graph.is_none() {
            // From now on, read the pack that holds this commit in pack order.
            let pack_dir = self.repo.objects.store_ref().path().join("pack");
            self.reader = OrderedPack::holding(&pack_dir, id.kind(), id)
                .map(|pack| PackReader::new(pack, id));
        }
        Ok((time, parents))
    }

    /// The committer time of the commit object `id` as gix finds it, its parents in `parents`.
    fn find_object(
        &mut self,
        id: &ObjectId,
        parents: &mut Vec<ObjectId>,
    ) -> Result<i64, WalkError> {
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
        parse_commit_into(data.data, id.kind(), parents).ok_or(WalkError::Corrupt {
            id: *id,
            reason: "not a valid commit object".to_owned(),
        })
    }
}

/// How many files the commit-graph gix opens has: `info/commit-graph`, else the files of
/// `info/commit-graphs/commit-graph-chain`, one a line.
fn graph_files(info_dir: &std::path::Path) -> usize {
    if info_dir.join("commit-graph").is_file() {
        return 1;
    }
    std::fs::read(info_dir.join("commit-graphs").join("commit-graph-chain")).map_or(1, |chain| {
        chain
            .split(|&b| b == b'\n')
            .filter(|line| !line.is_empty())
            .count()
    })
}

/// Are the graph's commit ids sorted within each of its `files`? The walk goes by position and
/// trusts the ids only to find where it starts and which commits carry a name: in a table that
/// is out of order, a binary search misses commits that are there, and a name it misses is
/// walked past without a sign. Checking costs one comparison per commit (about 0.3 ms for
/// 100,000 commits), far less than walking them.
fn ids_in_order(graph: &gix::commitgraph::Graph, files: usize) -> bool {
    let mut descents = 0;
    let mut ids = graph.iter_ids();
    let Some(mut previous) = ids.next() else {
        return true;
    };
    for id in ids {
        if id <= previous {
            // Each file after the first starts over.
            descents += 1;
            if descents >= files {
                return false;
            }
        }
        previous = id;
    }
    true
}

/// The committer time of a commit object's data, its parents in `parents` (cleared first).
pub(super) fn parse_commit_into(
    data: &[u8],
    kind: gix::hash::Kind,
    parents: &mut Vec<ObjectId>,
) -> Option<i64> {
    parents.clear();
    for token in CommitRefIter::from_bytes(data, kind) {
        match token.ok()? {
            gix::objs::commit::ref_iter::Token::Parent { id } => parents.push(id),
            // Parents come before the committer; nothing later is needed.
            gix::objs::commit::ref_iter::Token::Committer { signature } => {
                return Some(signature.seconds());
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
    /// The commit carries one of the names.
    named: bool,
}

/// No node yet for this commit-graph position.
const UNSEEN: u32 = u32::MAX;

/// The walk's state: commits by index, so the queue and flags need no hashing.
struct Walk<'s, 'r> {
    source: &'s mut CommitSource<'r>,
    commits: Vec<Commit>,
    nodes: Vec<Node>,
    /// The node of each commit-graph position (`UNSEEN` if none), and of each other commit.
    by_position: Vec<u32>,
    by_id: HashMap<ObjectId, u32>,
    parents: Vec<Commit>,
    /// The names, and their commit-graph positions.
    names: &'s HashSet<ObjectId>,
    named_positions: std::collections::HashSet<u32>,
    /// Commits to visit, newest committer date first; equal dates in insertion order (git's
    /// `commit_list_insert_by_date`).
    queue: BinaryHeap<(i64, Reverse<u32>)>,
}

impl<'s, 'r> Walk<'s, 'r> {
    fn new(source: &'s mut CommitSource<'r>, names: &'s HashSet<ObjectId>) -> Self {
        let named_positions = match &source.graph {
            Some(graph) => names
                .iter()
                .filter_map(|id| graph.lookup(id).map(|position| position.0))
                .collect(),
            None => std::collections::HashSet::new(),
        };
        Walk {
            by_position: Vec::new(),
            source,
            commits: Vec::new(),
            nodes: Vec::new(),
            by_id: HashMap::default(),
            parents: Vec::new(),
            names,
            named_positions,
            queue: BinaryHeap::new(),
        }
    }

    /// The index of `commit`, reading and queueing it on first sight.
    #[allow(clippy::cast_possible_truncation)] // u32 indices by design: < 4 billion commits
    fn see(&mut self, commit: Commit) -> Result<u32, WalkError> {
        let known = match commit {
            Commit::Graph(position) => {
                if self.by_position.is_empty() {
                    self.by_position = vec![UNSEEN; self.source.graph_commits as usize];
                }
                self.by_position[position as usize]
            }
            Commit::Object(id) => self.by_id.get(&id).copied().unwrap_or(UNSEEN),
        };
        if known != UNSEEN {
            return Ok(known);
        }
        let start = self.parents.len() as u32;
        let time = self.source.read(commit, &mut self.parents)?;
        let index = self.nodes.len() as u32;
        let named = match commit {
            Commit::Graph(position) => self.named_positions.contains(&position),
            Commit::Object(id) => self.names.contains(&id),
        };
        self.nodes.push(Node {
            time,
            parents: (start, self.parents.len() as u32),
            flags: 0,
            named,
        });
        self.commits.push(commit);
        match commit {
            Commit::Graph(position) => self.by_position[position as usize] = index,
            Commit::Object(id) => {
                self.by_id.insert(id, index);
            }
        }
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
    let start = source.commit(start);
    let mut walk = Walk::new(source, names);
    walk.see(start)?;
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut seen_commits: u64 = 0;
    let mut gave_up_on = None;
    while let Some(commit) = walk.pop() {
        seen_commits += 1;
        if walk.nodes[commit as usize].named {
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
        name_commit: Some(walk.source.id(walk.commits[best.commit as usize])),
        depth: best.depth,
    })
}

/// The number of commits reachable from `start` (`git rev-list --count start`).
pub fn count_commits(source: &mut CommitSource<'_>, start: ObjectId) -> Result<u64, WalkError> {
    let mut seen: std::collections::HashSet<Commit> = std::collections::HashSet::new();
    let mut stack = vec![source.commit(start)];
    let mut parents = Vec::new();
    let mut count = 0;
    while let Some(commit) = stack.pop() {
        if !seen.insert(commit) {
            continue;
        }
        source.read(commit, &mut parents)?;
        count += 1;
        stack.extend(parents.drain(..).filter(|p| !seen.contains(p)));
    }
    Ok(count)
}
