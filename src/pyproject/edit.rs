//! Editing a user's `pyproject.toml`: change or insert keys, keep every other byte.
//!
//! `toml_edit::DocumentMut` keeps each item's text, comments and whitespace; a changed value
//! keeps the decoration (spaces, trailing comment) of the value it replaces, and a new key
//! goes at the end of its table. Whatever is not touched is written back as it was read.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item, Table, Value};

use crate::error::{ConfigError, Result};

/// A `pyproject.toml` opened for editing.
pub struct Editor {
    path: PathBuf,
    document: DocumentMut,
    /// Every line of the file ended with `\r\n`: the lines added get it too.
    windows_lines: bool,
}

impl Editor {
    /// Parse `text` (the contents of `path`, named in errors).
    pub fn parse(path: &Path, text: &str) -> Result<Self> {
        // The located reader reports syntax errors with their line and column.
        super::PyProject::parse(path, text.to_owned())?;
        let document = text.parse::<DocumentMut>().map_err(|err| ConfigError {
            path: Some(path.to_owned()),
            line: None,
            column: None,
            key: None,
            message: format!("invalid TOML: {}", err.message().trim()),
            hint: None,
        })?;
        Ok(Editor {
            path: path.to_owned(),
            document,
            windows_lines: text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
        })
    }

    /// The item at `keys`, if there is one.
    pub fn get(&self, keys: &[&str]) -> Option<&Item> {
        let (last, parents) = keys.split_last()?;
        let mut table: &dyn toml_edit::TableLike = self.document.as_table();
        for key in parents {
            table = table.get(key)?.as_table_like()?;
        }
        table.get(last)
    }

    /// Set the value at `keys` (`["tool", "packkit", "version-scheme"]`), replacing the value
    /// there (its spacing and comment kept) or adding the key, and the tables above it, at the
    /// end of its table.
    pub fn set(&mut self, keys: &[&str], value: impl Into<Value>) -> Result<()> {
        let mut value = value.into();
        let Some((last, parents)) = keys.split_last() else {
            return Err(self.problem(keys, "no key given").into());
        };
        // In a file of comments only, toml_edit holds them as the text after the last table:
        // keep them above the first key instead.
        let leading = if self.document.as_table().is_empty() {
            let text = self.document.trailing().as_str().unwrap_or("").to_owned();
            self.document.set_trailing("");
            Some(text)
        } else {
            None
        };
        let mut table: &mut dyn toml_edit::TableLike = self.document.as_table_mut();
        for (depth, key) in parents.iter().enumerate() {
            if !table.contains_key(key) {
                let mut new = Table::new();
                // `[tool.packkit]` alone, not an empty `[tool]` header above it.
                new.set_implicit(true);
                table.insert(key, Item::Table(new));
            }
            let Some(inner) = table.get_mut(key).and_then(Item::as_table_like_mut) else {
                return Err(self.problem(&keys[..=depth], "is not a table").into());
            };
            table = inner;
        }
        match table.get_mut(last) {
            Some(Item::Value(old)) => {
                *value.decor_mut() = old.decor().clone();
                *old = value;
            }
            Some(Item::None) | None => {
                table.insert(last, Item::Value(value));
            }
            Some(_) => return Err(self.problem(keys, "is a table, not a value").into()),
        }
        if let Some(leading) = leading.filter(|text| !text.is_empty()) {
            self.prefix_first(&leading);
        }
        Ok(())
    }

    /// Put `text` before the first line the document prints: the first table header, or
    /// the first top-level key.
    fn prefix_first(&mut self, text: &str) {
        let mut table = self.document.as_table_mut();
        loop {
            let Some(first) = table.iter().next().map(|(key, _)| key.to_owned()) else {
                return;
            };
            // An implicit table prints no header of its own unless it holds values.
            let headerless = |inner: &Table| {
                inner.is_implicit() && inner.iter().all(|(_, item)| item.is_table())
            };
            if !matches!(table.get(&first), Some(Item::Table(inner)) if headerless(inner)) {
                let decor = match table.get_mut(&first) {
                    Some(Item::Table(header)) => header.decor_mut(),
                    _ => match table.key_mut(&first) {
                        Some(mut key) => {
                            let decor = key.leaf_decor_mut();
                            decor.set_prefix(text);
                            return;
                        }
                        None => return,
                    },
                };
                decor.set_prefix(text);
                return;
            }
            match table.get_mut(&first) {
                Some(Item::Table(inner)) => table = inner,
                _ => return,
            }
        }
    }

    /// Add the table `table` at `keys` (`["tool", "ruff"]`), and the tables above it; the key
    /// must be free. The table and its subtables are printed after the tables already in
    /// their parent, each header after a blank line, their keys with the spacing and comments
    /// they carry.
    pub fn insert_table(&mut self, keys: &[&str], mut table: Table) -> Result<()> {
        let Some((last, parents)) = keys.split_last() else {
            return Err(self.problem(keys, "no key given").into());
        };
        if self.get(keys).is_some() {
            return Err(self.problem(keys, "is already there").into());
        }
        forget_positions(&mut table);
        let mut parent: &mut Table = self.document.as_table_mut();
        for (depth, key) in parents.iter().enumerate() {
            if !parent.contains_key(key) {
                let mut new = Table::new();
                new.set_implicit(true);
                parent.insert(key, Item::Table(new));
            }
            // A table goes under a `[header]` table only: an inline table or dotted keys above
            // it would have to be rewritten.
            match parent.get_mut(key).and_then(Item::as_table_mut) {
                Some(inner) if !inner.is_dotted() => parent = inner,
                _ => {
                    return Err(self
                        .problem(
                            &keys[..=depth],
                            "is not a [table] that a table can be added to",
                        )
                        .into());
                }
            }
        }
        parent.insert(last, Item::Table(table));
        Ok(())
    }

    /// Remove the key at `keys`; its item, if it was there.
    pub fn remove(&mut self, keys: &[&str]) -> Option<Item> {
        let (last, parents) = keys.split_last()?;
        let mut table: &mut dyn toml_edit::TableLike = self.document.as_table_mut();
        for key in parents {
            table = table.get_mut(key)?.as_table_like_mut()?;
        }
        table.remove(last)
    }

    /// Take the strings `unwanted` picks out of the array at `keys` (the other elements keep
    /// their text and comments); the strings taken out.
    pub fn remove_strings(
        &mut self,
        keys: &[&str],
        unwanted: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let Some((last, parents)) = keys.split_last() else {
            return Vec::new();
        };
        let mut table: &mut dyn toml_edit::TableLike = self.document.as_table_mut();
        for key in parents {
            match table.get_mut(key).and_then(Item::as_table_like_mut) {
                Some(inner) => table = inner,
                None => return Vec::new(),
            }
        }
        let Some(array) = table.get_mut(last).and_then(Item::as_array_mut) else {
            return Vec::new();
        };
        let mut removed = Vec::new();
        array.retain(|value| match value.as_str() {
            Some(text) if unwanted(text) => {
                removed.push(text.to_owned());
                false
            }
            _ => true,
        });
        removed
    }

    fn problem(&self, keys: &[&str], message: &str) -> ConfigError {
        ConfigError {
            path: Some(self.path.clone()),
            line: None,
            column: None,
            key: Some(keys.join(".")),
            message: message.to_owned(),
            hint: None,
        }
    }
}

/// Drop what `table` and its subtables carried from the document they came from: their
/// positions (they print where they are inserted) and the comments above their headers
/// (which belonged to the text before them there); each header gets a blank line above it.
fn forget_positions(table: &mut Table) {
    table.set_position(None);
    table.decor_mut().set_prefix("\n");
    for (_, item) in table.iter_mut() {
        if let Item::Table(inner) = item {
            forget_positions(inner);
        }
    }
}

impl std::fmt::Display for Editor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.document.to_string();
        if self.windows_lines {
            write!(f, "{}", text.replace("\r\n", "\n").replace('\n', "\r\n"))
        } else {
            write!(f, "{text}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Comments everywhere, odd spacing, quoted keys, dotted keys, inline tables, a multi-line
    /// array with a trailing comma, CRLF-free but tab-indented lines.
    const ODD: &str = r#"# top comment

[build-system]   # trailing comment on a header
requires = [ "packkit" ,   ] # keep my spacing
build-backend="packkit.backend"

[project]
name    =   "demo"  # the name
dynamic = ["version"]
	"quoted.key" = 'literal'
urls.Home = "https://example.com"
deps = [
    "a",  # first
    "b",
]

# a comment between tables

[tool.packkit]
version-scheme = "post-release"   # chosen on purpose
local-scheme = { value = "odd" }

[tool.other]
x = 1 # last
"#;

    fn editor() -> Editor {
        Editor::parse(Path::new("pyproject.toml"), ODD).unwrap()
    }

    #[test]
    fn an_untouched_document_is_written_back_byte_for_byte() {
        assert_eq!(editor().to_string(), ODD);
    }

    #[test]
    fn changing_a_value_keeps_its_spacing_and_comment_and_everything_else() {
        let mut editor = editor();
        editor
            .set(&["tool", "packkit", "version-scheme"], "no-guess-dev")
            .unwrap();
        editor.set(&["project", "name"], "renamed").unwrap();
        let expected = ODD
            .replace(
                "version-scheme = \"post-release\"   # chosen",
                "version-scheme = \"no-guess-dev\"   # chosen",
            )
            .replace(
                "name    =   \"demo\"  # the name",
                "name    =   \"renamed\"  # the name",
            );
        assert_eq!(editor.to_string(), expected);
    }

    #[test]
    fn new_keys_go_at_the_end_of_their_table() {
        let mut editor = editor();
        editor.set(&["tool", "packkit", "tag-prefix"], "v").unwrap();
        let expected = ODD.replace(
            "local-scheme = { value = \"odd\" }\n",
            "local-scheme = { value = \"odd\" }\ntag-prefix = \"v\"\n",
        );
        assert_eq!(editor.to_string(), expected);
    }

    #[test]
    fn new_tables_are_appended_without_empty_parents() {
        let mut editor = editor();
        editor.set(&["tool", "ruff", "line-length"], 100).unwrap();
        assert_eq!(
            editor.to_string(),
            format!("{ODD}\n[tool.ruff]\nline-length = 100\n")
        );
        let mut fresh = Editor::parse(Path::new("p.toml"), "# only a comment\n").unwrap();
        fresh
            .set(&["tool", "packkit", "version-scheme"], "post-release")
            .unwrap();
        assert_eq!(
            fresh.to_string(),
            "# only a comment\n[tool.packkit]\nversion-scheme = \"post-release\"\n"
        );
    }

    #[test]
    fn an_inserted_table_goes_after_its_siblings_without_its_old_comments() {
        let template: DocumentMut = "[a]\nx = 1\n# about b\n[tool.ruff]\nline-length = 100 # why\n\n[tool.ruff.lint]\nselect = [\"E\"]\n"
            .parse()
            .unwrap();
        let ruff = template["tool"]["ruff"].as_table().unwrap().clone();
        let mut editor = editor();
        editor
            .insert_table(&["tool", "ruff"], ruff.clone())
            .unwrap();
        let expected = format!(
            "{ODD}\n[tool.ruff]\nline-length = 100 # why\n\n[tool.ruff.lint]\nselect = [\"E\"]\n"
        );
        assert_eq!(editor.to_string(), expected);
        let err = editor
            .insert_table(&["tool", "ruff"], ruff.clone())
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "pyproject.toml: `tool.ruff`: is already there"
        );
        let err = editor
            .insert_table(&["project", "urls", "x"], ruff)
            .unwrap_err();
        assert!(
            err.to_string().contains("`project.urls`: is not a [table]"),
            "{err}"
        );
        assert_eq!(
            editor.to_string(),
            expected,
            "a failed insert changes nothing"
        );
    }

    #[test]
    fn a_file_with_windows_line_ends_keeps_them_in_added_lines() {
        let crlf = ODD.replace('\n', "\r\n");
        let mut editor = Editor::parse(Path::new("pyproject.toml"), &crlf).unwrap();
        assert_eq!(editor.to_string(), crlf);
        editor.set(&["tool", "ruff", "line-length"], 100).unwrap();
        assert_eq!(
            editor.to_string(),
            format!("{crlf}\r\n[tool.ruff]\r\nline-length = 100\r\n")
        );
    }

    #[test]
    fn removing_a_key_leaves_the_rest() {
        let mut editor = editor();
        assert!(editor.remove(&["tool", "other", "x"]).is_some());
        assert!(editor.remove(&["tool", "nothing", "x"]).is_none());
        assert_eq!(editor.to_string(), ODD.replace("x = 1 # last\n", ""));
    }

    #[test]
    fn a_table_is_not_overwritten_by_a_value() {
        let mut editor = editor();
        let err = editor
            .set(&["tool", "packkit"], "x")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "pyproject.toml: `tool.packkit`: is a table, not a value"
        );
        let err = editor
            .set(&["project", "name", "x"], "y")
            .unwrap_err()
            .to_string();
        assert_eq!(err, "pyproject.toml: `project.name`: is not a table");
        assert_eq!(editor.to_string(), ODD, "a failed edit changes nothing");
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = Editor::parse(Path::new("p.toml"), "a = \n")
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("p.toml:1:"), "{err}");
    }
}
