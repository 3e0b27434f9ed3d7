//! `pyproject.toml`, located: the one reader every table of the file goes through.
//!
//! [`PyProject`] keeps the text with the parsed document so that every problem can name the
//! file, line, column and dotted key; [`Reader`] reads typed values out of it and collects
//! every problem instead of stopping at the first. [`edit`] changes a user's file while
//! keeping every byte outside the changed keys. Nothing here knows what the keys mean.

pub mod edit;

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::{Document, Item, Table, TableLike, Value};

use crate::error::{ConfigError, Result};
use crate::lines;

/// A parsed `pyproject.toml`, kept with its text so errors can point into it.
pub struct PyProject {
    pub path: PathBuf,
    text: String,
    document: Document<String>,
}

impl PyProject {
    pub fn read(path: &Path) -> Result<Self> {
        // `./pyproject.toml` is named `pyproject.toml` in every message.
        let path = &crate::paths::without_dots(path);
        let data = crate::read::bytes(path).map_err(|err| crate::error::Error::io(path, err))?;
        match String::from_utf8(data) {
            Ok(text) => Self::parse(path, text),
            // TOML is UTF-8: say where the first byte that is not is, as for a syntax error.
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let before = String::from_utf8_lossy(&err.as_bytes()[..valid]);
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                Err(ConfigError {
                    path: Some(path.to_owned()),
                    line: Some(line),
                    column: Some(column),
                    key: None,
                    message: format!(
                        "not UTF-8: byte 0x{:02x} cannot start or continue a character",
                        err.as_bytes().get(valid).copied().unwrap_or_default()
                    ),
                    hint: Some(
                        "TOML files are UTF-8: save pyproject.toml as UTF-8 (a Latin-1 `é` is \
                         the usual cause)"
                            .to_owned(),
                    ),
                }
                .into())
            }
        }
    }

    /// Parse `text` as the file at `path`; a syntax error is a located [`ConfigError`].
    pub fn parse(path: &Path, text: String) -> Result<Self> {
        match Document::parse(text.clone()) {
            Ok(document) => Ok(PyProject {
                path: path.to_owned(),
                text,
                document,
            }),
            Err(err) => {
                let (line, column) = located(&text, err.span());
                Err(ConfigError {
                    path: Some(path.to_owned()),
                    line,
                    column,
                    key: None,
                    message: format!("invalid TOML: {}", err.message().trim()),
                    hint: None,
                }
                .into())
            }
        }
    }

    /// The top-level table.
    pub fn root(&self) -> &Table {
        self.document.as_table()
    }

    /// The item at a dotted path of bare keys (`project.name`), whatever its type.
    pub fn item(&self, dotted: &str) -> Option<&Item> {
        let mut parts = dotted.split('.');
        let mut item = self.document.as_table().get(parts.next()?)?;
        for part in parts {
            item = item.as_table_like()?.get(part)?;
        }
        Some(item)
    }

    /// A problem at `span` of this file, under `key`.
    pub fn error_at(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: String,
        hint: Option<String>,
    ) -> ConfigError {
        let (line, column) = located(&self.text, span);
        ConfigError {
            path: Some(self.path.clone()),
            line,
            column,
            key: Some(key.to_owned()),
            message,
            hint,
        }
    }
}

fn located(text: &str, span: Option<Range<usize>>) -> (Option<usize>, Option<usize>) {
    match span {
        Some(span) => {
            let (line, column) = line_column(text, span.start);
            (Some(line), Some(column))
        }
        None => (None, None),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    // A span inside a character (never from toml_edit, but cheap to allow) counts from its
    // start rather than from the end of the text.
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The closest known name within a small edit distance, for "did you mean" hints; `_` and `-`
/// count as the same character, as do upper and lower case.
pub fn did_you_mean<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    let given = given.to_ascii_lowercase().replace('_', "-");
    known
        .iter()
        .map(|name| {
            let distance =
                strsim::levenshtein(&given, &name.to_ascii_lowercase().replace('_', "-"));
            (distance, *name)
        })
        .filter(|(distance, name)| *distance <= (name.len() / 3).max(2))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// "a string" / "an array" for messages.
pub fn article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}

/// `prefix.key`, quoting keys that are not bare TOML keys (`project.urls."Bug Tracker"`).
/// An empty prefix gives the key alone.
pub fn join_key(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (prefix.is_empty(), bare) {
        (true, true) => key.to_owned(),
        (true, false) => format!("{key:?}"),
        (false, true) => format!("{prefix}.{key}"),
        (false, false) => format!("{prefix}.{key:?}"),
    }
}

/// The span of `table.key`: the value's, else the key's (implicit tables have no span).
pub fn span_of(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    let (k, item) = table.get_key_value(key)?;
    item.span().or_else(|| k.span())
}

/// The span of the key itself, for "unknown key" errors.
pub fn key_span(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    let (k, item) = table.get_key_value(key)?;
    k.span().or_else(|| item.span())
}

/// One element of a TOML array: a value, or a `[[table]]` of an array of tables.
#[derive(Clone, Copy)]
pub enum Elem<'a> {
    Value(&'a Value),
    Table(&'a Table),
}

impl<'a> Elem<'a> {
    pub fn span(self) -> Option<Range<usize>> {
        match self {
            Elem::Value(value) => value.span(),
            Elem::Table(table) => table.span(),
        }
    }

    pub fn type_name(self) -> &'static str {
        match self {
            Elem::Value(value) => value.type_name(),
            Elem::Table(_) => "table",
        }
    }

    pub fn as_str(self) -> Option<&'a str> {
        match self {
            Elem::Value(value) => value.as_str(),
            Elem::Table(_) => None,
        }
    }

    pub fn as_table_like(self) -> Option<&'a dyn TableLike> {
        match self {
            Elem::Value(value) => value.as_inline_table().map(|t| t as &dyn TableLike),
            Elem::Table(table) => Some(table as &dyn TableLike),
        }
    }
}

/// Typed reads that record every problem (located, with its key) and carry on.
pub struct Reader<'a> {
    pub pyproject: &'a PyProject,
    pub problems: Vec<ConfigError>,
}

impl<'a> Reader<'a> {
    pub fn new(pyproject: &'a PyProject) -> Self {
        Reader {
            pyproject,
            problems: Vec::new(),
        }
    }

    /// Records a problem at `span` under `key`.
    pub fn error(
        &mut self,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let error = self.pyproject.error_at(span, key, message.into(), hint);
        self.problems.push(error);
    }

    /// Records "expected X, found Y" at `span`.
    pub fn wrong_type(
        &mut self,
        span: Option<Range<usize>>,
        key: &str,
        expected: &str,
        found: &str,
        hint: Option<String>,
    ) {
        self.error(
            span,
            key,
            format!("expected {expected}, found {}", article(found)),
            hint,
        );
    }

    /// The table at a dotted path (`tool.packkit`), if present; a problem if it is not a table.
    pub fn table_at(&mut self, dotted: &str) -> Option<&'a dyn TableLike> {
        let item = self.pyproject.item(dotted)?;
        self.table(item, dotted)
    }

    /// A string value, or a problem naming the type found.
    pub fn string(&mut self, item: &Item, key: &str) -> Option<String> {
        if let Some(value) = item.as_str() {
            Some(value.to_owned())
        } else {
            self.wrong_type(item.span(), key, "a string", item.type_name(), None);
            None
        }
    }

    /// A string that is written on one line of a generated file (METADATA, entry_points.txt,
    /// RECORD, a `.pth`): a problem if it is not a string or holds a control character.
    pub fn line(&mut self, item: &Item, key: &str) -> Option<String> {
        let text = self.string(item, key)?;
        self.check_line(&text, item.span(), key).then_some(text)
    }

    /// `table.key` as a one-line string with its span, if present (see [`Self::line`]).
    pub fn line_in(
        &mut self,
        table: &dyn TableLike,
        prefix: &str,
        key: &str,
    ) -> Option<(String, Option<Range<usize>>)> {
        let item = table.get(key)?;
        let text = self.line(item, &join_key(prefix, key))?;
        Some((text, item.span()))
    }

    /// Records a problem when `text` (a value or a table key at `span`) holds a control
    /// character, which would start a new line in the file it is written to; true if it fits
    /// on one line.
    pub fn check_line(&mut self, text: &str, span: Option<Range<usize>>, key: &str) -> bool {
        let Some(found) = lines::control_character(text) else {
            return true;
        };
        self.error(
            span,
            key,
            format!("{text:?} contains {found}: it must fit on one line"),
            Some(
                "remove the control character (it is written on one line of METADATA, \
                 entry_points.txt, RECORD or a .pth file, where a line break would start \
                 another field)"
                    .into(),
            ),
        );
        false
    }

    /// `table.key` as a string with its span, if present; a problem if it is not a string.
    pub fn string_in(
        &mut self,
        table: &dyn TableLike,
        prefix: &str,
        key: &str,
    ) -> Option<(String, Option<Range<usize>>)> {
        let item = table.get(key)?;
        let text = self.string(item, &join_key(prefix, key))?;
        Some((text, item.span()))
    }

    /// `table.key` as a boolean, if present; a problem if it is not one.
    pub fn boolean_in(&mut self, table: &dyn TableLike, prefix: &str, key: &str) -> Option<bool> {
        let item = table.get(key)?;
        let value = item.as_bool();
        if value.is_none() {
            let key = join_key(prefix, key);
            self.wrong_type(item.span(), &key, "true or false", item.type_name(), None);
        }
        value
    }

    /// A table (inline or not), or a problem naming the type found.
    pub fn table<'t>(&mut self, item: &'t Item, key: &str) -> Option<&'t dyn TableLike> {
        let table = item.as_table_like();
        if table.is_none() {
            self.wrong_type(item.span(), key, "a table", item.type_name(), None);
        }
        table
    }

    /// The elements of an array (`[...]` or `[[...]]`), or a problem naming the type found.
    pub fn array<'t>(&mut self, item: &'t Item, key: &str, of: &str) -> Option<Vec<Elem<'t>>> {
        match item {
            Item::Value(Value::Array(array)) => Some(array.iter().map(Elem::Value).collect()),
            Item::ArrayOfTables(tables) => Some(tables.iter().map(Elem::Table).collect()),
            _ => {
                let expected = format!("an array of {of}");
                self.wrong_type(item.span(), key, &expected, item.type_name(), None);
                None
            }
        }
    }

    /// An array of one-line strings (every array of strings packkit reads is a list of names,
    /// paths or requirements), each with its span and indexed key (`project.keywords[2]`).
    /// An element that is not a string or holds a control character is a problem.
    pub fn strings(
        &mut self,
        item: &Item,
        key: &str,
    ) -> Vec<(String, Option<Range<usize>>, String)> {
        let Some(elems) = self.array(item, key, "strings") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, elem) in elems.into_iter().enumerate() {
            let elem_key = format!("{key}[{index}]");
            match elem.as_str() {
                Some(value) => {
                    if self.check_line(value, elem.span(), &elem_key) {
                        out.push((value.to_owned(), elem.span(), elem_key));
                    }
                }
                None => self.wrong_type(elem.span(), &elem_key, "a string", elem.type_name(), None),
            }
        }
        out
    }

    /// Records a problem for every key of `table` not in `known`, with a did-you-mean hint.
    pub fn check_keys(&mut self, table: &dyn TableLike, prefix: &str, known: &[&str]) {
        for (key, _) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let hint = match did_you_mean(key, known) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("known keys: {}", known.join(", ")),
            };
            self.error(
                key_span(table, key),
                &join_key(prefix, key),
                format!("unknown key `{key}`"),
                Some(hint),
            );
        }
    }

    /// The problems found, or `Ok` when there were none.
    pub fn finish(self) -> std::result::Result<(), Vec<ConfigError>> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(self.problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_is_not_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pyproject.toml");
        std::fs::write(&path, b"[project]\nname = \"caf\xe9\"\n").unwrap();
        let Err(crate::error::Error::Config(problems)) = PyProject::read(&path) else {
            panic!("not a config error");
        };
        assert_eq!((problems[0].line, problems[0].column), (Some(2), Some(12)));
        assert!(
            problems[0].message.contains("0xe9"),
            "{}",
            problems[0].message
        );
    }

    fn parse(text: &str) -> PyProject {
        PyProject::parse(Path::new("pyproject.toml"), text.to_owned()).unwrap()
    }

    #[test]
    fn every_unknown_key_is_reported_with_its_location_and_quoting() {
        let pyproject = parse("[tool.x]\nnmae = 1\n\"odd key\" = 2\nname = 3\n");
        let mut reader = Reader::new(&pyproject);
        let table = reader.table_at("tool.x").unwrap();
        reader.check_keys(table, "tool.x", &["name"]);
        let problems: Vec<String> = reader.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "pyproject.toml:2:1: `tool.x.nmae`: unknown key `nmae`\nhint: did you mean `name`?",
                "pyproject.toml:3:1: `tool.x.\"odd key\"`: unknown key `odd key`\nhint: known keys: name",
            ]
        );
    }

    #[test]
    fn wrong_types_name_what_was_found() {
        let pyproject = parse("[tool]\nx = 1\n[t]\nflag = \"yes\"\n");
        let mut reader = Reader::new(&pyproject);
        assert!(reader.table_at("tool.x").is_none());
        let t = reader.table_at("t").unwrap();
        assert_eq!(reader.boolean_in(t, "t", "flag"), None);
        let problems: Vec<String> = reader.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "pyproject.toml:2:5: `tool.x`: expected a table, found an integer",
                "pyproject.toml:4:8: `t.flag`: expected true or false, found a string",
            ]
        );
    }

    #[test]
    fn syntax_errors_have_a_location() {
        let err = PyProject::parse(Path::new("p.toml"), "[a\n".into())
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("p.toml:1:"), "{err}");
    }

    #[test]
    fn did_you_mean_ignores_case_and_separators() {
        assert_eq!(
            did_you_mean("Version_Schme", &["version-scheme", "local-scheme"]),
            Some("version-scheme")
        );
        assert_eq!(did_you_mean("zzz", &["version-scheme"]), None);
        assert_eq!(article("array"), "an array");
        assert_eq!(article("string"), "a string");
    }
}
