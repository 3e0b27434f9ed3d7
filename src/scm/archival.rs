//! Versions without a git checkout: `.git_archival.txt` written by `git archive` (with
//! `export-subst`), and the `PKG-INFO` of an unpacked sdist.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::TagMatcher;
use crate::error::{Error, Result};
use crate::version::schemes::{Facts, Tag};

pub const ARCHIVAL_FILE: &str = ".git_archival.txt";

/// setuptools_scm's `REF_TAG_RE`, `(?<=\btag: )([^,]+)\b`: each tag of `%D` or `%d` output
/// (`HEAD -> main, tag: v1.0` or ` (HEAD -> main, tag: v1.0)`), in the order written.
static REF_TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\btag: ([^,]+)\b").expect("a valid static regex"));

/// What an archival file says, if it was expanded by `git archive` and names a version.
///
/// As setuptools_scm: `describe-name` first, else the first tag of `ref-names` that is a
/// version (in the order git wrote them, not the highest), else `node` alone (an untagged
/// commit, version 0.0). `node-date` is not read: setuptools_scm leaves an archive's
/// `node_date` unset, so `calver-by-date` counts from the build date, not the commit's.
pub fn read_archival(project_dir: &Path, tags: &TagMatcher) -> Result<Option<Facts>> {
    let path = project_dir.join(ARCHIVAL_FILE);
    match crate::read::optional_text(&path)? {
        Some(text) => parse_archival(&text, &path, tags),
        None => Ok(None),
    }
}

/// [`read_archival`] of the text of the file at `path` (named in errors).
pub fn parse_archival(text: &str, path: &Path, tags: &TagMatcher) -> Result<Option<Facts>> {
    let fields = Headers::parse(text);
    let facts = |tag: Option<Tag>, distance: u64, node: Option<String>| Facts {
        tag,
        distance,
        node,
        dirty: false,
        branch: None,
        node_date: None,
        shallow: false,
    };
    let describe = fields.one(path, "describe-name")?.unwrap_or("%(describe");
    if !describe.contains("%(describe") && !describe.is_empty() {
        let (name, distance, node) = split_describe(describe);
        let tag = tags.parse(name).ok_or_else(|| {
            Error::scm(
                format!("{}: the tag {name:?} in `describe-name` is not a version", path.display()),
                Some("tag the commit with a version (git tag v1.0.0) before archiving, or set `tag-regex`".to_owned()),
            )
        })?;
        return Ok(Some(facts(Some(tag), distance, node)));
    }
    let ref_names = fields.one(path, "ref-names")?.unwrap_or_default();
    for name in REF_TAG.captures_iter(ref_names).filter_map(|c| c.get(1)) {
        if let Some(tag) = tags.parse(name.as_str()) {
            return Ok(Some(facts(Some(tag), 0, None)));
        }
    }
    match fields.one(path, "node")? {
        Some(node) if !node.to_ascii_uppercase().contains("$FORMAT") && !node.is_empty() => {
            // The node is printed into the version and `version-file`: a commit hash only.
            if !is_lower_hex(node) {
                return Err(Error::scm(
                    format!(
                        "{}: `node: {node}` is not a commit hash (hexadecimal digits)",
                        path.display()
                    ),
                    Some(format!(
                        "let `git archive` write {ARCHIVAL_FILE} (`node: $Format:%H$` with \
                         `export-subst` in .gitattributes), or delete the file"
                    )),
                ));
            }
            // An archive of an untagged commit: setuptools_scm's exact `0.0`.
            Ok(Some(facts(None, 0, Some(format!("g{node}")))))
        }
        _ => Ok(None),
    }
}

/// `v1.0.0-2-gabc1234` → (`v1.0.0`, 2, `gabc1234`); a bare tag name is distance 0
/// (setuptools_scm's `^(?P<tag>.+)-(?P<distance>\d+)-g(?P<node>[0-9a-f]+)$`).
fn split_describe(describe: &str) -> (&str, u64, Option<String>) {
    let describe = describe.strip_suffix("-dirty").unwrap_or(describe);
    let mut parts = describe.rsplitn(3, '-');
    if let (Some(node), Some(distance), Some(name)) = (parts.next(), parts.next(), parts.next()) {
        let distance = Some(distance)
            .filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse::<u64>().ok());
        if let (Some(hex), Some(distance)) = (node.strip_prefix('g'), distance) {
            if !name.is_empty() && is_lower_hex(hex) {
                return (name, distance, Some(node.to_owned()));
            }
        }
    }
    (describe, 0, None)
}

fn is_lower_hex(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The `Version:` of an unpacked sdist's `PKG-INFO`, if there is one, as written (without
/// surrounding white space) and checked to be a PEP 440 version.
pub fn read_pkg_info(project_dir: &Path) -> Result<Option<String>> {
    let path = project_dir.join("PKG-INFO");
    match crate::read::optional_text(&path)? {
        Some(text) => parse_pkg_info(&text, &path),
        None => Ok(None),
    }
}

/// [`read_pkg_info`] of the text of the file at `path` (named in errors).
pub fn parse_pkg_info(text: &str, path: &Path) -> Result<Option<String>> {
    let headers = Headers::parse(text);
    let Some(version) = headers.one(path, "version")? else {
        return Ok(None);
    };
    crate::version::clean(version).map(Some).map_err(|_| {
        Error::scm(
            format!(
                "{}: `Version: {version}` is not a valid PEP 440 version",
                path.display()
            ),
            Some("an sdist's PKG-INFO is written by its build backend: rebuild the sdist, or delete PKG-INFO to use git or `fallback-version`".to_owned()),
        )
    })
}

/// The header of an RFC 822 file (`PKG-INFO`, `.git_archival.txt`), read as Python's email
/// parser reads it (setuptools_scm's `data_from_mime`).
struct Headers {
    /// (name, value): the value unfolded (the line breaks before continuation lines removed,
    /// as RFC 5322 says) and without surrounding white space.
    fields: Vec<(String, String)>,
}

impl Headers {
    /// Headers end at a blank line, or at the first line that is neither `Name: value` (a
    /// name of printable ASCII without spaces) nor a continuation (starting with a space or
    /// a tab); `\r\n`, `\n` and `\r` all end a line.
    fn parse(text: &str) -> Self {
        let mut fields: Vec<(String, String)> = Vec::new();
        let lines = text.split("\r\n").flat_map(|l| l.split(['\n', '\r']));
        for line in lines {
            if line.is_empty() {
                break;
            }
            if line.starts_with([' ', '\t']) {
                // A continuation before any header is a defect, ignored as email does.
                if let Some((_, value)) = fields.last_mut() {
                    value.push_str(line);
                }
                continue;
            }
            if line.starts_with("From ") {
                continue; // an mbox `From ` line, skipped as email does
            }
            let Some((name, value)) = line.split_once(':') else {
                break;
            };
            if !name.bytes().all(|b| matches!(b, b'!'..=b'~')) {
                break;
            }
            fields.push((name.to_owned(), value.to_owned()));
        }
        for (_, value) in &mut fields {
            *value = value.trim().to_owned();
        }
        Headers { fields }
    }

    /// The value of `name` (any case); two of them is an error naming the file, not a guess.
    fn one(&self, path: &Path, name: &str) -> Result<Option<&str>> {
        let mut found = self
            .fields
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str());
        let first = found.next();
        if found.next().is_some() {
            return Err(Error::scm(
                format!("{}: `{name}` is given more than once", path.display()),
                Some(format!("keep one `{name}:` line")),
            ));
        }
        Ok(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_output_is_split_like_setuptools_scm() {
        assert_eq!(
            split_describe("v1.0.0-2-gabc1234"),
            ("v1.0.0", 2, Some("gabc1234".into()))
        );
        assert_eq!(split_describe("v1.0.0"), ("v1.0.0", 0, None));
        assert_eq!(
            split_describe("pkg-v1.0-rc-3-g0a1b2c3"),
            ("pkg-v1.0-rc", 3, Some("g0a1b2c3".into()))
        );
    }

    #[test]
    fn headers_stop_at_the_body() {
        let headers =
            Headers::parse("Metadata-Version: 2.1\nName: demo\nVersion: 3.1.4\n\nVersion: 9\n");
        let path = Path::new("PKG-INFO");
        assert_eq!(headers.one(path, "version").unwrap(), Some("3.1.4"));
        // A line that is not a header ends them, as in Python's email parser.
        let headers = Headers::parse("Name: demo\nnot a header\nVersion: 9\n");
        assert_eq!(headers.one(path, "version").unwrap(), None);
    }

    #[test]
    fn continuation_lines_are_unfolded_like_email() {
        let path = Path::new("PKG-INFO");
        let headers = Headers::parse("Version:\n 1.0\nName: a\r\n\tb\r\n");
        assert_eq!(headers.one(path, "Version").unwrap(), Some("1.0"));
        assert_eq!(headers.one(path, "name").unwrap(), Some("a\tb"));
        let err = Headers::parse("Version: 1\nversion: 2\n")
            .one(path, "Version")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("PKG-INFO: `Version` is given more than once"),
            "{err}"
        );
    }

    #[test]
    fn a_node_must_be_a_commit_hash() {
        let tags = TagMatcher::new(None, None).unwrap();
        let path = Path::new(".git_archival.txt");
        let err = parse_archival("node: gééééééééé\n", path, &tags)
            .unwrap_err()
            .to_string();
        assert!(err.contains("is not a commit hash"), "{err}");
        let facts = parse_archival("node: 0123456789abcdef\n", path, &tags)
            .unwrap()
            .unwrap();
        assert_eq!(facts.short_node(), Some("g012345678"));
        assert!(
            parse_archival("node: $Format:%H$\n", path, &tags)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn ref_names_are_read_like_setuptools_scm() {
        let tags: Vec<&str> = REF_TAG
            .captures_iter(" (HEAD -> main, tag: v2.0, tag: v1.0)")
            .filter_map(|c| c.get(1))
            .map(|m| m.as_str())
            .collect();
        assert_eq!(tags, ["v2.0", "v1.0"]);
        // `%d` output, the commit not at HEAD: the first tag follows the parenthesis.
        let matcher = TagMatcher::new(None, None).unwrap();
        let facts = parse_archival(
            "ref-names:  (tag: v1.9, tag: v1.10)\n",
            Path::new(".git_archival.txt"),
            &matcher,
        )
        .unwrap()
        .unwrap();
        assert_eq!(facts.tag.unwrap().name, "v1.9");
    }
}
