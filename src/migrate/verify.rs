//! `packkit migrate --verify`: the old backend's wheel against packkit's, compared by their
//! METADATA fields and file lists.
//!
//! The old backend is built by the caller (a Python process, `python_build_script`); this file
//! only compares two wheels, which is pure.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// METADATA fields that say how a file was made, not what the project is.
const NOT_COMPARED: &[&str] = &["metadata-version", "generator", "dynamic"];

/// The Python program that builds a wheel with `build-backend` (argv[1], `module:object`
/// allowed) into argv[2], in the current folder: exit 3 when the backend cannot be imported.
pub const PYTHON_BUILD_SCRIPT: &str = r"
import importlib, sys
module, _, obj = sys.argv[1].partition(':')
try:
    backend = importlib.import_module(module)
except ImportError as err:
    print(f'cannot import {module}: {err}', file=sys.stderr)
    sys.exit(3)
for part in filter(None, obj.split('.')):
    backend = getattr(backend, part)
print(backend.build_wheel(sys.argv[2]))
";

/// A wheel's METADATA as `field → values` (lower-case names) and its member names.
struct Facts {
    fields: BTreeMap<String, Vec<String>>,
    files: Vec<String>,
}

fn read(wheel: &Path) -> Result<Facts> {
    let file = crate::read::open_regular(wheel).map_err(|err| Error::io(wheel, err))?;
    let bad = |err: zip::result::ZipError| {
        Error::build(
            format!("{}: not a readable wheel: {err}", wheel.display()),
            None,
        )
    };
    let mut archive = zip::ZipArchive::new(file).map_err(bad)?;
    let files: Vec<String> = archive
        .file_names()
        .map(|name| name.map(std::borrow::Cow::into_owned))
        .collect::<std::result::Result<_, _>>()
        .map_err(bad)?;
    let Some(metadata_name) = files
        .iter()
        .find(|n| n.ends_with(".dist-info/METADATA") && n.matches('/').count() == 1)
        .cloned()
    else {
        return Err(Error::build(
            format!("{}: no METADATA", wheel.display()),
            None,
        ));
    };
    let mut text = String::new();
    archive
        .by_name(&metadata_name)
        .map_err(bad)?
        .take(16 << 20)
        .read_to_string(&mut text)
        .map_err(|err| Error::io(wheel, err))?;
    Ok(Facts {
        fields: headers(&text),
        files,
    })
}

/// The header fields of core metadata (continuation lines joined); the body is `description`.
fn headers(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut last: Option<String> = None;
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some(values) = last.as_ref().and_then(|k| fields.get_mut(k)) {
                if let Some(value) = values.last_mut() {
                    value.push('\n');
                    value.push_str(line.trim());
                }
            }
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_lowercase();
            fields
                .entry(key.clone())
                .or_default()
                .push(value.trim().to_owned());
            last = Some(key);
        }
    }
    if !body.trim().is_empty() {
        fields.insert("description".into(), vec![body.trim().to_owned()]);
    }
    for values in fields.values_mut() {
        values.sort();
    }
    fields
}

/// The differences between the old backend's wheel and packkit's, one line each.
pub fn compare(old: &Path, new: &Path) -> Result<Vec<String>> {
    let (old, new) = (read(old)?, read(new)?);
    let mut out = Vec::new();
    let keys: std::collections::BTreeSet<&String> =
        old.fields.keys().chain(new.fields.keys()).collect();
    let short = |values: Option<&Vec<String>>| -> String {
        match values {
            None => "(none)".into(),
            Some(values) => {
                let joined = values.join(" | ");
                if joined.chars().count() > 70 {
                    format!("{}...", joined.chars().take(67).collect::<String>())
                } else {
                    joined
                }
            }
        }
    };
    for key in keys {
        if NOT_COMPARED.contains(&key.as_str()) {
            continue;
        }
        let (a, b) = (old.fields.get(key), new.fields.get(key));
        if a != b {
            out.push(format!(
                "METADATA {key}: old backend {:?}, packkit {:?}",
                short(a),
                short(b)
            ));
        }
    }
    // `.dist-info` folders are named after the version, which may differ: compare the rest
    // of their members by their name inside the folder.
    let normal = |name: &str| match name.split_once(".dist-info/") {
        Some((_, inside)) => format!("<dist-info>/{inside}"),
        None => name.to_owned(),
    };
    let old_files: std::collections::BTreeSet<String> =
        old.files.iter().map(|n| normal(n)).collect();
    let new_files: std::collections::BTreeSet<String> =
        new.files.iter().map(|n| normal(n)).collect();
    for name in old_files.difference(&new_files) {
        out.push(format!("file only in the old backend's wheel: {name}"));
    }
    for name in new_files.difference(&old_files) {
        out.push(format!("file only in packkit's wheel: {name}"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn wheel(dir: &Path, name: &str, metadata: &str, files: &[&str]) -> std::path::PathBuf {
        let path = dir.join(name);
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("demo-1.0.dist-info/METADATA", options)
            .unwrap();
        zip.write_all(metadata.as_bytes()).unwrap();
        for file in files {
            zip.start_file(*file, options).unwrap();
        }
        zip.finish().unwrap();
        path
    }

    #[test]
    fn metadata_fields_and_file_lists_are_compared() {
        let dir = tempfile::tempdir().unwrap();
        let old = wheel(
            dir.path(),
            "old.whl",
            "Metadata-Version: 2.4\nName: demo\nVersion: 1.0\nClassifier: B\nClassifier: A\n\
             Author: Jane\nLicense: MIT\n  more\n\nThe readme.\n",
            &["demo/__init__.py", "demo-1.0.dist-info/top_level.txt"],
        );
        let new = wheel(
            dir.path(),
            "new.whl",
            "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nClassifier: A\nClassifier: B\n\
             License: MIT\n  more\n\nThe readme.\n",
            &["demo/__init__.py", "demo/_version.py"],
        );
        assert_eq!(
            compare(&old, &new).unwrap(),
            [
                "METADATA author: old backend \"Jane\", packkit \"(none)\"",
                "file only in the old backend's wheel: <dist-info>/top_level.txt",
                "file only in packkit's wheel: demo/_version.py",
            ]
        );
    }

    #[test]
    fn a_file_that_is_not_a_wheel_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.whl");
        std::fs::write(&path, "not a zip").unwrap();
        let err = compare(&path, &path).unwrap_err().to_string();
        assert!(err.contains("not a readable wheel"), "{err}");
    }
}
