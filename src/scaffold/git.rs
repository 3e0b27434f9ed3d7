//! The new project's repository, made in-process with gix (no `git` subprocess): `git init`
//! on branch `main`, every file added, one commit, and an index written with the files' stat
//! data, so that `git status` is clean at once. The author's identity is read by
//! `scm::identity`.

use std::path::Path;

use crate::error::{Error, Result};
pub use crate::scm::identity::{Identity, user_config};

fn git_error(what: &str, work_tree: &Path, err: &dyn std::fmt::Display) -> Error {
    Error::scm(
        format!(
            "cannot create the git repository in {}: {what}: {err}",
            work_tree.display()
        ),
        Some("pass --no-git to create the project without a repository".to_owned()),
    )
}

/// Create the repository in `work_tree` (which holds the project's `files`, slash paths) and
/// commit them all as `author` (and `committer`) with `message`; the commit's hex id.
///
/// The one place packkit creates a repository: `clippy.toml` forbids gix's `init` elsewhere.
/// The new repository is then opened as every other, with `scm::git::open`.
#[allow(clippy::disallowed_methods)] // the sanctioned init
pub fn init_and_commit(
    work_tree: &Path,
    files: &[String],
    author: &Identity,
    committer: &Identity,
    message: &str,
) -> Result<String> {
    let fail = |what: &str, err: &dyn std::fmt::Display| git_error(what, work_tree, err);
    // `create::into` writes the `.git` folder from gix's templates, with HEAD on `main`
    // whatever the user's init.defaultBranch says (the generated CI expects main).
    gix::create::into(
        work_tree,
        gix::create::Kind::WithWorktree,
        gix::create::Options {
            destination_must_be_empty: Some(false),
            ..gix::create::Options::default()
        },
    )
    .map_err(|err| fail("init", &err))?;
    let repo = crate::scm::git::open(work_tree)
        .map_err(|err| fail("open", &err))?
        .to_thread_local();

    let mut tree = repo
        .edit_tree(gix::ObjectId::empty_tree(repo.object_hash()))
        .map_err(|err| fail("tree", &err))?;
    for file in files {
        let path = work_tree.join(file);
        let bytes = std::fs::read(&path).map_err(|err| Error::io(&path, err))?;
        let blob = repo
            .write_blob(&bytes)
            .map_err(|err| fail("write a blob", &err))?;
        tree.upsert(file.as_str(), gix::object::tree::EntryKind::Blob, blob)
            .map_err(|err| fail(file, &err))?;
    }
    let tree_id = tree.write().map_err(|err| fail("write the tree", &err))?;

    let now = gix::date::Time {
        seconds: jiff::Timestamp::now().as_second(),
        offset: 0,
    };
    let signature = |who: &Identity| gix::actor::Signature {
        name: who.name.as_str().into(),
        email: who.email.as_str().into(),
        time: now,
    };
    let (author, committer) = (signature(author), signature(committer));
    let (mut author_time, mut committer_time) = Default::default();
    let commit = repo
        .commit_as(
            committer.to_ref(&mut committer_time),
            author.to_ref(&mut author_time),
            "HEAD",
            message,
            tree_id.detach(),
            std::iter::empty::<gix::ObjectId>(),
        )
        .map_err(|err| fail("commit", &err))?;

    // The index git would have after `git add`: the tree's entries with the files' stat data
    // (zero stat data would make every status re-read every file).
    let mut index = repo
        .index_from_tree(&tree_id)
        .map_err(|err| fail("index", &err))?;
    for (entry, path) in index.entries_mut_with_paths() {
        let file = work_tree.join(path.to_string());
        let metadata = gix::index::fs::Metadata::from_path_no_follow(&file)
            .map_err(|err| Error::io(&file, err))?;
        entry.stat =
            gix::index::entry::Stat::from_fs(&metadata).map_err(|err| fail("index stat", &err))?;
    }
    index
        .write(gix::index::write::Options::default())
        .map_err(|err| fail("write the index", &err))?;
    Ok(commit.to_string())
}
