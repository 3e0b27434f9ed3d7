//! The one writer of the line-based files packkit generates: core metadata (`METADATA`,
//! `PKG-INFO`), `entry_points.txt`, the wheel's `RECORD` and the editable `.pth`.
//!
//! In each of them a line break inside a value starts a new header, entry, row or path, and
//! Python runs a `.pth` line that begins with `import` at every start. So every value goes
//! through here:
//!
//! * a single-line value may hold no control character ([`control_character`]): the readers
//!   of `pyproject.toml` refuse one first, located (`Reader::line`), and the writers here
//!   refuse it again, as an internal error, so that nothing reaching them by another path can
//!   slip through;
//! * a multi-line header value (the legacy `License` text) is folded as `packaging` 26 writes
//!   it, every further line indented, so that no line of it can start a header;
//! * a `RECORD` field is quoted as Python's `csv` module reads it.

use std::fmt::Write as _;
use std::path::Path;

use crate::error::{Error, Result};

/// What `packaging` ends a header line at (`_LINE_BOUNDARY_RE`, after `str.splitlines`);
/// `\r\n` counts as one. [`Headers::folded`] folds every one of them.
const LINE_BOUNDARIES: &[char] = &[
    '\n', '\r', '\u{0b}', '\u{0c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

/// A character no single-line value may hold: a control character (C0, tab included, DEL,
/// C1) or a Unicode line or paragraph separator.
fn breaks_a_line(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `a carriage return (U+000D)`, for messages.
fn describe(c: char) -> String {
    let code = u32::from(c);
    let name = match c {
        '\n' => "a line feed",
        '\r' => "a carriage return",
        '\t' => "a tab",
        '\u{2028}' => "a line separator",
        '\u{2029}' => "a paragraph separator",
        _ => return format!("the control character U+{code:04X}"),
    };
    format!("{name} (U+{code:04X})")
}

/// The first character of `text` that cannot stand in a single-line value, described
/// (`a line feed (U+000A)`); `None` when `text` fits on one line.
pub fn control_character(text: &str) -> Option<String> {
    text.chars().find(|c| breaks_a_line(*c)).map(describe)
}

/// For a multi-line text (a license): the 1-based line and description of its first control
/// character that is neither a tab nor a line boundary (those are folded).
pub fn control_character_in_text(text: &str) -> Option<(usize, String)> {
    split_lines(text)
        .iter()
        .enumerate()
        .find_map(|(index, line)| {
            line.chars()
                .find(|c| *c != '\t' && breaks_a_line(*c))
                .map(|c| (index + 1, describe(c)))
        })
}

/// The lines of `text`, split at every boundary `packaging` knows (`\r\n` is one).
pub fn split_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if LINE_BOUNDARIES.contains(&c) {
            lines.push(&text[start..at]);
            start = at + c.len_utf8();
            if c == '\r' && chars.peek().is_some_and(|(_, next)| *next == '\n') {
                chars.next();
                start += 1;
            }
        }
    }
    lines.push(&text[start..]);
    lines
}

fn internal(message: String) -> Error {
    Error::Internal { message }
}

/// Refuses `value` of `what` when it cannot be written on one line (the final guard).
fn guard(what: &str, value: &str) -> Result<()> {
    match control_character(value) {
        Some(found) => Err(internal(format!(
            "{what} {value:?} contains {found} and cannot be written on one line; the \
             reader of pyproject.toml should have refused it"
        ))),
        None => Ok(()),
    }
}

/// RFC 822 headers and a body: core metadata (`METADATA`, `PKG-INFO`).
#[derive(Debug, Default)]
pub struct Headers {
    text: String,
}

impl Headers {
    fn name(name: &str) -> Result<()> {
        let token = !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':');
        if token {
            Ok(())
        } else {
            Err(internal(format!("{name:?} is not a header name")))
        }
    }

    /// `Name: value`, the value on one line (trailing spaces dropped).
    pub fn field(&mut self, name: &str, value: &str) -> Result<()> {
        Self::name(name)?;
        guard(&format!("the `{name}` value"), value)?;
        let _ = writeln!(self.text, "{name}: {}", value.trim_end());
        Ok(())
    }

    /// A multi-line value, folded as `packaging` 26 writes it (`RFC822Policy`): every line
    /// boundary becomes a newline and `len(name) + 2` spaces, so that each further line is a
    /// continuation of this header. Tabs are kept; any other control character is refused.
    pub fn folded(&mut self, name: &str, value: &str) -> Result<()> {
        Self::name(name)?;
        if let Some((line, found)) = control_character_in_text(value) {
            return Err(internal(format!(
                "line {line} of the `{name}` value contains {found}; the reader of \
                 pyproject.toml should have refused it"
            )));
        }
        let indent = format!("\n{}", " ".repeat(name.len() + 2));
        let _ = writeln!(self.text, "{name}: {}", split_lines(value).join(&indent));
        Ok(())
    }

    /// The headers, then, when there is one, a blank line and the body (the long
    /// description, which no header parser reads).
    pub fn finish(mut self, body: Option<&str>) -> String {
        if let Some(body) = body {
            self.text.push('\n');
            self.text.push_str(body);
        }
        self.text
    }
}

/// `entry_points.txt`: `[group]` sections of `name = value` lines, a blank line after each,
/// as setuptools writes it and `importlib.metadata` reads it.
#[derive(Debug, Default)]
pub struct Sections {
    text: String,
}

impl Sections {
    pub fn section(&mut self, group: &str) -> Result<()> {
        guard("the entry point group", group)?;
        if group.is_empty() || group.contains(['[', ']']) {
            return Err(internal(format!("{group:?} is not an entry point group")));
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        let _ = writeln!(self.text, "[{group}]");
        Ok(())
    }

    pub fn entry(&mut self, name: &str, value: &str) -> Result<()> {
        guard("the entry point name", name)?;
        guard("the entry point value", value)?;
        // A name that starts a section or a comment, or holds `=`, would be read as another
        // line than this entry.
        let readable = !name.is_empty()
            && name.trim() == name
            && !name.contains('=')
            && !name.starts_with(['[', '#', ';']);
        if !readable {
            return Err(internal(format!("{name:?} is not an entry point name")));
        }
        let _ = writeln!(self.text, "{name} = {value}");
        Ok(())
    }

    pub fn finish(mut self) -> String {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.text
    }
}

/// A CSV field as Python's `csv` module writes it (`QUOTE_MINIMAL`): quoted, with `"`
/// doubled, when it holds a `,` or a `"`.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One `RECORD` row, `path,hash,size`. A path with a control character is refused: pip reads
/// `RECORD` with `csv.reader(text.splitlines())`, so no quoting carries a line break
/// through, and the row would name another file than the one in the wheel.
pub fn record_row(path: &str, hash: &str, size: &str) -> Result<String> {
    if let Some(found) = control_character(path) {
        return Err(Error::build(
            format!(
                "refusing {path:?}: its name contains {found}, which cannot be written in the \
                 wheel's RECORD"
            ),
            Some("rename the file, or leave it out with [tool.packkit] exclude".to_owned()),
        ));
    }
    guard("the RECORD hash", hash)?;
    guard("the RECORD size", size)?;
    Ok(format!(
        "{},{},{}\n",
        csv_field(path),
        csv_field(hash),
        csv_field(size)
    ))
}

/// The editable `.pth`: one folder per line, for `site` to add to `sys.path`. `site` runs a
/// line that starts with `import`, skips one that starts with `#` and strips trailing
/// whitespace, so each folder must be absolute, UTF-8, on one line and end with no space.
pub fn pth_file(folders: &[&Path]) -> Result<String> {
    let mut text = String::new();
    for folder in folders {
        let line = folder.to_str().filter(|line| {
            folder.is_absolute() && control_character(line).is_none() && line.trim_end() == *line
        });
        let Some(line) = line else {
            return Err(Error::build(
                format!(
                    "cannot install {} in editable mode: a .pth file cannot name it (the \
                     path holds a control character, is not UTF-8 or ends with a space)",
                    folder.display()
                ),
                Some(
                    "move the project to a folder whose path is plain text, or install it \
                     without -e"
                        .to_owned(),
                ),
            ));
        };
        let _ = writeln!(text, "{line}");
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_and_named() {
        assert_eq!(control_character("plain text, ünïcode"), None);
        assert_eq!(
            control_character("MIT\rRequires-Dist: evil").as_deref(),
            Some("a carriage return (U+000D)")
        );
        assert_eq!(control_character("a\tb").as_deref(), Some("a tab (U+0009)"));
        assert_eq!(
            control_character("a\u{1b}[31m").as_deref(),
            Some("the control character U+001B")
        );
        assert_eq!(
            control_character("a\u{85}b").as_deref(),
            Some("the control character U+0085")
        );
        assert_eq!(
            control_character("a\u{2028}b").as_deref(),
            Some("a line separator (U+2028)")
        );
        assert_eq!(control_character_in_text("a\tb\r\nc\u{c}d"), None);
        assert_eq!(
            control_character_in_text("a\nb\n\u{0}c"),
            Some((3, "the control character U+0000".to_owned()))
        );
    }

    #[test]
    fn lines_split_where_packaging_splits_them() {
        assert_eq!(
            split_lines("a\r\nb\rc\nd\u{b}e\u{c}f\u{1c}g\u{85}h\u{2029}i"),
            ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        );
        assert_eq!(split_lines("a\r\r\nb\n"), ["a", "", "b", ""]);
        assert_eq!(split_lines(""), [""]);
    }

    #[test]
    fn headers_fold_multi_line_values_and_refuse_line_breaks_in_others() {
        let mut headers = Headers::default();
        headers.field("Name", "demo").unwrap();
        headers
            .folded("License", "MIT\rRequires-Dist: evil\n\n\tTabbed")
            .unwrap();
        assert_eq!(
            headers.finish(Some("# Body\n")),
            "Name: demo\nLicense: MIT\n         Requires-Dist: evil\n         \n         \tTabbed\n\n# Body\n"
        );
        let mut headers = Headers::default();
        for (name, value) in [
            ("Summary", "a\rRequires-Dist: evil"),
            ("Summary", "a\nb"),
            ("Summary", "a\u{85}b"),
            ("Bad: name", "x"),
        ] {
            let err = headers.field(name, value).unwrap_err();
            assert!(matches!(err, Error::Internal { .. }), "{err}");
        }
        let err = headers.folded("License", "a\n\u{1b}").unwrap_err();
        assert!(
            err.to_string().contains("line 2 of the `License` value"),
            "{err}"
        );
    }

    #[test]
    fn entry_points_refuse_anything_that_would_be_read_as_another_line() {
        let mut sections = Sections::default();
        sections.section("console_scripts").unwrap();
        sections.entry("demo", "demo:main").unwrap();
        sections.section("demo.plugins").unwrap();
        sections
            .entry("basic", "demo.plugins:basic [yaml]")
            .unwrap();
        assert_eq!(
            sections.finish(),
            "[console_scripts]\ndemo = demo:main\n\n[demo.plugins]\nbasic = demo.plugins:basic [yaml]\n\n"
        );
        let mut sections = Sections::default();
        sections.section("g").unwrap();
        for (name, value) in [
            ("x", "mod:fn\n[console_scripts]"),
            ("x\ny", "mod:fn"),
            ("[x]", "mod:fn"),
            ("#x", "mod:fn"),
            ("a=b", "mod:fn"),
        ] {
            assert!(sections.entry(name, value).is_err(), "{name:?} = {value:?}");
        }
        assert!(sections.section("a]\n[b").is_err());
    }

    #[test]
    fn record_rows_are_csv_and_refuse_line_breaks() {
        assert_eq!(
            record_row("pkg/a,\"b\".txt", "sha256=x", "3").unwrap(),
            "\"pkg/a,\"\"b\"\".txt\",sha256=x,3\n"
        );
        assert_eq!(record_row("pkg/RECORD", "", "").unwrap(), "pkg/RECORD,,\n");
        let err = record_row("pkg/c\rd.txt", "sha256=x", "3")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("refusing \"pkg/c\\rd.txt\": its name contains a carriage return"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn pth_lines_are_plain_absolute_folders() {
        let folders = [Path::new("/p/src"), Path::new("/p/lib")];
        assert_eq!(pth_file(&folders).unwrap(), "/p/src\n/p/lib\n");
        for bad in ["/p/x\nimport os", "relative/src", "/p/src ", "/p/a\rb"] {
            let err = pth_file(&[Path::new(bad)]).unwrap_err().to_string();
            assert!(err.contains("a .pth file cannot name it"), "{err}");
        }
    }
}
