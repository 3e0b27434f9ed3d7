//! Reading and validating each `[project]` field (PEP 621 / the pyproject.toml specification).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use toml_edit::{Item, TableLike};

use super::license::{canonical_expression, check_glob, glob_files};
use super::pep508::{Dependency, format_specifiers, is_valid_name, normalize_name};
use super::{License, Person, ProjectMetadata, Readme};
use crate::error::ConfigError;
use crate::lines;
use crate::paths;
use crate::pyproject::{PyProject, Reader, did_you_mean, join_key, key_span, span_of};

/// Every key the pyproject.toml specification allows under `[project]`.
const PROJECT_KEYS: &[&str] = &[
    "name",
    "version",
    "description",
    "readme",
    "requires-python",
    "license",
    "license-files",
    "authors",
    "maintainers",
    "keywords",
    "classifiers",
    "urls",
    "dependencies",
    "optional-dependencies",
    "scripts",
    "gui-scripts",
    "entry-points",
    "dynamic",
];

/// Keys of the specification that need a Metadata-Version packkit does not write (2.5).
const UNSUPPORTED_KEYS: &[&str] = &["import-names", "import-namespaces"];

/// Fields that may be listed in `dynamic`: every `[project]` key but `name` and `dynamic`.
fn dynamic_keys() -> Vec<&'static str> {
    PROJECT_KEYS
        .iter()
        .copied()
        .filter(|key| !matches!(*key, "name" | "dynamic"))
        .collect()
}

const REQUIREMENT_HINT: &str =
    "write a PEP 508 requirement, like \"requests>=2.31\" or \"tomli; python_version < '3.11'\"";

pub(super) fn load(pyproject: &PyProject, dir: &Path) -> Result<ProjectMetadata, Vec<ConfigError>> {
    let mut r = Reader::new(pyproject);
    let Some(project_item) = pyproject.item("project") else {
        r.error(
            Some(0..0),
            "project",
            "there is no [project] table",
            Some("add a [project] table with at least `name` and `version` (PEP 621)".into()),
        );
        return Err(r.problems);
    };
    let Some(project) = r.table(project_item, "project") else {
        return Err(r.problems);
    };
    // Errors about the table as a whole point at its header.
    let header = project_item.span().or(Some(0..0));

    let known: Vec<&str> = PROJECT_KEYS
        .iter()
        .chain(UNSUPPORTED_KEYS)
        .copied()
        .collect();
    r.check_keys(project, "project", &known);
    for key in UNSUPPORTED_KEYS {
        if project.contains_key(key) {
            r.error(
                key_span(project, key),
                &format!("project.{key}"),
                format!(
                    "`{key}` (PEP 794) needs Metadata-Version 2.5, which packkit does not write yet"
                ),
                Some(format!("remove `{key}`")),
            );
        }
    }

    let dynamic = read_dynamic(&mut r, project);
    let get = |key: &str| project.get(key);

    let name = read_name(&mut r, get("name"), header.clone());
    let version = read_version(&mut r, project, &dynamic);
    let description = get("description").and_then(|item| {
        let text = r.string(item, "project.description")?;
        // It becomes the `Summary` header: one line, no control character.
        if let Some(found) = lines::control_character(&text) {
            r.error(
                item.span(),
                "project.description",
                format!("the description must be a single line without control characters; it contains {found}"),
                Some("put the long text in `readme`; keep `description` to one sentence".into()),
            );
            return None;
        }
        Some(text)
    });
    let (readme, readme_file) = match get("readme") {
        Some(item) => read_readme(&mut r, item, dir),
        None => (None, None),
    };
    let requires_python = get("requires-python").and_then(|item| {
        let text = r.string(item, "project.requires-python")?;
        match pep440_rs::VersionSpecifiers::from_str(&text) {
            Ok(_) => format_specifiers(&text),
            Err(err) => {
                let message = err.to_string();
                let first = message.lines().next().unwrap_or("").trim_end_matches(':');
                r.error(
                    item.span(),
                    "project.requires-python",
                    format!("invalid version specifier {text:?}: {first}"),
                    Some("write it like \">=3.9\" or \">=3.9,<4\" (PEP 440)".into()),
                );
                None
            }
        }
    });
    let license = get("license").and_then(|item| read_license(&mut r, project, item, dir));
    let license_files = match get("license-files") {
        Some(item) => read_license_files(&mut r, item, dir),
        None => default_license_files(dir),
    };
    let authors = get("authors").map_or_else(Vec::new, |item| {
        read_people(&mut r, item, "project.authors")
    });
    let maintainers = get("maintainers").map_or_else(Vec::new, |item| {
        read_people(&mut r, item, "project.maintainers")
    });
    let keywords = get("keywords").map_or_else(Vec::new, |item| read_keywords(&mut r, item));
    let classifiers = get("classifiers").map_or_else(Vec::new, |item| {
        read_classifiers(
            &mut r,
            item,
            matches!(license, Some(License::Expression(_))),
        )
    });
    let urls = get("urls").map_or_else(Vec::new, |item| read_urls(&mut r, item));
    let dependencies = get("dependencies").map_or_else(Vec::new, |item| {
        requirements(&mut r, item, "project.dependencies")
    });
    let optional = get("optional-dependencies")
        .map_or_else(Vec::new, |item| read_optional_dependencies(&mut r, item));
    let scripts = get("scripts").map_or_else(Vec::new, |item| {
        read_entry_table(&mut r, item, "project.scripts", true)
    });
    let gui_scripts = get("gui-scripts").map_or_else(Vec::new, |item| {
        read_entry_table(&mut r, item, "project.gui-scripts", true)
    });
    for (script, _) in &gui_scripts {
        if scripts.iter().any(|(name, _)| name == script) {
            let table = get("gui-scripts").and_then(Item::as_table_like);
            r.error(
                table.and_then(|t| key_span(t, script)),
                &join_key("project.gui-scripts", script),
                format!("`{script}` is both a console script and a GUI script"),
                Some("give one of them another name".into()),
            );
        }
    }
    let entry_points =
        get("entry-points").map_or_else(Vec::new, |item| read_entry_points(&mut r, item));

    if !r.problems.is_empty() {
        // Read top to bottom, like the file.
        r.problems.sort_by_key(|e| (e.line, e.column));
        return Err(r.problems);
    }
    let mut requires_dist: Vec<String> = dependencies.iter().map(ToString::to_string).collect();
    for (extra, deps) in &optional {
        requires_dist.extend(deps.iter().map(|dep| dep.for_extra(extra).to_string()));
    }
    Ok(ProjectMetadata {
        name: name.unwrap_or_default(),
        version,
        description,
        readme,
        readme_file,
        requires_python,
        license,
        license_files,
        authors,
        maintainers,
        keywords,
        classifiers,
        urls,
        dependencies: dependencies.iter().map(ToString::to_string).collect(),
        optional_dependencies: optional
            .into_iter()
            .map(|(extra, deps)| (extra, deps.iter().map(ToString::to_string).collect()))
            .collect(),
        requires_dist,
        dynamic,
        scripts,
        gui_scripts,
        entry_points,
    })
}

/// `dynamic`: known fields only, never `name`, never a field that is also given statically,
/// and only what packkit can compute (the version).
fn read_dynamic(r: &mut Reader, project: &dyn TableLike) -> Vec<String> {
    let Some(item) = project.get("dynamic") else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for (field, span, key) in r.strings(item, "project.dynamic") {
        if field == "name" {
            r.error(
                span,
                &key,
                "`name` cannot be dynamic",
                Some("set `name` statically in [project] and remove it from `dynamic`".into()),
            );
        } else if !dynamic_keys().contains(&field.as_str()) {
            let dynamic_keys = dynamic_keys();
            let hint = match did_you_mean(&field, &dynamic_keys) {
                Some(near) => format!("did you mean \"{near}\"?"),
                None => format!("fields that can be dynamic: {}", dynamic_keys.join(", ")),
            };
            r.error(
                span,
                &key,
                format!("{field:?} is not a [project] field"),
                Some(hint),
            );
        } else if out.contains(&field) {
            r.error(span, &key, format!("{field:?} is listed twice"), None);
        } else if project.contains_key(&field) {
            // The specification makes a field both static and dynamic an error.
            r.error(
                key_span(project, &field),
                &format!("project.{field}"),
                format!("`{field}` is given here and also listed in `dynamic`"),
                Some(format!(
                    "remove `{field}` from `dynamic`, or remove this static value"
                )),
            );
            out.push(field);
        } else if field != "version" {
            r.error(
                span,
                &key,
                format!(
                    "packkit cannot compute `{field}` dynamically; only the version comes from git"
                ),
                Some(format!(
                    "write `{field}` in [project] and remove it from `dynamic`"
                )),
            );
        } else {
            out.push(field);
        }
    }
    out
}

fn read_name(r: &mut Reader, item: Option<&Item>, header: Option<Range<usize>>) -> Option<String> {
    let Some(item) = item else {
        r.error(
            header,
            "project.name",
            "`name` is required",
            Some("add `name = \"your-project\"` to [project]".into()),
        );
        return None;
    };
    let name = r.string(item, "project.name")?;
    if !is_valid_name(&name) {
        r.error(
            item.span(),
            "project.name",
            format!("{name:?} is not a valid project name"),
            Some("use ASCII letters, digits and `.` `_` `-`, starting and ending with a letter or digit (PEP 508)".into()),
        );
    }
    Some(name)
}

fn read_version(r: &mut Reader, project: &dyn TableLike, dynamic: &[String]) -> Option<String> {
    let Some(item) = project.get("version") else {
        if !dynamic.iter().any(|f| f == "version") {
            r.error(
                key_span(project, "name").or(Some(0..0)),
                "project.version",
                "`version` is missing and not listed in `dynamic`",
                Some("add `version = \"0.1.0\"`, or `dynamic = [\"version\"]` to take it from git tags".into()),
            );
        }
        return None;
    };
    let text = r.string(item, "project.version")?;
    match pep440_rs::Version::from_str(&text) {
        Ok(version) => Some(version.to_string()),
        Err(err) => {
            r.error(
                item.span(),
                "project.version",
                format!("{text:?} is not a valid PEP 440 version: {err}"),
                Some("write it like \"1.2.3\", \"1.0rc1\" or \"2.0.post1\"".into()),
            );
            None
        }
    }
}

/// Whether `path`, with symbolic links resolved, is inside `dir`: files from outside the
/// project never go into metadata.
fn is_inside(dir: &Path, path: &Path) -> bool {
    paths::resolves_inside(dir, path).unwrap_or(false)
}

/// A path from pyproject.toml: relative to the project, inside it, `/`-separated.
fn check_relative_path(r: &mut Reader, text: &str, span: Option<Range<usize>>, key: &str) -> bool {
    let outside = paths::check_relative(text).err();
    if let Some(outside) = outside {
        r.error(
            span,
            key,
            format!("{}: {text:?}", outside.message()),
            Some("files in an sdist must live under the project directory; move or copy the file there".into()),
        );
    }
    outside.is_none()
}

/// Reads a file named in pyproject.toml as UTF-8 text.
fn read_text_file(
    r: &mut Reader,
    dir: &Path,
    text: &str,
    span: Option<Range<usize>>,
    key: &str,
) -> Option<String> {
    if !check_relative_path(r, text, span.clone(), key) {
        return None;
    }
    let path = dir.join(text);
    if path.exists() && !is_inside(dir, &path) {
        r.error(
            span,
            key,
            format!("{text} leads outside the project directory (through a symbolic link)"),
            Some("copy the file into the project instead of linking to it".into()),
        );
        return None;
    }
    match crate::read::bytes(&path) {
        Ok(bytes) => {
            if let Ok(content) = String::from_utf8(bytes) {
                Some(content)
            } else {
                r.error(
                    span,
                    key,
                    format!("{text} is not UTF-8 text"),
                    Some("save the file as UTF-8".into()),
                );
                None
            }
        }
        Err(err) => {
            let reason = if err.kind() == std::io::ErrorKind::NotFound {
                "does not exist".to_owned()
            } else {
                format!("cannot be read: {err}")
            };
            r.error(
                span,
                key,
                format!("{text} {reason} (looked in {})", dir.display()),
                Some("the path is relative to the directory of pyproject.toml".into()),
            );
            None
        }
    }
}

fn content_type_for(path: &str) -> Option<&'static str> {
    let extension = Path::new(path).extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "md" => Some("text/markdown"),
        "rst" => Some("text/x-rst"),
        "txt" => Some("text/plain"),
        _ => None,
    }
}

/// Why a `Description-Content-Type` would be rejected by `packaging` / PyPI, if it would be.
fn check_content_type(value: &str) -> Option<String> {
    if let Some(found) = lines::control_character(value) {
        return Some(format!(
            "the content type must be a single line without control characters; it contains {found}"
        ));
    }
    let mut parts = value.split(';');
    let base = parts.next().unwrap_or("").trim().to_ascii_lowercase();
    if !matches!(base.as_str(), "text/markdown" | "text/x-rst" | "text/plain") {
        return Some(format!(
            "unsupported content type {value:?}: use \"text/markdown\", \"text/x-rst\" or \"text/plain\""
        ));
    }
    for param in parts {
        let (key, val) = param.split_once('=').unwrap_or((param, ""));
        let key = key.trim().to_ascii_lowercase();
        let val = val.trim().trim_matches('"');
        if key == "charset" && !val.eq_ignore_ascii_case("utf-8") {
            return Some(format!("charset {val:?} is not supported: only UTF-8"));
        }
        if key == "variant" && base == "text/markdown" && !matches!(val, "GFM" | "CommonMark") {
            return Some(format!(
                "Markdown variant {val:?} is not supported: use \"GFM\" or \"CommonMark\""
            ));
        }
    }
    None
}

fn read_readme(r: &mut Reader, item: &Item, dir: &Path) -> (Option<Readme>, Option<PathBuf>) {
    const KEY: &str = "project.readme";
    if let Some(path) = item.as_str() {
        let Some(content_type) = content_type_for(path) else {
            r.error(
                item.span(),
                KEY,
                format!("cannot tell the content type of {path:?} from its extension"),
                Some(format!("name it .md, .rst or .txt, or write `readme = {{ file = {path:?}, content-type = \"text/plain\" }}`")),
            );
            return (None, None);
        };
        let Some(text) = read_text_file(r, dir, path, item.span(), KEY) else {
            return (None, None);
        };
        let readme = Readme {
            text,
            content_type: content_type.into(),
        };
        return (Some(readme), Some(PathBuf::from(path)));
    }
    let Some(table) = item.as_table_like() else {
        r.wrong_type(
            item.span(),
            KEY,
            "a string (a file name) or a table",
            item.type_name(),
            Some("write `readme = \"README.md\"`".into()),
        );
        return (None, None);
    };
    r.check_keys(table, KEY, &["file", "text", "content-type"]);
    let file = table
        .get("file")
        .and_then(|i| r.string(i, "project.readme.file"));
    let text = table
        .get("text")
        .and_then(|i| r.string(i, "project.readme.text"));
    let content_type = table
        .get("content-type")
        .and_then(|i| r.string(i, "project.readme.content-type"));
    let span = item.span().or_else(|| span_of(table, "file"));
    let has_file = table.contains_key("file");
    let has_text = table.contains_key("text");
    if has_file && has_text {
        r.error(
            span_of(table, "text"),
            "project.readme",
            "`file` and `text` cannot both be given",
            Some("keep one of them".into()),
        );
    } else if !has_file && !has_text {
        r.error(
            span.clone(),
            "project.readme",
            "a readme table needs `file` or `text`",
            Some(
                "write `readme = { file = \"README.md\", content-type = \"text/markdown\" }`"
                    .into(),
            ),
        );
    }
    let content_type = if let Some(content_type) = content_type {
        match check_content_type(&content_type) {
            Some(problem) => {
                let span = span_of(table, "content-type");
                r.error(span, "project.readme.content-type", problem, None);
                None
            }
            None => Some(content_type),
        }
    } else {
        if !table.contains_key("content-type") {
            let suggestion = file
                .as_deref()
                .and_then(content_type_for)
                .unwrap_or("text/markdown");
            r.error(
                span,
                "project.readme.content-type",
                "a readme table needs `content-type`",
                Some(format!("add `content-type = \"{suggestion}\"`")),
            );
        }
        None
    };
    let body = match (file, text) {
        (Some(file), None) => {
            let span = span_of(table, "file");
            read_text_file(r, dir, &file, span, "project.readme.file")
                .map(|text| (text, Some(PathBuf::from(file))))
        }
        (None, Some(text)) => Some((text, None)),
        _ => None,
    };
    match (content_type, body) {
        (Some(content_type), Some((text, path))) => (Some(Readme { text, content_type }), path),
        _ => (None, None),
    }
}

fn read_license(
    r: &mut Reader,
    project: &dyn TableLike,
    item: &Item,
    dir: &Path,
) -> Option<License> {
    const KEY: &str = "project.license";
    if let Some(text) = item.as_str() {
        return match canonical_expression(text) {
            Ok(expression) => Some(License::Expression(expression)),
            Err((message, suggestion)) => {
                let hint = match suggestion {
                    Some(id) => format!("did you mean `{id}`? See https://spdx.org/licenses/"),
                    None => "write an SPDX expression like \"MIT\" or \"MIT OR Apache-2.0\"; ids are listed at https://spdx.org/licenses/".into(),
                };
                r.error(item.span(), KEY, message, Some(hint));
                None
            }
        };
    }
    let Some(table) = item.as_table_like() else {
        r.wrong_type(
            item.span(),
            KEY,
            "a string (an SPDX expression)",
            item.type_name(),
            Some("write it like `license = \"MIT\"`".into()),
        );
        return None;
    };
    r.check_keys(table, KEY, &["file", "text"]);
    if project.contains_key("license-files") {
        // PEP 639: with `license-files`, `license` must be an SPDX expression.
        r.error(
            item.span().or_else(|| key_span(project, "license")),
            KEY,
            "the legacy `license` table cannot be combined with `license-files`",
            Some("write the license as an SPDX expression, like `license = \"MIT\"`".into()),
        );
        return None;
    }
    let file = table.get("file");
    let text = table.get("text");
    match (file, text) {
        (Some(file), None) => {
            let key = "project.license.file";
            let path = r.string(file, key)?;
            let text = read_text_file(r, dir, &path, file.span(), key)?;
            license_text(r, &text, file.span(), key, &format!("{path}, line")).map(License::Text)
        }
        (None, Some(item)) => {
            let key = "project.license.text";
            let text = r.string(item, key)?;
            license_text(r, &text, item.span(), key, "line").map(License::Text)
        }
        (Some(_), Some(text)) => {
            r.error(
                text.span(),
                KEY,
                "`file` and `text` cannot both be given",
                Some("prefer an SPDX expression: `license = \"MIT\"`".into()),
            );
            None
        }
        (None, None) => {
            r.error(
                item.span(),
                KEY,
                "a license table needs `file` or `text`",
                Some("prefer an SPDX expression: `license = \"MIT\"`".into()),
            );
            None
        }
    }
}

/// A legacy license text, the multi-line `License` header: line breaks are folded when it is
/// written, any other control character (but a tab) is a problem, located by `at` ("line" of
/// the value, or "LICENSE, line").
fn license_text(
    r: &mut Reader,
    text: &str,
    span: Option<Range<usize>>,
    key: &str,
    at: &str,
) -> Option<String> {
    match lines::control_character_in_text(text) {
        Some((line, found)) => {
            r.error(
                span,
                key,
                format!("the license text ({at} {line}) contains {found}"),
                Some("remove the control character; better, write the license as an SPDX expression, like `license = \"MIT\"`".into()),
            );
            None
        }
        None => Some(text.to_owned()),
    }
}

fn read_license_files(r: &mut Reader, item: &Item, dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<String> = Vec::new();
    for (pattern, span, key) in r.strings(item, "project.license-files") {
        if let Some(problem) = check_glob(&pattern) {
            r.error(
                span,
                &key,
                format!("invalid license-files pattern {pattern:?}: {problem}"),
                Some("patterns are relative to the project directory, like \"LICENSE*\" or \"licenses/**/*.txt\"".into()),
            );
            continue;
        }
        match glob_files(dir, &pattern) {
            Ok(found) if found.is_empty() => r.error(
                span,
                &key,
                format!("{pattern:?} matches no file"),
                Some(format!(
                    "every license-files pattern must match a file (PEP 639); patterns are relative to {}",
                    dir.display()
                )),
            ),
            Ok(found) => {
                for file in found {
                    // `packaging` refuses these in `License-File`; links must stay inside.
                    let unwritable = file.contains("..")
                        || file.contains(['*', '\\'])
                        || lines::control_character(&file).is_some();
                    if unwritable || !is_inside(dir, &dir.join(&file)) {
                        let why = if unwritable {
                            "its name cannot be written in core metadata (`..`, `*`, `\\` or a control character)"
                        } else {
                            "it leads outside the project directory (through a symbolic link)"
                        };
                        r.error(
                            span.clone(),
                            &key,
                            format!("{pattern:?} matches {file:?}, but {why}"),
                            Some("rename the file, or narrow the pattern so it does not match it".into()),
                        );
                    } else {
                        files.push(file);
                    }
                }
            }
            Err(message) => r.error(span, &key, message, None),
        }
    }
    files.sort();
    files.dedup();
    files.into_iter().map(PathBuf::from).collect()
}

/// Without `license-files`, the license files at the top of the project, as hatchling, flit,
/// setuptools and pdm-backend pick them (a project moving to packkit keeps shipping them).
fn default_license_files(dir: &Path) -> Vec<PathBuf> {
    const DEFAULTS: &[&str] = &["LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*"];
    let mut files: Vec<String> = DEFAULTS
        .iter()
        .filter_map(|pattern| glob_files(dir, pattern).ok())
        .flatten()
        .filter(|file| {
            !file.contains(['*', '\\'])
                && lines::control_character(file).is_none()
                && is_inside(dir, &dir.join(file))
        })
        .collect();
    files.sort();
    files.dedup();
    files.into_iter().map(PathBuf::from).collect()
}

/// A plausible `local@domain` address (what fits in `Name <address>`).
fn is_email(text: &str) -> bool {
    match text.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !text
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
        }
        None => false,
    }
}

fn read_people(r: &mut Reader, item: &Item, key: &str) -> Vec<Person> {
    let Some(elems) = r.array(item, key, "tables") else {
        return Vec::new();
    };
    let mut people = Vec::new();
    for (index, elem) in elems.into_iter().enumerate() {
        let elem_key = format!("{key}[{index}]");
        let Some(table) = elem.as_table_like() else {
            r.wrong_type(
                elem.span(),
                &elem_key,
                "a table",
                elem.type_name(),
                Some("write `{ name = \"Ada Lovelace\", email = \"ada@example.org\" }`".into()),
            );
            continue;
        };
        r.check_keys(table, &elem_key, &["name", "email"]);
        let name = table.get("name").and_then(|i| {
            let field_key = format!("{elem_key}.name");
            let name = r.string(i, &field_key)?;
            if name.contains(',') || lines::control_character(&name).is_some() {
                r.error(
                    i.span(),
                    &field_key,
                    "a name cannot contain a comma or a control character",
                    Some("core metadata joins several names with \", \"; write the name without commas (PEP 621)".into()),
                );
            }
            Some(name)
        });
        let email = table.get("email").and_then(|i| {
            let field_key = format!("{elem_key}.email");
            let email = r.string(i, &field_key)?;
            if !is_email(&email) {
                r.error(
                    i.span(),
                    &field_key,
                    format!("{email:?} is not an email address"),
                    Some(
                        "write a single address like \"ada@example.org\"; put the name in `name`"
                            .into(),
                    ),
                );
            }
            Some(email)
        });
        if !table.contains_key("name") && !table.contains_key("email") {
            r.error(
                elem.span(),
                &elem_key,
                "an entry needs `name`, `email` or both",
                None,
            );
        }
        people.push(Person { name, email });
    }
    people
}

fn read_keywords(r: &mut Reader, item: &Item) -> Vec<String> {
    let mut out = Vec::new();
    for (keyword, span, key) in r.strings(item, "project.keywords") {
        if keyword.trim().is_empty() || keyword.contains(',') {
            r.error(
                span,
                &key,
                format!(
                    "invalid keyword {keyword:?}: keywords must be non-empty and without commas"
                ),
                Some(
                    "core metadata joins keywords with commas; split it into several keywords"
                        .into(),
                ),
            );
        } else {
            out.push(keyword);
        }
    }
    out
}

fn read_classifiers(r: &mut Reader, item: &Item, has_expression: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (classifier, span, key) in r.strings(item, "project.classifiers") {
        let well_formed = classifier.split(" :: ").count() >= 2
            && classifier
                .split(" :: ")
                .all(|part| !part.is_empty() && part.trim() == part);
        if !well_formed {
            r.error(
                span,
                &key,
                format!("{classifier:?} is not a classifier"),
                Some("classifiers look like \"Programming Language :: Python :: 3\"; see https://pypi.org/classifiers/".into()),
            );
        } else if has_expression && classifier.starts_with("License ::") {
            // PEP 639 allows rejecting these, and PyPI does reject the combination.
            r.error(
                span,
                &key,
                "license classifiers cannot be combined with an SPDX `license` expression",
                Some(
                    "remove this classifier: `license` already states the license (PEP 639)".into(),
                ),
            );
        } else {
            out.push(classifier);
        }
    }
    out
}

/// `scheme:rest` with a valid scheme and no whitespace.
fn is_url(text: &str) -> bool {
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn read_urls(r: &mut Reader, item: &Item) -> Vec<(String, String)> {
    let Some(table) = r.table(item, "project.urls") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (label, value) in table.iter() {
        let key = join_key("project.urls", label);
        if !r.check_line(label, key_span(table, label), &key) {
            continue;
        }
        if label.chars().count() > 32 || label.contains(',') || label.trim().is_empty() {
            r.error(
                key_span(table, label),
                &key,
                format!(
                    "invalid URL label {label:?}: labels are at most 32 characters, without commas"
                ),
                Some("use a short label like \"Homepage\", \"Documentation\" or \"Issues\"".into()),
            );
            continue;
        }
        let Some(url) = r.string(value, &key) else {
            continue;
        };
        if !is_url(&url) {
            r.error(
                value.span(),
                &key,
                format!("{url:?} is not a URL"),
                Some("write a full URL like \"https://example.org/docs\"".into()),
            );
            continue;
        }
        out.push((label.trim().to_owned(), url));
    }
    out
}

/// An array of PEP 508 requirements. Errors point at the exact column of the problem
/// when the TOML string has no escapes (its text in the file is the value between quotes).
fn requirements(r: &mut Reader, item: &Item, key: &str) -> Vec<Dependency> {
    let mut out = Vec::new();
    for (text, span, elem_key) in r.strings(item, key) {
        match Dependency::parse(&text) {
            Ok(dep) => out.push(dep),
            Err(err) => {
                let at = match &span {
                    Some(s)
                        if s.len() == text.len() + 2
                            && text.is_char_boundary(err.offset.min(text.len())) =>
                    {
                        let start = s.start + 1 + err.offset.min(text.len());
                        Some(start..start)
                    }
                    _ => span,
                };
                r.error(
                    at,
                    &elem_key,
                    format!("invalid requirement {text:?}: {}", err.message),
                    Some(REQUIREMENT_HINT.into()),
                );
            }
        }
    }
    out
}

fn read_optional_dependencies(r: &mut Reader, item: &Item) -> Vec<(String, Vec<Dependency>)> {
    let Some(table) = r.table(item, "project.optional-dependencies") else {
        return Vec::new();
    };
    let mut out: Vec<(String, Vec<Dependency>)> = Vec::new();
    let mut written: Vec<(String, String)> = Vec::new();
    for (extra, value) in table.iter() {
        let key = join_key("project.optional-dependencies", extra);
        let deps = requirements(r, value, &key);
        if !is_valid_name(extra) {
            r.error(
                key_span(table, extra),
                &key,
                format!("{extra:?} is not a valid extra name"),
                Some("use ASCII letters, digits and `.` `_` `-`, starting and ending with a letter or digit".into()),
            );
            continue;
        }
        let normalized = normalize_name(extra);
        if let Some((first, _)) = written.iter().find(|(_, n)| *n == normalized) {
            r.error(
                key_span(table, extra),
                &key,
                format!(
                    "extras {first:?} and {extra:?} are the same extra {normalized:?} (PEP 685)"
                ),
                Some("merge them into one table entry".into()),
            );
            continue;
        }
        written.push((extra.to_owned(), normalized.clone()));
        out.push((normalized, deps));
    }
    out
}

/// A Python identifier (letters, digits, `_`; not starting with a digit).
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || c == '_')
}

/// `module.sub:attr.attr`, optionally followed by ` [extra, ...]` (allowed, though
/// deprecated, by the entry points specification). Scripts need the `:attr` part.
fn check_object_reference(value: &str, needs_attr: bool) -> Option<&'static str> {
    let (reference, extras) = match value.split_once('[') {
        Some((reference, extras)) => (reference.trim_end(), Some(extras)),
        None => (value, None),
    };
    if let Some(extras) = extras {
        let Some(inner) = extras.strip_suffix(']') else {
            return Some("an extras list must end with `]`");
        };
        if !inner.split(',').all(|e| is_valid_name(e.trim())) {
            return Some("the extras list is not a list of names");
        }
    }
    let (module, attr) = match reference.split_once(':') {
        Some((module, attr)) => (module, Some(attr)),
        None => (reference, None),
    };
    if !module.split('.').all(is_identifier) {
        return Some("the module part is not a dotted Python name");
    }
    match attr {
        Some(attr) if !attr.split('.').all(is_identifier) => {
            Some("the part after `:` is not a dotted Python name")
        }
        None if needs_attr => Some("a script needs the function after `:`"),
        _ => None,
    }
}

fn read_entry_table(
    r: &mut Reader,
    item: &Item,
    key: &str,
    is_script: bool,
) -> Vec<(String, String)> {
    let Some(table) = r.table(item, key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, value) in table.iter() {
        let entry_key = join_key(key, name);
        // entry_points.txt is read line by line: a name must not hold a line break, hold `=`
        // or start a section (`[`) or a comment (`#`, `;`).
        let bad_name = name.is_empty()
            || name.contains('=')
            || name.starts_with(['[', '#', ';'])
            || name.trim() != name
            || lines::control_character(name).is_some()
            || (is_script && name.contains(['/', '\\']));
        if bad_name {
            let rule = if is_script {
                "script names become file names: no `/`, `\\`, `=`, control character, leading `[`, `#` or `;` or surrounding spaces"
            } else {
                "entry point names cannot contain `=` or a control character, start with `[`, `#` or `;` or start or end with spaces"
            };
            r.error(
                key_span(table, name),
                &entry_key,
                format!("invalid name {name:?}"),
                Some(rule.into()),
            );
            continue;
        }
        let Some(reference) = r.line(value, &entry_key) else {
            continue;
        };
        let reference = reference.trim().to_owned();
        if let Some(problem) = check_object_reference(&reference, is_script) {
            r.error(
                value.span(),
                &entry_key,
                format!("invalid object reference {reference:?}: {problem}"),
                Some("write it like \"package.module:function\"".into()),
            );
            continue;
        }
        out.push((name.to_owned(), reference));
    }
    out
}

fn read_entry_points(r: &mut Reader, item: &Item) -> Vec<(String, Vec<(String, String)>)> {
    let Some(table) = r.table(item, "project.entry-points") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (group, value) in table.iter() {
        let key = join_key("project.entry-points", group);
        let replacement = match group {
            "console_scripts" => Some("[project.scripts]"),
            "gui_scripts" => Some("[project.gui-scripts]"),
            _ => None,
        };
        if let Some(replacement) = replacement {
            r.error(
                key_span(table, group),
                &key,
                format!("`{group}` entry points must be declared in {replacement}"),
                Some(format!("move these entries to {replacement} (PEP 621)")),
            );
            continue;
        }
        let valid_group = group
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_'));
        if !valid_group {
            r.error(
                key_span(table, group),
                &key,
                format!("invalid entry point group {group:?}"),
                Some("group names are dotted names like \"pytest11\" or \"myapp.plugins\"".into()),
            );
            continue;
        }
        let entries = read_entry_table(r, value, &key, false);
        out.push((group.to_owned(), entries));
    }
    out
}
