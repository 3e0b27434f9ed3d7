//! Reading commits ahead of the describe walk, on the second core.
//!
//! Without a commit-graph file, walking history is inflating one commit object after another
//! (about two thirds of the time is zlib), and each step needs the one before it: the walk
//! itself cannot be split. But git writes a pack's commits newest first, so the walk mostly
//! follows pack order. A helper thread therefore inflates every other commit of the pack,
//! starting just ahead of the walk, and hands them over; the walk inflates the rest itself
//! and takes a handed-over commit instead of inflating it. Anything the helper gets wrong
//! (another order, a delta, a second pack) only costs the walk the work it would have done.
//!
//! On one core (a container's CPU quota aside, `available_parallelism` honours the affinity
//! mask, so `taskset -c 0` counts) the helper would only take turns with the walk: it is not
//! started. The pack order comes from the pack's reverse index (see `packs`); only without
//! one is the pack index sorted by offset, on the helper thread.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;

use gix::ObjectId;
use gix::hashtable::HashMap;

use super::packs::OrderedPack;

/// How far the helper may run ahead of the walk (decoded commits not yet taken).
const MAX_AHEAD: usize = 4096;

/// A commit's committer time and parents.
pub(super) type Decoded = (i64, Vec<ObjectId>);

#[derive(Default)]
struct Shared {
    /// Read commits, with their position in pack order.
    ready: Mutex<HashMap<ObjectId, (Decoded, usize)>>,
    /// The commit the walk inflated last, so the helper can move ahead of it.
    walk_position: Mutex<Option<ObjectId>>,
    stop: AtomicBool,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic on the other thread leaves plain data behind; keep using it.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

pub(super) struct Prefetcher {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Prefetcher {
    /// Start reading, in pack order, the commits after `from` in `pack`, or when `None`, in
    /// the pack of `pack_dir` that holds it.
    pub(super) fn start(
        pack: Option<Arc<OrderedPack>>,
        pack_dir: PathBuf,
        kind: gix::hash::Kind,
        from: ObjectId,
    ) -> Self {
        let shared = Arc::new(Shared::default());
        *lock(&shared.walk_position) = Some(from);
        let helper = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("packkit-prefetch".into())
            .spawn(move || run(&helper, pack, &pack_dir, kind))
            .ok();
        Prefetcher { shared, thread }
    }

    /// The commit and its position in pack order, if the helper has read it.
    pub(super) fn take(&self, id: &ObjectId) -> Option<(Decoded, usize)> {
        lock(&self.shared.ready).remove(id)
    }

    /// Tell the helper which commit the walk is reading now.
    pub(super) fn walk_is_at(&self, id: ObjectId) {
        *lock(&self.shared.walk_position) = Some(id);
    }
}

impl Drop for Prefetcher {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(shared: &Shared, pack: Option<Arc<OrderedPack>>, pack_dir: &Path, kind: gix::hash::Kind) {
    let Some(from) = *lock(&shared.walk_position) else {
        return;
    };
    let pack = match pack {
        Some(pack) => pack,
        None => match OrderedPack::holding(pack_dir, kind, &from, true) {
            Some(pack) => Arc::new(pack),
            None => return,
        },
    };
    read_ahead(shared, &pack);
}

fn read_ahead(shared: &Shared, pack: &OrderedPack) {
    let mut inflate = gix::zlib::Inflate::default();
    let mut buf = Vec::new();
    let mut next = 0;
    let mut take_this_one = false;
    let mut non_commits = 0;
    let mut steps = 0u32;
    loop {
        if shared.stop.load(Ordering::Relaxed) {
            return;
        }
        // Every so often, jump to just past the walk if it has caught up.
        if steps % 64 == 0 {
            let walk = *lock(&shared.walk_position);
            if let Some(at) = walk.as_ref().and_then(|id| pack.position_of(id)) {
                if at >= next {
                    next = at + 1;
                    take_this_one = true;
                }
            }
            while lock(&shared.ready).len() > MAX_AHEAD {
                if shared.stop.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(std::time::Duration::from_micros(100));
            }
        }
        steps += 1;
        if next >= pack.len() {
            return;
        }
        let position = next;
        next += 1;
        let Some(is_commit) = pack.is_commit(position) else {
            return;
        };
        if !is_commit {
            // Commits come first in a pack; a long run of other objects means they are done.
            non_commits += 1;
            if non_commits > 1024 {
                return;
            }
            continue;
        }
        non_commits = 0;
        take_this_one = !take_this_one;
        if !take_this_one {
            continue; // the walk reads this one itself
        }
        let mut parents = Vec::new();
        let Some(time) = pack.read_commit(position, &mut inflate, &mut buf, &mut parents) else {
            return;
        };
        if let Some(id) = pack.id_at(position) {
            lock(&shared.ready).insert(id.to_owned(), ((time, parents), position));
        }
    }
}
