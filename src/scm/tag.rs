//! Version tags as a release sees them: every one in the repository, and the one place
//! packkit creates a tag (annotated, at HEAD, with gix; never replacing a tag).

use std::path::Path;

use super::TagMatcher;
use super::git::open;
use super::identity::Identity;
use crate::error::{Error, Result};
use crate::version::schemes::Tag;

fn tag_error(work_tree: &Path, what: &str, err: &dyn std::fmt::Display) -> Error {
    Error::scm(
        format!(
            "cannot read the tags of the git repository at {}: {what}: {err}",
            work_tree.display()
        ),
        Some("check that it is a valid git checkout (`git tag` there should work)".to_owned()),
    )
}

/// Every tag of the repository that `matcher` reads as a version, wherever it points.
pub fn version_tags(work_tree: &Path, matcher: &TagMatcher) -> Result<Vec<Tag>> {
    let error = |what: &str, err: &dyn std::fmt::Display| tag_error(work_tree, what, err);
    let repo = open(work_tree)
        .map_err(|err| error("open", &err))?
        .to_thread_local();
    let platform = repo.references().map_err(|err| error("refs", &err))?;
    let mut tags = Vec::new();
    for reference in platform.tags().map_err(|err| error("tags", &err))? {
        let reference = reference.map_err(|err| error("a tag", &err))?;
        if let Some(tag) = matcher.parse(&reference.name().shorten().to_string()) {
            tags.push(tag);
        }
    }
    Ok(tags)
}

/// Whether `refs/tags/<name>` exists (a version tag or not).
pub fn exists(work_tree: &Path, name: &str) -> Result<bool> {
    let error = |what: &str, err: &dyn std::fmt::Display| tag_error(work_tree, what, err);
    let repo = open(work_tree)
        .map_err(|err| error("open", &err))?
        .to_thread_local();
    repo.try_find_reference(format!("refs/tags/{name}").as_str())
        .map(|found| found.is_some())
        .map_err(|err| error(name, &err))
}

/// Create the annotated tag `name` at HEAD with `message`, by `tagger`, now; an existing tag
/// of that name is an error, never replaced. The tag object's id.
pub fn create_annotated(
    work_tree: &Path,
    name: &str,
    message: &str,
    tagger: &Identity,
) -> Result<String> {
    let error = |what: &str, err: &dyn std::fmt::Display| {
        Error::scm(
            format!(
                "cannot create the tag {name} in {}: {what}: {err}",
                work_tree.display()
            ),
            None,
        )
    };
    let repo = open(work_tree)
        .map_err(|err| error("open", &err))?
        .to_thread_local();
    let head = repo.head_id().map_err(|err| error("HEAD", &err))?.detach();
    let signature = gix::actor::Signature {
        name: tagger.name.as_str().into(),
        email: tagger.email.as_str().into(),
        time: gix::date::Time {
            seconds: jiff::Timestamp::now().as_second(),
            offset: 0,
        },
    };
    let mut time = gix::date::parse::TimeBuf::default();
    // As `git tag -m` writes it: the message ends with a line break.
    let message = format!("{}\n", message.trim_end());
    let reference = repo
        .tag(
            name,
            head,
            gix::object::Kind::Commit,
            Some(signature.to_ref(&mut time)),
            message,
            gix::refs::transaction::PreviousValue::MustNotExist,
        )
        .map_err(|err| error("write", &err))?;
    Ok(reference.id().to_string())
}
