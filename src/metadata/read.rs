//! Typed reads from the `[project]` table that record every problem instead of stopping at
//! the first, each located by span and named by its dotted/indexed key.

use std::ops::Range;

use toml_edit::{Item, Table, TableLike, Value};

use crate::config::{PyProject, did_you_mean};
use crate::error::ConfigError;

/// Collects errors while the fields are read.
pub(crate) struct Reader<'a> {
    pub pyproject: &'a PyProject,
    pub errors: Vec<ConfigError>,
}

/// One element of a TOML array: a value, or a `[[table]]` of an array of tables.
#[derive(Clone, Copy)]
pub(crate) enum Elem<'a> {
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

/// `prefix.key`, quoting keys that are not bare TOML keys (`project.urls."Bug Tracker"`).
pub(crate) fn join_key(prefix: &str, key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if bare {
        format!("{prefix}.{key}")
    } else {
        format!("{prefix}.{key:?}")
    }
}

/// The span of `table.key`: the value's, else the key's (implicit tables have no span).
pub(crate) fn span_of(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    let (k, item) = table.get_key_value(key)?;
    item.span().or_else(|| k.span())
}

/// The span of the key itself, for "unknown key" errors.
pub(crate) fn key_span(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    let (k, item) = table.get_key_value(key)?;
    k.span().or_else(|| item.span())
}

/// "a string" / "an array" for messages.
pub(crate) fn article(type_name: &str) -> String {
    let vowel = type_name.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {type_name}", if vowel { "an" } else { "a" })
}

impl<'a> Reader<'a> {
    pub fn new(pyproject: &'a PyProject) -> Self {
        Reader {
            pyproject,
            errors: Vec::new(),
        }
    }

    pub fn error(
        &mut self,
        span: Option<Range<usize>>,
        key: &str,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let error = self.pyproject.error_at(span, key, message.into(), hint);
        self.errors.push(error);
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

    /// A string value, or an error naming the type found.
    pub fn string(&mut self, item: &Item, key: &str) -> Option<String> {
        match item.as_str() {
            Some(value) => Some(value.to_owned()),
            None => {
                self.wrong_type(item.span(), key, "a string", item.type_name(), None);
                None
            }
        }
    }

    /// A table (inline or not), or an error naming the type found.
    pub fn table<'t>(&mut self, item: &'t Item, key: &str) -> Option<&'t dyn TableLike> {
        let table = item.as_table_like();
        if table.is_none() {
            self.wrong_type(item.span(), key, "a table", item.type_name(), None);
        }
        table
    }

    /// The elements of an array (`[...]` or `[[...]]`), or an error naming the type found.
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

    /// An array of strings, each with its span and indexed key (`project.keywords[2]`).
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
                Some(value) => out.push((value.to_owned(), elem.span(), elem_key)),
                None => self.wrong_type(elem.span(), &elem_key, "a string", elem.type_name(), None),
            }
        }
        out
    }

    /// Records an error for every key of `table` not in `known`, with a did-you-mean hint.
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
}

/// True for any character `packaging` treats as a line boundary in a single-line field.
pub(crate) fn has_line_break(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            c,
            '\n' | '\r'
                | '\u{0b}'
                | '\u{0c}'
                | '\u{1c}'
                | '\u{1d}'
                | '\u{1e}'
                | '\u{85}'
                | '\u{2028}'
                | '\u{2029}'
        )
    })
}
