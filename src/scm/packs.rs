//! One pack read in pack order, straight from its files, for long walks without a
//! commit-graph.
//!
//! git writes a pack's commits newest first, so a describe walk mostly reads the commit just
//! after the one before it in the pack. [`PackReader`] guesses that one and checks the guess
//! with a single id comparison where a lookup by id binary-searches the index (about a tenth
//! of git's and packkit's walk time goes to those comparisons); a wrong guess costs one lookup,
//! as before. The order comes from the pack's reverse index (`pack-*.rev`, which git writes
//! since 2.41); a pack without one is left to gix (sorting the index by offset first cost
//! more than the guesses save).

use gix::ObjectId;
use gix::odb::pack;

/// A pack and the order of its objects in the pack file.
pub(super) struct OrderedPack {
    index: pack::index::File,
    data: pack::data::File,
    /// Index positions, in pack order.
    order: Vec<u32>,
}

/// A commit's data larger than this is left to gix (a huge size in a corrupt pack must not
/// become a huge allocation here).
const MAX_COMMIT_SIZE: u64 = 1 << 20;

impl OrderedPack {
    /// The pack in `pack_dir` that holds `id`, in the order of its reverse index. `None` if no
    /// pack holds `id`, it has no valid reverse index or it does not open (gix then reads the
    /// objects and reports what is wrong).
    pub(super) fn holding(
        pack_dir: &std::path::Path,
        kind: gix::hash::Kind,
        id: &ObjectId,
    ) -> Option<Self> {
        for entry in std::fs::read_dir(pack_dir).ok()?.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|ext| ext != "idx") {
                continue;
            }
            let Ok(index) = pack::index::File::at(&path, kind) else {
                continue;
            };
            if index.lookup(id).is_none() {
                continue;
            }
            let order = reverse_index(&index, &path.with_extension("rev"))?;
            let data = pack::data::File::at(path.with_extension("pack"), kind).ok()?;
            return Some(OrderedPack { index, data, order });
        }
        None
    }

    /// The position in pack order of `id`, if the pack holds it.
    pub(super) fn position_of(&self, id: &ObjectId) -> Option<usize> {
        let offset = self.index.pack_offset_at_index(self.index.lookup(id)?);
        let after = self
            .order
            .partition_point(|&object| self.index.pack_offset_at_index(object) <= offset);
        Some(after - 1)
    }

    /// The id of the object at `position` in pack order.
    pub(super) fn id_at(&self, position: usize) -> Option<&gix::hash::oid> {
        Some(self.index.oid_at_index(*self.order.get(position)?))
    }

    fn entry_at(&self, position: usize) -> Option<pack::data::Entry> {
        let object = *self.order.get(position)?;
        self.data
            .entry(self.index.pack_offset_at_index(object))
            .ok()
    }

    /// The committer time of the commit stored whole at `position`, its parents in
    /// `parents`; `None` if it is not such a commit or does not read.
    pub(super) fn read_commit(
        &self,
        position: usize,
        inflate: &mut gix::zlib::Inflate,
        buf: &mut Vec<u8>,
        parents: &mut Vec<ObjectId>,
    ) -> Option<i64> {
        let entry = self.entry_at(position)?;
        if !matches!(entry.header, pack::data::entry::Header::Commit)
            || entry.decompressed_size > MAX_COMMIT_SIZE
        {
            return None;
        }
        buf.resize(usize::try_from(entry.decompressed_size).ok()?, 0);
        self.data.decompress_entry(&entry, inflate, buf).ok()?;
        super::describe::parse_commit_into(buf, self.index.object_hash(), parents)
    }
}

/// The index sorted by pack offset: what the reverse index holds.
#[cfg(test)]
fn sorted_by_offset(index: &pack::index::File) -> Vec<u32> {
    let mut order: Vec<(u64, u32)> = (0..index.num_objects())
        .map(|object| (index.pack_offset_at_index(object), object))
        .collect();
    order.sort_unstable();
    order.into_iter().map(|(_, object)| object).collect()
}

/// The positions of a `pack-*.rev` file (gitformat-pack: `RIDX`, version 1, the hash
/// function, one big-endian index position per object in pack order, two checksums); `None`
/// if there is none or it does not fit `index` (it is a cache: the index decides).
fn reverse_index(index: &pack::index::File, path: &std::path::Path) -> Option<Vec<u32>> {
    let bytes = std::fs::read(path).ok()?;
    let count = index.num_objects();
    let objects = usize::try_from(count).ok()?;
    let hash_function: u32 = match index.object_hash() {
        gix::hash::Kind::Sha1 => 1,
        _ => return None,
    };
    let body = bytes.strip_prefix(b"RIDX\0\0\0\x01")?;
    let (hash_id, body) = body.split_first_chunk::<4>()?;
    let hash_len = index.object_hash().len_in_bytes();
    if u32::from_be_bytes(*hash_id) != hash_function || body.len() != 4 * objects + 2 * hash_len {
        return None;
    }
    let order: Vec<u32> = body
        .chunks_exact(4)
        .take(objects)
        .map(|chunk| u32::from_be_bytes(chunk.try_into().expect("chunks of 4")))
        .collect();
    // An out-of-range position would panic in the index: refuse the file instead.
    order.iter().all(|&object| object < count).then_some(order)
}

/// Reads commits from one [`OrderedPack`], guessing that each is the object after the one read
/// before it.
pub(super) struct PackReader {
    pack: OrderedPack,
    /// Where the next commit is expected.
    next: usize,
    hits: u32,
    misses: u32,
    inflate: gix::zlib::Inflate,
    buf: Vec<u8>,
}

impl PackReader {
    /// A reader of `pack` expecting the object after `id` next.
    pub(super) fn new(pack: OrderedPack, id: &ObjectId) -> Self {
        let next = pack.position_of(id).map_or(0, |position| position + 1);
        PackReader {
            pack,
            next,
            hits: 0,
            misses: 0,
            inflate: gix::zlib::Inflate::default(),
            buf: Vec::new(),
        }
    }

    /// The committer time of the commit `id`, its parents in `parents`; `None` if this pack
    /// does not hold it as a whole commit (gix reads it then).
    pub(super) fn read(&mut self, id: &ObjectId, parents: &mut Vec<ObjectId>) -> Option<i64> {
        let position = if self.pack.id_at(self.next) == Some(id.as_ref()) {
            self.hits += 1;
            self.next
        } else {
            self.misses += 1;
            self.pack.position_of(id)?
        };
        // Expect the next object next, even when gix has to read this one (a delta).
        self.next = position + 1;
        self.pack
            .read_commit(position, &mut self.inflate, &mut self.buf, parents)
    }

    /// Do the guesses pay? In a pack written in another order (oldest first, as `git
    /// fast-import` writes them) most miss, and gix alone is cheaper.
    pub(super) fn pays(&self) -> bool {
        self.misses < 256 || self.hits >= self.misses
    }
}

#[cfg(test)]
mod tests {
    use super::super::git::tests::Repo;
    use super::*;

    fn index_of(dir: &std::path::Path) -> (pack::index::File, std::path::PathBuf) {
        let pack_dir = dir.join(".git/objects/pack");
        let path = std::fs::read_dir(&pack_dir)
            .unwrap()
            .flatten()
            .map(|entry| entry.path())
            .find(|path| path.extension().is_some_and(|ext| ext == "idx"))
            .unwrap();
        (
            pack::index::File::at(&path, gix::hash::Kind::Sha1).unwrap(),
            path,
        )
    }

    /// A linear history of `commits` commits a minute apart, packed as a clone is (newest
    /// first, with a reverse index), without deltas (commits this alike would be stored as
    /// deltas of each other, which real ones rarely are).
    fn packed_repository(commits: u32) -> Repo {
        let repo = Repo::new();
        let mut stream = String::new();
        for n in 1..=commits {
            let time = 1_700_000_000 + 60 * n;
            let parent = if n > 1 {
                format!("from :{}\n", n - 1)
            } else {
                String::new()
            };
            stream.push_str(&format!(
                "commit refs/heads/main\nmark :{n}\ncommitter A <a@example.invalid> {time} +0000\ndata 8\nc{n:06}\n{parent}\n"
            ));
        }
        repo.fast_import(&stream);
        repo.git(&[
            "-c",
            "pack.writeReverseIndex=true",
            "repack",
            "-a",
            "-d",
            "-q",
            "--window=0",
        ]);
        repo.git(&["reset", "-q", "--hard"]);
        repo
    }

    /// A reader of the pack of `dir` and the repository, starting at HEAD.
    fn reader_at_head(dir: &std::path::Path) -> (gix::Repository, PackReader, ObjectId) {
        let repo = super::super::git::open(dir).unwrap().to_thread_local();
        let head = repo.head_id().unwrap().detach();
        let pack_dir = repo.objects.store_ref().path().join("pack");
        let pack = OrderedPack::holding(&pack_dir, head.kind(), &head).unwrap();
        (repo, PackReader::new(pack, &head), head)
    }

    /// Read `id` with the reader and check it against gix's reading of it.
    fn read_and_check(
        repo: &gix::Repository,
        reader: &mut PackReader,
        id: ObjectId,
    ) -> Vec<ObjectId> {
        let mut parents = Vec::new();
        let time = reader.read(&id, &mut parents).unwrap();
        let commit = repo.find_commit(id).unwrap();
        assert_eq!(time, commit.committer().unwrap().seconds());
        let expected: Vec<ObjectId> = commit.parent_ids().map(gix::Id::detach).collect();
        assert_eq!(parents, expected);
        parents
    }

    #[test]
    fn the_reverse_index_is_the_index_sorted_by_offset() {
        let repo = packed_repository(20);
        let (index, path) = index_of(repo.dir.path());
        let from_file = reverse_index(&index, &path.with_extension("rev")).unwrap();
        assert_eq!(from_file, sorted_by_offset(&index));
    }

    #[test]
    fn a_reverse_index_that_does_not_fit_is_refused() {
        let repo = packed_repository(20);
        let (index, path) = index_of(repo.dir.path());
        let rev = path.with_extension("rev");
        let good = std::fs::read(&rev).unwrap();
        let write = |bytes: &[u8]| {
            let broken = repo.dir.path().join("broken.rev");
            std::fs::write(&broken, bytes).unwrap();
            reverse_index(&index, &broken)
        };
        // Truncated, a wrong signature, and a position past the end of the index.
        assert!(write(&good[..good.len() - 1]).is_none());
        assert!(write(&[b"XIDX", &good[4..]].concat()).is_none());
        let mut out_of_range = good.clone();
        out_of_range[12..16].copy_from_slice(&u32::MAX.to_be_bytes());
        assert!(write(&out_of_range).is_none());
        assert!(write(&good).is_some());
    }

    #[test]
    fn the_reader_reads_each_commit_as_the_object_database_does() {
        let fixture = packed_repository(40);
        let (repo, mut reader, head) = reader_at_head(fixture.dir.path());
        let mut id = head;
        let mut read = 0;
        loop {
            let parents = read_and_check(&repo, &mut reader, id);
            read += 1;
            let Some(parent) = parents.first() else {
                break;
            };
            id = *parent;
        }
        assert_eq!(read, 40);
        // Newest first in the pack: every guess after the first (HEAD itself) was right.
        assert_eq!((reader.hits, reader.misses), (39, 1));
        assert!(reader.pays());
    }

    #[test]
    fn the_reader_stops_paying_when_the_guesses_miss() {
        let fixture = packed_repository(300);
        let (repo, mut reader, head) = reader_at_head(fixture.dir.path());
        let mut newest_first = vec![head];
        while let Some(parent) = read_and_check(&repo, &mut reader, *newest_first.last().unwrap())
            .first()
            .copied()
        {
            newest_first.push(parent);
        }
        assert!(reader.pays());
        // Oldest first, every guess (the next object in the pack: the parent) is wrong, and
        // the lookups still read each commit right.
        let (repo, mut reader, _) = reader_at_head(fixture.dir.path());
        for id in newest_first.iter().rev() {
            read_and_check(&repo, &mut reader, *id);
        }
        assert_eq!(reader.hits, 0);
        assert!(!reader.pays());
    }
}
