//! The one place packkit adds a commit to an existing repository (`packkit bump
//! --changelog`): one file changed on top of HEAD, committed with gix, the branch moved only
//! if it still points where it did, and the index updated to match (no `git` subprocess).

use std::path::Path;

use super::git::open;
use super::identity::Identity;
use crate::error::{Error, Result};

/// Commit `contents` as the file at `path` (slash path, relative to the work tree, already
/// written there) on top of HEAD, by `who`, with `message`; the new commit's hex id.
pub fn commit_file(
    work_tree: &Path,
    path: &str,
    contents: &[u8],
    message: &str,
    who: &Identity,
) -> Result<String> {
    let fail = |what: &str, err: &dyn std::fmt::Display| {
        Error::scm(
            format!(
                "cannot commit {path} in {}: {what}: {err}",
                work_tree.display()
            ),
            Some("check the repository with `git status`; nothing was tagged".to_owned()),
        )
    };
    let repo = open(work_tree)
        .map_err(|err| fail("open", &err))?
        .to_thread_local();
    let head = repo.head_commit().map_err(|err| fail("HEAD", &err))?;
    let parent = head.id;
    let tree = head.tree().map_err(|err| fail("HEAD's tree", &err))?;
    let kind = match tree.lookup_entry_by_path(path) {
        Ok(Some(entry)) if entry.mode().is_executable() => {
            gix::object::tree::EntryKind::BlobExecutable
        }
        _ => gix::object::tree::EntryKind::Blob,
    };
    let blob = repo
        .write_blob(contents)
        .map_err(|err| fail("write the blob", &err))?
        .detach();
    let mut editor = repo
        .edit_tree(tree.id)
        .map_err(|err| fail("edit the tree", &err))?;
    editor
        .upsert(path, kind, blob)
        .map_err(|err| fail("edit the tree", &err))?;
    let new_tree = editor.write().map_err(|err| fail("write the tree", &err))?;

    let signature = gix::actor::Signature {
        name: who.name.as_str().into(),
        email: who.email.as_str().into(),
        time: gix::date::Time {
            seconds: jiff::Timestamp::now().as_second(),
            offset: 0,
        },
    };
    let (mut author_time, mut committer_time) = (
        gix::date::parse::TimeBuf::default(),
        gix::date::parse::TimeBuf::default(),
    );
    // The branch moves only if it still names `parent` (gix checks it in the transaction).
    let commit = repo
        .commit_as(
            signature.to_ref(&mut committer_time),
            signature.to_ref(&mut author_time),
            "HEAD",
            message,
            new_tree.detach(),
            [parent],
        )
        .map_err(|err| fail("commit", &err))?;

    // The index as `git commit` leaves it: the file's entry with its new blob and stat data.
    // The cached trees (the TREE extension) no longer match: dropped, git rebuilds them.
    let mut index = repo.open_index().map_err(|err| fail("index", &err))?;
    index.remove_tree();
    let file = work_tree.join(path);
    let metadata = gix::index::fs::Metadata::from_path_no_follow(&file)
        .map_err(|err| Error::io(&file, err))?;
    let stat =
        gix::index::entry::Stat::from_fs(&metadata).map_err(|err| fail("index stat", &err))?;
    if let Ok(at) = index.entry_index_by_path(path.into()) {
        let entry = &mut index.entries_mut()[at];
        entry.id = blob;
        entry.stat = stat;
    } else {
        let mode = if kind == gix::object::tree::EntryKind::BlobExecutable {
            gix::index::entry::Mode::FILE_EXECUTABLE
        } else {
            gix::index::entry::Mode::FILE
        };
        index.dangerously_push_entry(
            stat,
            blob,
            gix::index::entry::Flags::empty(),
            mode,
            path.into(),
        );
        index.sort_entries();
    }
    index
        .write(gix::index::write::Options::default())
        .map_err(|err| fail("write the index", &err))?;
    Ok(commit.to_string())
}
