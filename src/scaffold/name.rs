//! The project name a user gives `packkit new`, checked before anything is written: a PEP 508
//! name whose import name (`My.Project` → `my_project`) is a Python identifier, not a keyword
//! and, unless forced, not a module of the standard library it would shadow.

use crate::error::{Error, Result};

/// The union of `sys.stdlib_module_names` of CPython 3.10 to 3.13 (the generated project's
/// `requires-python`), one a line after the comment lines.
const STDLIB_MODULE_NAMES: &str = include_str!("stdlib_module_names.txt");

/// Python's hard keywords that are lowercase (an import name is lowercase, so `True`, `False`
/// and `None` cannot occur; soft keywords such as `match` are valid module names).
const KEYWORDS: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];

/// A project name that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectName {
    /// As given (PEP 508 allows `My.Project`; it is what `[project] name` keeps).
    pub name: String,
    /// The import name: lowercase, every run of `-`, `_` and `.` made one `_`.
    pub package: String,
}

/// Every name of the compiled-in stdlib list.
pub fn stdlib_module_names() -> impl Iterator<Item = &'static str> {
    STDLIB_MODULE_NAMES
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn problem(message: String, hint: &str) -> Error {
    super::refusal("name", message, hint.to_owned())
}

/// Is `name` a valid PEP 508 name (ASCII letters and digits, with `-`, `_`, `.` inside)?
fn is_pep508_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: &u8| b.is_ascii_alphanumeric();
    !bytes.is_empty()
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// The import name of a valid PEP 508 name.
fn import_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Check `name`; `force_name` accepts a stdlib module's name.
pub fn check(name: &str, force_name: bool) -> Result<ProjectName> {
    if !is_pep508_name(name) {
        let shown: String = name.chars().take(80).collect();
        return Err(problem(
            format!("{shown:?} is not a valid project name"),
            "use ASCII letters and digits, with `-`, `_` or `.` between them (PEP 508), e.g. `my-project`",
        ));
    }
    let package = import_name(name);
    if package.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(problem(
            format!(
                "the import name `{package}` of {name:?} starts with a digit, which Python cannot import"
            ),
            "start the name with a letter, e.g. `py-{name}`",
        ));
    }
    if KEYWORDS.contains(&package.as_str()) {
        return Err(problem(
            format!(
                "the import name `{package}` of {name:?} is a Python keyword, which cannot be imported"
            ),
            "choose another name, e.g. `{name}-lib`",
        ));
    }
    if !force_name && stdlib_module_names().any(|module| module == package) {
        return Err(problem(
            format!(
                "the import name `{package}` of {name:?} is a module of Python's standard library: \
                 `import {package}` would import one or the other depending on sys.path"
            ),
            "choose another name (e.g. `my-{name}`), or pass --force-name (force_name=True) to keep it",
        ));
    }
    Ok(ProjectName {
        name: name.to_owned(),
        package,
    })
}

/// A checked `--namespace`: the dotted name the package lives under (`acme.tools`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    /// `acme.tools`: the import name's prefix.
    pub dotted: String,
}

impl Namespace {
    /// `acme/tools`: the folders under `src/`, which have no `__init__.py` (PEP 420).
    pub fn folders(&self) -> String {
        self.dotted.replace('.', "/")
    }
}

fn namespace_problem(message: String, hint: &str) -> Error {
    super::refusal("namespace", message, hint.to_owned())
}

/// Check `namespace` (`a.b`): dot-separated parts, each a lowercase ASCII identifier that is
/// not a keyword; its first part, which is imported first, not a stdlib module unless
/// `force_name` (a regular stdlib package such as `json` cannot hold a namespace package).
pub fn check_namespace(namespace: &str, force_name: bool) -> Result<Namespace> {
    let shown: String = namespace.chars().take(80).collect();
    let part_ok = |part: &str| {
        part.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
            && part
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if namespace.len() > 200 || !namespace.split('.').all(part_ok) {
        return Err(namespace_problem(
            format!("{shown:?} is not a valid namespace"),
            "use dot-separated lowercase Python identifiers, e.g. `--namespace acme.tools`",
        ));
    }
    if let Some(keyword) = namespace.split('.').find(|part| KEYWORDS.contains(part)) {
        return Err(namespace_problem(
            format!(
                "the namespace {shown:?} contains `{keyword}`, a Python keyword, which cannot be imported"
            ),
            "choose other words for the namespace",
        ));
    }
    let first = namespace.split('.').next().unwrap_or_default();
    if !force_name && stdlib_module_names().any(|module| module == first) {
        return Err(namespace_problem(
            format!(
                "the namespace {shown:?} starts with `{first}`, a module of Python's standard \
                 library: `import {first}` finds the standard library's, not the namespace"
            ),
            "choose another namespace, or pass --force-name (force_name=True) to keep it",
        ));
    }
    Ok(Namespace {
        dotted: namespace.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_import_names() {
        assert_eq!(check("my-project", false).unwrap().package, "my_project");
        assert_eq!(check("My.Project", false).unwrap().package, "my_project");
        assert_eq!(check("a--_.b", false).unwrap().package, "a_b");
        assert_eq!(check("x", false).unwrap().package, "x");
        assert_eq!(check("match", false).unwrap().package, "match");
    }

    #[test]
    fn invalid_names_are_refused_with_a_hint() {
        for bad in [
            "", "-a", "a-", "a b", "a/b", "../x", "é", "a\nb", "a\"b", "{{name}}", ".",
        ] {
            let err = check(bad, false).unwrap_err().to_string();
            assert!(err.contains("\nhint: "), "{bad:?}");
            assert!(err.contains("not a valid project name"), "{bad:?}");
        }
        let message = |name| check(name, false).unwrap_err().to_string();
        assert!(message("1up").contains("digit"));
        assert!(message("import").contains("keyword"));
        assert!(message("Class").contains("keyword"));
    }

    #[test]
    fn stdlib_names_need_force() {
        for name in [
            "json",
            "email",
            "Typing",
            "tomllib",
            "distutils",
            "asynchat",
        ] {
            let err = check(name, false).unwrap_err().to_string();
            assert!(err.contains("standard library"), "{name}");
            assert!(err.contains("--force-name"));
            assert!(check(name, true).is_ok());
        }
        assert!(stdlib_module_names().count() > 300);
    }

    #[test]
    fn namespaces_are_dotted_identifiers() {
        let namespace = check_namespace("acme.data_tools", false).unwrap();
        assert_eq!(namespace.folders(), "acme/data_tools");
        for bad in [
            "", ".", "a.", ".a", "a..b", "a-b", "A.b", "1a", "a.2b", "a/b", "../x", "a b", "é",
            "a\nb",
        ] {
            let err = check_namespace(bad, false).unwrap_err().to_string();
            assert!(err.contains("not a valid namespace"), "{bad:?}: {err}");
            assert!(err.contains("\nhint: "), "{bad:?}");
        }
        let err = check_namespace("acme.class", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("keyword"), "{err}");
        let err = check_namespace("json.tools", false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("standard"), "{err}");
        assert!(check_namespace("json.tools", true).is_ok());
        // Only the first part is imported on its own: `acme.json` is fine.
        assert!(check_namespace("acme.json", false).is_ok());
    }
}
