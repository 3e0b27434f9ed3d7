//! Versions without a git checkout: `.git_archival.txt` written by `git archive` (with
//! `export-subst`), and the `PKG-INFO` of an unpacked sdist.

use std::path::Path;

use super::TagMatcher;
use crate::error::{Error, Result};
use crate::version::schemes::{Facts, Tag};

pub const ARCHIVAL_FILE: &str = ".git_archival.txt";

/// What an archival file says, if it was expanded by `git archive` and names a version.
pub fn read_archival(project_dir: &Path, tags: &TagMatcher) -> Result<Option<Facts>> {
    let path = project_dir.join(ARCHIVAL_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let fields = header_fields(&text);
    let get = |key: &str| {
        fields
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    };
    let facts = |tag: Option<Tag>, distance: u64, node: Option<String>| Facts {
        tag,
        distance,
        node,
        dirty: false,
        branch: None,
        node_date: None,
        shallow: false,
    };
    let describe = get("describe-name").unwrap_or("%(describe");
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
    for reference in get("ref-names").unwrap_or_default().split(',') {
        if let Some(name) = reference.trim().strip_prefix("tag: ") {
            if let Some(tag) = tags.parse(name.trim()) {
                return Ok(Some(facts(Some(tag), 0, None)));
            }
        }
    }
    match get("node") {
        Some(node) if !node.to_ascii_uppercase().contains("$FORMAT") && !node.is_empty() => {
            // An archive of an untagged commit: setuptools_scm's exact `0.0`.
            Ok(Some(facts(None, 0, Some(format!("g{node}")))))
        }
        _ => Ok(None),
    }
}

/// `v1.0.0-2-gabc1234` → (`v1.0.0`, 2, `gabc1234`); a bare tag name is distance 0.
fn split_describe(describe: &str) -> (&str, u64, Option<String>) {
    let describe = describe.strip_suffix("-dirty").unwrap_or(describe);
    let mut parts = describe.rsplitn(3, '-');
    if let (Some(node), Some(distance), Some(name)) = (parts.next(), parts.next(), parts.next()) {
        if let (Some(hex), Ok(distance)) = (node.strip_prefix('g'), distance.parse::<u64>()) {
            if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return (name, distance, Some(node.to_owned()));
            }
        }
    }
    (describe, 0, None)
}

/// The `Version:` of an unpacked sdist's `PKG-INFO`, if there is one.
pub fn read_pkg_info(project_dir: &Path) -> Result<Option<String>> {
    let path = project_dir.join("PKG-INFO");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    Ok(header_fields(&text)
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("version"))
        .map(|(_, v)| v))
}

/// `Key: value` lines up to the first blank line (RFC 822 headers, continuation lines joined).
fn header_fields(text: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = fields.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
        } else if let Some((key, value)) = line.split_once(':') {
            fields.push((key.trim().to_owned(), value.trim().to_owned()));
        }
    }
    fields
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
        let fields =
            header_fields("Metadata-Version: 2.1\nName: demo\nVersion: 3.1.4\n\nVersion: 9\n");
        assert_eq!(
            fields.last().unwrap(),
            &("Version".to_owned(), "3.1.4".to_owned())
        );
    }
}
