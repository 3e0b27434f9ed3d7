//! `packkit bump`: the next version from the last version tag, and its annotated tag.
//!
//! Every check runs before anything is written, and the tag is the only thing written
//! (`--changelog` aside): a tree with changes, a detached HEAD, a version that would not be
//! the highest, a tag that exists, or a tag packkit would not read back as the version are
//! refused, each with what to do.

use std::path::Path;

use crate::error::{Error, Result};
use crate::scm::{TagMatcher, git, identity, tag};
use crate::version::{self, Version};

/// What `bump` is asked to do.
pub struct Request<'a> {
    /// The git work tree of the project.
    pub work_tree: &'a Path,
    /// The tags packkit reads as versions (`tag-regex`, `tag-prefix`).
    pub tags: &'a TagMatcher,
    /// `tag-prefix`, for the first tag's name (later ones follow the last tag's spelling).
    pub tag_prefix: Option<&'a str>,
    /// `major`, `minor`, `patch`, `alpha`, `beta`, `rc`, `final` or `post`.
    pub part: &'a str,
    pub message: Option<&'a str>,
    pub allow_detached: bool,
    /// Check and say what would happen, and write nothing.
    pub dry_run: bool,
    /// `--changelog`: the project folder, whose CHANGELOG.md gets the release's section,
    /// committed before the tag.
    pub changelog_in: Option<&'a Path>,
    /// The distance scope: the changelog lists the commits the version counted.
    pub scope: Option<&'a crate::scm::scope::Scope>,
}

/// What `bump` did (or, for a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bumped {
    /// The last version tag's name, if there was one.
    pub previous: Option<String>,
    pub version: String,
    pub tag: String,
    pub message: String,
    pub created: bool,
    /// The section put into CHANGELOG.md (`--changelog`), and the commit that holds it.
    pub changelog: Option<String>,
    pub changelog_commit: Option<String>,
}

/// The parts `packkit bump` takes: a release is never a development release.
pub const PARTS: [&str; 8] = [
    "major", "minor", "patch", "alpha", "beta", "rc", "final", "post",
];

fn refuse(message: String, hint: &str) -> Error {
    Error::build(message, Some(hint.to_owned()))
}

/// Check everything, then create the tag (unless `dry_run`).
pub fn bump(request: &Request<'_>) -> Result<Bumped> {
    if !PARTS.contains(&request.part) {
        return Err(refuse(
            format!("cannot bump {:?}", request.part),
            &format!("give one of {}", PARTS.join(", ")),
        ));
    }
    // The whole tree: a release tags the repository, whatever the version's scope.
    let facts = git::read_facts(request.work_tree, request.tags, None)?;
    if facts.node.is_none() {
        return Err(refuse(
            "the repository has no commit yet: there is nothing to tag".into(),
            "commit first",
        ));
    }
    if facts.dirty {
        return Err(refuse(
            "the working tree has uncommitted changes: the tag would name a commit without them"
                .into(),
            "commit or stash them first (`git status` lists them)",
        ));
    }
    if facts.branch.as_deref() == Some("HEAD") && !request.allow_detached {
        return Err(refuse(
            "HEAD is detached: the release would be on no branch".into(),
            "check out the branch to release (`git switch main`), or pass --allow-detached",
        ));
    }
    if facts.shallow {
        return Err(refuse(
            "the clone is shallow: the last version tag may be missing from it".into(),
            "fetch the whole history first (`git fetch --unshallow --tags`)",
        ));
    }
    let base = match &facts.tag {
        Some(tag) => tag.version.clone(),
        None => Version::new([0, 0, 0]),
    };
    let next = version::bump(&base, request.part).map_err(|err| {
        refuse(
            err.to_string(),
            "bump another part (`packkit bump --help` lists them)",
        )
    })?;
    let existing = tag::version_tags(request.work_tree, request.tags)?;
    if let Some(highest) = existing.iter().max_by(|a, b| a.version.cmp(&b.version)) {
        if next <= highest.version {
            let why = if next == highest.version {
                format!("the tag {} names {next} already", highest.name)
            } else {
                format!(
                    "{next} would not be the highest version: the tag {} is {}",
                    highest.name, highest.version
                )
            };
            return Err(refuse(
                why,
                "bump from the highest release (check out its branch), or choose a larger part",
            ));
        }
    }
    let name = tag_name(facts.tag.as_ref(), request.tag_prefix, &next);
    // Read back as packkit reads tags: a tag it would skip or misread is no release.
    match request.tags.parse(&name) {
        Some(read) if read.version == next => {}
        _ => {
            return Err(refuse(
                format!("the tag {name} would not be read as version {next} by tag-regex"),
                "check tag-regex and tag-prefix in [tool.packkit]",
            ));
        }
    }
    if tag::exists(request.work_tree, &name)? {
        return Err(refuse(
            format!("the tag {name} exists already"),
            "a release is tagged once: delete the tag if it was a mistake (`git tag -d`), or \
             choose another part",
        ));
    }
    let message = request
        .message
        .map_or_else(|| format!("Release {next}"), str::to_owned);
    if message.contains('\0') {
        return Err(refuse(
            "the tag message contains a NUL character".into(),
            "give a message without it",
        ));
    }
    let planned = match request.changelog_in {
        Some(project_dir) => Some(plan_changelog(request, project_dir, &next)?),
        None => None,
    };
    let mut changelog_commit = None;
    if !request.dry_run {
        let git_dir = git::git_dir(request.work_tree)?;
        let who = identity::committer(&git_dir)?;
        if let Some(plan) = &planned {
            changelog_commit = Some(plan.commit(request.work_tree, &next, &who)?);
        }
        tag::create_annotated(request.work_tree, &name, &message, &who)?;
    }
    Ok(Bumped {
        previous: facts.tag.map(|tag| tag.name),
        version: next.to_string(),
        tag: name,
        message,
        created: !request.dry_run,
        changelog: planned.map(|plan| plan.section),
        changelog_commit,
    })
}

/// CHANGELOG.md with the release's section, ready to be written and committed.
struct ChangelogPlan {
    file: std::path::PathBuf,
    /// Its path from the work tree, with `/`.
    in_repository: String,
    before: Option<String>,
    after: String,
    section: String,
}

fn plan_changelog(
    request: &Request<'_>,
    project_dir: &Path,
    next: &Version,
) -> Result<ChangelogPlan> {
    let file = crate::paths::writable_inside(project_dir, "CHANGELOG.md").map_err(|outside| {
        refuse(
            format!("CHANGELOG.md cannot be written: {}", outside.message()),
            "make CHANGELOG.md a regular file inside the project",
        )
    })?;
    let before = crate::read::optional_text(&file)?;
    let work_tree = request
        .work_tree
        .canonicalize()
        .map_err(|err| Error::io(request.work_tree, err))?;
    let folder = project_dir
        .canonicalize()
        .map_err(|err| Error::io(project_dir, err))?;
    let in_repository = folder
        .join("CHANGELOG.md")
        .strip_prefix(&work_tree)
        .map(crate::paths::slash)
        .map_err(|_| {
            refuse(
                format!("{} is not inside the git work tree", project_dir.display()),
                "run packkit bump in the project's checkout",
            )
        })?;
    if before.is_some() {
        let relative = in_repository
            .rsplit_once('/')
            .map_or(in_repository.as_str(), |(_, f)| f);
        let tracked = git::tracked_files(request.work_tree, project_dir)?;
        if !tracked.iter().any(|path| path == relative) {
            return Err(refuse(
                "CHANGELOG.md is not tracked by git: packkit would commit a file you did not add"
                    .into(),
                "add it first (`git add CHANGELOG.md && git commit`), or bump without --changelog",
            ));
        }
    }
    let history = git::history_since(request.work_tree, request.tags, None, request.scope)?;
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let section = super::commits::changelog(&history).markdown_under(&format!("{next} ({today})"));
    let after = super::changelog_file::insert_release(before.as_deref(), &section);
    Ok(ChangelogPlan {
        file,
        in_repository,
        before,
        after,
        section,
    })
}

impl ChangelogPlan {
    /// Write CHANGELOG.md and commit it; when the commit fails, the file is put back.
    fn commit(&self, work_tree: &Path, next: &Version, who: &identity::Identity) -> Result<String> {
        crate::atomic::write(&self.file, self.after.as_bytes())?;
        let committed = crate::scm::commit::commit_file(
            work_tree,
            &self.in_repository,
            self.after.as_bytes(),
            &format!("chore(release): {next}"),
            who,
        );
        if committed.is_err() {
            let _ = match &self.before {
                Some(text) => crate::atomic::write(&self.file, text.as_bytes()).map(drop),
                None => std::fs::remove_file(&self.file).map_err(|err| Error::io(&self.file, err)),
            };
        }
        committed
    }
}

/// The new tag's name: the last tag's spelling with the new version (`v1.2.0` → `v1.3.0`,
/// `pkg-a-1.2` → `pkg-a-1.3`), else `tag-prefix` and `v` before the version.
fn tag_name(
    last: Option<&crate::version::schemes::Tag>,
    prefix: Option<&str>,
    next: &Version,
) -> String {
    if let Some(last) = last {
        if let Some(at) = last.name.rfind(last.text.as_str()) {
            // The version text may start with its own `v` (setuptools_scm's default regex
            // takes it in): kept too.
            let lead: String = last
                .text
                .chars()
                .take_while(|c| !c.is_ascii_digit())
                .collect();
            return format!("{}{lead}{next}", &last.name[..at]);
        }
    }
    format!("{}v{next}", prefix.unwrap_or(""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::schemes::Tag;

    fn tag(name: &str, text: &str) -> Tag {
        Tag {
            name: name.to_owned(),
            version: version::parse(text).unwrap(),
            text: text.to_owned(),
        }
    }

    #[test]
    fn the_new_tag_is_spelt_as_the_last() {
        let next = version::parse("1.3.0").unwrap();
        for (last, text, expected) in [
            ("v1.2.0", "v1.2.0", "v1.3.0"),
            ("v1.2.0", "1.2.0", "v1.3.0"),
            ("1.2", "1.2", "1.3.0"),
            ("pkg-a-v1.2", "v1.2", "pkg-a-v1.3.0"),
            ("release-1.2", "1.2", "release-1.3.0"),
        ] {
            assert_eq!(tag_name(Some(&tag(last, text)), None, &next), expected);
        }
        assert_eq!(tag_name(None, None, &next), "v1.3.0");
        assert_eq!(tag_name(None, Some("pkg-a-"), &next), "pkg-a-v1.3.0");
    }
}
