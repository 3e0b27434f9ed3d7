//! PEP 639: SPDX license expressions and `license-files` globs.

use std::path::{Path, PathBuf};

use globset::GlobBuilder;
use walkdir::WalkDir;

use crate::paths;

/// Checks an SPDX expression and returns it in the canonical form `packaging` uses
/// (`canonicalize_license_expression`): ids and exceptions in their SPDX spelling, upper-case
/// operators, single spaces, parentheses kept as written. Like `packaging`, ids are matched
/// without regard to case, deprecated ids and `+` are accepted, and `DocumentRef-` /
/// `AdditionRef-` are not.
///
/// The error is a message and, for a misspelt id, the closest SPDX id.
pub fn canonical_expression(text: &str) -> Result<String, (String, Option<String>)> {
    spdx_expression(text).map_err(|(message, near)| match license_name_to_spdx(text) {
        // "MIT License", "Apache 2.0": a name, whose id is known; the nearest id by spelling
        // would be another license ("Unlicense").
        Some(id) => (
            format!("{text:?} is a license name, not an SPDX expression"),
            Some(id.to_owned()),
        ),
        None => (message, near),
    })
}

/// The SPDX expression for a license's common free-text name (as trove classifiers and old
/// `setup.py` files spell them); `None` when the text is not one we know. Several choices are
/// given as "`A` or `B`" (the caller quotes the whole).
fn license_name_to_spdx(text: &str) -> Option<&'static str> {
    const IGNORED: &[&str] = &["the", "license", "licence", "version", "software"];
    let lower = text.to_ascii_lowercase();
    let key: String = lower
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '.')
        .filter(|word| !word.is_empty() && !IGNORED.contains(word))
        .collect::<Vec<_>>()
        .concat();
    let key = key.trim_end_matches(".0");
    Some(match key {
        "mit" | "expat" | "mitx11" => "MIT",
        "apache" | "apache2" | "apachev2" | "asl" | "asl2" | "al2" => "Apache-2.0",
        "bsd" | "bsdstyle" => "BSD-3-Clause` or `BSD-2-Clause",
        "bsd3" | "bsd3clause" | "newbsd" | "modifiedbsd" | "revisedbsd" => "BSD-3-Clause",
        "bsd2" | "bsd2clause" | "simplifiedbsd" | "freebsd" => "BSD-2-Clause",
        "gpl" | "gnugpl" | "gnugeneralpublic" => "GPL-3.0-or-later` or `GPL-2.0-or-later",
        "gpl3" | "gplv3" | "gnugplv3" | "gnugpl3" | "gnugeneralpublic3" | "gnugeneralpublicv3" => {
            "GPL-3.0-only` or `GPL-3.0-or-later"
        }
        "gpl2" | "gplv2" | "gnugplv2" | "gnugpl2" | "gnugeneralpublic2" | "gnugeneralpublicv2" => {
            "GPL-2.0-only` or `GPL-2.0-or-later"
        }
        "lgpl" | "gnulgpl" | "lgpl3" | "lgplv3" => "LGPL-3.0-only` or `LGPL-3.0-or-later",
        "lgpl2.1" | "lgplv2.1" | "lgpl2" | "lgplv2" => "LGPL-2.1-only` or `LGPL-2.1-or-later",
        "agpl" | "agpl3" | "agplv3" | "gnuagpl" | "gnuagplv3" => {
            "AGPL-3.0-only` or `AGPL-3.0-or-later"
        }
        "mpl" | "mpl2" | "mozillapublic" | "mozillapublic2" => "MPL-2.0",
        "isc" | "iscl" => "ISC",
        "psf" | "psf2" | "pythonfoundation" | "python" | "pythonsoftwarefoundation" => "PSF-2.0",
        "publicdomain" | "cc0" => "Unlicense` or `CC0-1.0",
        "proprietary" | "otherproprietary" | "commercial" | "allrightsreserved" | "closed"
        | "closedsource" | "private" => "LicenseRef-Proprietary",
        _ => return None,
    })
}

/// The deprecated SPDX ids in a canonical expression, each with what to write instead
/// (`GPL-3.0` → `GPL-3.0-only` or `GPL-3.0-or-later`): packaging accepts them, but they do
/// not say whether later versions of the license apply.
pub fn deprecated_ids(expression: &str) -> Vec<String> {
    split_expression(expression)
        .into_iter()
        .filter_map(|word| {
            let base = word.trim_end_matches('+');
            let license = spdx::license_id(base)?;
            if !license.is_deprecated() {
                return None;
            }
            let only = format!("{base}-only");
            let choice = if spdx::license_id(&only).is_some() {
                format!("`{base}-only` or `{base}-or-later`")
            } else {
                "its current SPDX id (https://spdx.org/licenses/)".to_owned()
            };
            Some(format!(
                "`{word}` is a deprecated SPDX id that does not say whether later versions \
                 apply: write {choice}"
            ))
        })
        .collect()
}

/// [`canonical_expression`] without the license-name fallback.
fn spdx_expression(text: &str) -> Result<String, (String, Option<String>)> {
    let mut tokens: Vec<String> = Vec::new();
    let mut after_with = false;
    for word in split_expression(text) {
        let token = match word.to_ascii_lowercase().as_str() {
            "(" | ")" => word.to_owned(),
            op @ ("and" | "or" | "with") => {
                after_with = op == "with";
                tokens.push(op.to_ascii_uppercase());
                continue;
            }
            lower if after_with => spdx::identifiers::EXCEPTIONS
                .iter()
                .find(|e| e.name.eq_ignore_ascii_case(lower))
                .map(|e| e.name.to_owned())
                .ok_or_else(|| {
                    let near = closest(word, spdx::identifiers::EXCEPTIONS.iter().map(|e| e.name));
                    (format!("unknown license exception `{word}`"), near)
                })?,
            lower => license_token(word, lower)?,
        };
        after_with = false;
        tokens.push(token);
    }
    if tokens.is_empty() {
        return Err(("the license expression is empty".into(), None));
    }
    let mut canonical = String::new();
    for (i, token) in tokens.iter().enumerate() {
        let glued = token == ")" || (i > 0 && tokens[i - 1] == "(");
        if i > 0 && !glued {
            canonical.push(' ');
        }
        canonical.push_str(token);
    }
    // The grammar (operators between terms, balanced parentheses) is checked by `spdx`
    // on the canonical spelling.
    let mode = spdx::ParseMode {
        allow_deprecated: true,
        allow_postfix_plus_on_gpl: true,
        ..spdx::ParseMode::STRICT
    };
    match spdx::Expression::parse_mode(&canonical, mode) {
        Ok(_) => Ok(canonical),
        Err(err) => Err((
            format!("invalid license expression {text:?}: {}", err.reason),
            None,
        )),
    }
}

/// A license id (with an optional `+`) or a `LicenseRef-`, in canonical spelling.
fn license_token(word: &str, lower: &str) -> Result<String, (String, Option<String>)> {
    if let Some(rest) = lower.strip_prefix("licenseref-") {
        // `lower` is `word` in ASCII lower case: the same length, the same boundaries.
        let name = word.get(word.len() - rest.len()..).unwrap_or(rest);
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
        return if valid {
            Ok(format!("LicenseRef-{name}"))
        } else {
            Err((format!("invalid license reference `{word}`"), None))
        };
    }
    let (base, plus) = match lower.strip_suffix('+') {
        Some(base) => (base, "+"),
        None => (lower, ""),
    };
    spdx::identifiers::LICENSES
        .iter()
        .find(|l| l.name.eq_ignore_ascii_case(base))
        .map(|l| format!("{}{plus}", l.name))
        .ok_or_else(|| {
            let near = closest(word, spdx::identifiers::LICENSES.iter().map(|l| l.name));
            (format!("unknown license id `{word}`"), near)
        })
}

/// The closest id for a did-you-mean hint (compared in lower case).
fn closest(word: &str, names: impl Iterator<Item = &'static str>) -> Option<String> {
    let names: Vec<&'static str> = names.collect();
    let lower: Vec<String> = names.iter().map(|n| n.to_ascii_lowercase()).collect();
    let lower_refs: Vec<&str> = lower.iter().map(String::as_str).collect();
    let near = crate::pyproject::did_you_mean(word, &lower_refs)?;
    let index = lower_refs.iter().position(|n| *n == near)?;
    Some(names[index].to_owned())
}

/// Words and parentheses of an expression.
fn split_expression(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || c == '(' || c == ')' {
            if let Some(s) = start.take() {
                out.push(&text[s..i]);
            }
            if !c.is_whitespace() {
                out.push(&text[i..=i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// Why a `license-files` pattern is not allowed (PEP 639 portable globs), if it is not.
pub(super) fn check_glob(pattern: &str) -> Option<String> {
    if pattern.contains('\\') {
        return Some("`\\` is not allowed; use `/` between directories".into());
    }
    if let Err(outside) = paths::check_relative(pattern) {
        return Some(outside.message().to_owned());
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/*?[]".contains(c);
    if let Some(c) = pattern.chars().find(|c| !allowed(*c)) {
        return Some(format!(
            "`{c}` is not allowed; license-files globs may use letters, digits, `.`, `_`, `-`, `/`, `*`, `**`, `?` and `[...]`"
        ));
    }
    None
}

/// The files under `project_dir` matching `pattern` (relative, `/`-separated, sorted).
/// Walks only the pattern's literal leading directories, and below a `**` skips VCS
/// folders, virtual environments and `__pycache__`.
pub(super) fn glob_files(project_dir: &Path, pattern: &str) -> Result<Vec<String>, String> {
    let glob = GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(false)
        .build()
        .map_err(|err| format!("invalid glob: {}", err.kind()))?
        .compile_matcher();
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    let literal = parts
        .iter()
        .take_while(|p| !p.contains(['*', '?', '[']))
        .count();
    let base: PathBuf = parts[..literal].iter().collect();
    let root = project_dir.join(&base);
    let mut walk = WalkDir::new(&root).sort_by_file_name();
    if !pattern.contains("**") {
        walk = walk.max_depth(parts.len() - literal);
    }
    let mut found = Vec::new();
    let entries = walk.into_iter().filter_entry(|e| {
        e.depth() == 0 || !(e.file_type().is_dir() && paths::is_skipped_dir(e.path()))
    });
    for entry in entries {
        // Unreadable or missing folders simply match nothing.
        let Ok(entry) = entry else { continue };
        if !entry.path().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(project_dir) else {
            continue;
        };
        let relative: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let relative = relative.join("/");
        if glob.is_match(&relative) {
            found.push(relative);
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_like_packaging() {
        // Expected values are `packaging.licenses.canonicalize_license_expression(text)`.
        let cases = [
            ("mit", "MIT"),
            ("MIT or apache-2.0", "MIT OR Apache-2.0"),
            ("GPL-2.0+", "GPL-2.0+"),
            ("(MIT)", "(MIT)"),
            (
                "MIT AND (Apache-2.0 OR BSD-3-Clause)",
                "MIT AND (Apache-2.0 OR BSD-3-Clause)",
            ),
            ("licenseref-foo", "LicenseRef-foo"),
            ("GPL-2.0", "GPL-2.0"),
            (
                "gpl-3.0-or-later with classpath-exception-2.0",
                "GPL-3.0-or-later WITH Classpath-exception-2.0",
            ),
            ("mit  or  bsd-3-clause", "MIT OR BSD-3-Clause"),
            ("((MIT))", "((MIT))"),
            ("mit+", "MIT+"),
        ];
        for (input, expected) in cases {
            assert_eq!(
                canonical_expression(input),
                Ok(expected.to_owned()),
                "{input}"
            );
        }
    }

    #[test]
    fn license_names_suggest_their_spdx_id_not_the_nearest_spelling() {
        for (name, id) in [
            ("MIT License", "MIT"),
            ("The MIT License", "MIT"),
            ("BSD", "BSD-3-Clause` or `BSD-2-Clause"),
            ("BSD 3-Clause License", "BSD-3-Clause"),
            ("Apache 2.0", "Apache-2.0"),
            ("Apache License, Version 2.0", "Apache-2.0"),
            ("Apache Software License", "Apache-2.0"),
            ("GPLv3", "GPL-3.0-only` or `GPL-3.0-or-later"),
            ("GNU GPL v2", "GPL-2.0-only` or `GPL-2.0-or-later"),
            ("Proprietary", "LicenseRef-Proprietary"),
            ("Other/Proprietary License", "LicenseRef-Proprietary"),
            ("All rights reserved", "LicenseRef-Proprietary"),
            ("Mozilla Public License 2.0", "MPL-2.0"),
            ("Public Domain", "Unlicense` or `CC0-1.0"),
        ] {
            let (message, suggestion) = canonical_expression(name).unwrap_err();
            assert_eq!(suggestion.as_deref(), Some(id), "{name}");
            assert!(message.contains("license name"), "{message}");
        }
        // Real ids and expressions are not names: unchanged.
        assert_eq!(canonical_expression("mit").unwrap(), "MIT");
        assert_eq!(canonical_expression("isc").unwrap(), "ISC");
        // A misspelt id still gets the nearest spelling.
        assert_eq!(
            canonical_expression("Apach-2.0").unwrap_err().1.as_deref(),
            Some("Apache-2.0")
        );
    }

    #[test]
    fn deprecated_ids_name_the_choice() {
        let warnings = deprecated_ids("GPL-3.0 OR MIT");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("`GPL-3.0-only` or `GPL-3.0-or-later`"),
            "{warnings:?}"
        );
        assert!(deprecated_ids("GPL-3.0-or-later AND MIT").is_empty());
        assert_eq!(deprecated_ids("LGPL-2.1+").len(), 1);
    }

    #[test]
    fn rejects_what_packaging_rejects() {
        for bad in [
            "Foo-9",
            "MIT/Apache-2.0",
            "MIT OR",
            "",
            "MIT WITH MIT",
            "AdditionRef-x",
            "DocumentRef-a:LicenseRef-b",
            "(MIT",
            "MIT Apache-2.0",
        ] {
            assert!(canonical_expression(bad).is_err(), "{bad}");
        }
        assert_eq!(
            canonical_expression("MIT OR Foo-License-9"),
            Err(("unknown license id `Foo-License-9`".into(), None))
        );
        assert_eq!(
            canonical_expression("Apache2").map_err(|e| e.1),
            Err(Some("Apache-2.0".into()))
        );
    }

    #[test]
    fn glob_rules() {
        assert!(check_glob("LICENSE*").is_none());
        assert!(check_glob("licenses/**/*.txt").is_none());
        assert!(check_glob("../LICENSE").is_some());
        assert!(check_glob("/etc/passwd").is_some());
        assert!(check_glob("C:/x").is_some());
        assert!(check_glob("a\\b").is_some());
        assert!(check_glob("LICENSE{,.txt}").is_some());
    }

    #[test]
    fn globs_match_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("licenses/sub")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        for file in [
            "LICENSE",
            "LICENSE.md",
            "licenses/a.txt",
            "licenses/sub/b.txt",
            ".git/LICENSE",
        ] {
            std::fs::write(root.join(file), "x").unwrap();
        }
        assert_eq!(
            glob_files(root, "LICENSE*").unwrap(),
            ["LICENSE", "LICENSE.md"]
        );
        assert_eq!(
            glob_files(root, "licenses/*.txt").unwrap(),
            ["licenses/a.txt"]
        );
        assert_eq!(
            glob_files(root, "licenses/**/*.txt").unwrap(),
            ["licenses/a.txt", "licenses/sub/b.txt"]
        );
        assert_eq!(glob_files(root, "**/LICENSE").unwrap(), ["LICENSE"]);
        assert!(glob_files(root, "COPYING*").unwrap().is_empty());
        assert!(glob_files(root, "missing/*").unwrap().is_empty());
    }
}
