//! Core metadata (RFC 822 headers + body) and entry_points.txt from validated metadata.

use super::{License, Person, ProjectMetadata};
use crate::error::Result;
use crate::lines::{self, Headers, Sections};

/// The Metadata-Versions packkit writes, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum MetadataVersion {
    /// `Description-Content-Type`, `Provides-Extra`: the baseline.
    V2_1,
    /// `Dynamic` (PEP 643); the floor for sdist PKG-INFO.
    V2_2,
    /// `License-Expression`, `License-File` (PEP 639).
    V2_4,
}

impl MetadataVersion {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            MetadataVersion::V2_1 => "2.1",
            MetadataVersion::V2_2 => "2.2",
            MetadataVersion::V2_4 => "2.4",
        }
    }
}

/// The lowest version that can carry the fields in use. We write no `Dynamic` field and
/// PEP 685 (2.3) only made extras normalisation mandatory, which we always do, so the
/// choice is between 2.1 and 2.4.
pub(super) fn needed_version(meta: &ProjectMetadata) -> MetadataVersion {
    let pep639 =
        matches!(meta.license, Some(License::Expression(_))) || !meta.license_files.is_empty();
    if pep639 {
        MetadataVersion::V2_4
    } else {
        MetadataVersion::V2_1
    }
}

/// Headers in the order of the core metadata specification; the readme is the body. Every
/// value goes through [`Headers`], which refuses a line break in a single-line field (an
/// internal error: the readers refused it first) and folds the legacy license text.
pub(super) fn core_metadata(
    meta: &ProjectMetadata,
    version: &str,
    floor: MetadataVersion,
) -> Result<String> {
    let mut out = Headers::default();
    let metadata_version = needed_version(meta).max(floor);
    out.field("Metadata-Version", metadata_version.as_str())?;
    out.field("Name", &meta.name)?;
    out.field("Version", version)?;
    if let Some(summary) = meta.description.as_deref().filter(|s| !s.is_empty()) {
        out.field("Summary", summary)?;
    }
    if let Some(readme) = &meta.readme {
        out.field("Description-Content-Type", &readme.content_type)?;
    }
    if !meta.keywords.is_empty() {
        out.field("Keywords", &meta.keywords.join(","))?;
    }
    for (field, people) in [("Author", &meta.authors), ("Maintainer", &meta.maintainers)] {
        let (names, emails) = people_fields(people);
        if !names.is_empty() {
            out.field(field, &names)?;
        }
        if !emails.is_empty() {
            out.field(&format!("{field}-email"), &emails)?;
        }
    }
    match &meta.license {
        Some(License::Text(text)) => out.folded("License", &license_text(text))?,
        Some(License::Expression(expression)) => out.field("License-Expression", expression)?,
        None => {}
    }
    for path in &meta.license_files {
        out.field("License-File", &path.to_string_lossy())?;
    }
    for classifier in &meta.classifiers {
        out.field("Classifier", classifier)?;
    }
    for requirement in &meta.requires_dist {
        out.field("Requires-Dist", requirement)?;
    }
    if let Some(requires_python) = &meta.requires_python {
        out.field("Requires-Python", requires_python)?;
    }
    for (label, url) in &meta.urls {
        out.field("Project-URL", &format!("{label}, {url}"))?;
    }
    for (extra, _) in &meta.optional_dependencies {
        out.field("Provides-Extra", extra)?;
    }
    Ok(out.finish(meta.readme.as_ref().map(|readme| readme.text.as_str())))
}

/// Lines of a license text (split where `packaging` splits them) without trailing spaces and
/// surrounding blank lines, so the folded header has no whitespace-only continuation at
/// either end.
fn license_text(text: &str) -> String {
    let lines: Vec<&str> = lines::split_lines(text)
        .into_iter()
        .map(str::trim_end)
        .collect();
    lines.join("\n").trim().to_owned()
}

/// `Author` (names of entries without an email) and `Author-email` (`Name <email>` or `email`),
/// each joined with ", ", as `pyproject-metadata`, flit_core and hatchling write them.
fn people_fields(people: &[Person]) -> (String, String) {
    let mut names = Vec::new();
    let mut emails = Vec::new();
    for person in people {
        match (&person.name, &person.email) {
            (Some(name), None) => names.push(name.clone()),
            (Some(name), Some(email)) => emails.push(format!("{} <{email}>", display_name(name))),
            (None, Some(email)) => emails.push(email.clone()),
            (None, None) => {}
        }
    }
    (names.join(", "), emails.join(", "))
}

/// A display name as `email.headerregistry.Address` prints it: quoted (with `\` and `"`
/// escaped) when it holds an RFC 5322 special character.
pub(super) fn display_name(name: &str) -> String {
    if name.contains([
        '(', ')', '<', '>', '@', ',', ':', ';', '.', '\\', '"', '[', ']',
    ]) {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        name.to_owned()
    }
}

/// `[console_scripts]`, `[gui_scripts]`, then the other groups, as setuptools writes it;
/// every line through [`Sections`].
pub(super) fn entry_points_txt(meta: &ProjectMetadata) -> Result<Option<String>> {
    let mut groups: Vec<(&str, &[(String, String)])> = Vec::new();
    if !meta.scripts.is_empty() {
        groups.push(("console_scripts", &meta.scripts));
    }
    if !meta.gui_scripts.is_empty() {
        groups.push(("gui_scripts", &meta.gui_scripts));
    }
    for (group, entries) in &meta.entry_points {
        if !entries.is_empty() {
            groups.push((group, entries));
        }
    }
    if groups.is_empty() {
        return Ok(None);
    }
    let mut out = Sections::default();
    for (group, entries) in groups {
        out.section(group)?;
        for (name, value) in entries {
            out.entry(name, value)?;
        }
    }
    Ok(Some(out.finish()))
}
