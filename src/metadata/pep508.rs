//! PEP 508 requirements: validated by `pep508_rs`, then printed exactly as `packaging`'s
//! `str(Requirement(...))` prints them, so METADATA matches what the Python tools write (and
//! re-reading a line with `packaging` gives back the same line).
//!
//! `pep508_rs` normalises names and rewrites markers through its marker algebra (for example
//! `python_version < "3.8"` becomes `python_full_version < '3.8'`), so its `Display` is not
//! used for output. This module only re-tokenises text `pep508_rs` has already accepted.

use std::str::FromStr;

use pep508_rs::{Pep508Error, Requirement};

/// PEP 503 / PEP 685 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_separator {
                out.push('-');
            }
            in_separator = true;
        } else {
            out.extend(c.to_lowercase());
            in_separator = false;
        }
    }
    out
}

/// A valid PEP 508 name (also the rule for extra names): ASCII letters and digits, with `.`,
/// `_`, `-` allowed inside.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        }
        _ => false,
    }
}

/// A requirement ready to be written, in `packaging`'s canonical form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dependency {
    /// `name[extras]specifiers` or `name[extras] @ url`.
    base: String,
    is_url: bool,
    marker: Option<Vec<Node>>,
}

/// A problem in a requirement string: the parser's message and the byte offset it points at.
pub(super) struct InvalidRequirement {
    pub message: String,
    pub offset: usize,
}

impl Dependency {
    pub(super) fn parse(text: &str) -> Result<Self, InvalidRequirement> {
        check_name_end(text)?;
        if let Err(err) = Requirement::<pep508_rs::VerbatimUrl>::from_str(&ascii_marker(text)) {
            return Err(invalid(&err));
        }
        // `pep508_rs` accepted it, so our tokeniser should too; should it not, fall back to
        // the trimmed original rather than fail a valid requirement.
        Ok(reformat(text).unwrap_or_else(|| Dependency {
            base: text.trim().to_owned(),
            is_url: false,
            marker: None,
        }))
    }

    /// The same requirement, only for `extra` (already normalised):
    /// `req; (marker) and extra == "x"`, as hatchling and `packaging` write it.
    pub(super) fn for_extra(&self, extra: &str) -> Self {
        let condition = Node::Item(format!("extra == {}", quote(extra)));
        let marker = match &self.marker {
            None => vec![condition],
            Some(nodes) => vec![
                Node::Group(nodes.clone()),
                Node::Op("and".into()),
                condition,
            ],
        };
        Dependency {
            base: self.base.clone(),
            is_url: self.is_url,
            marker: Some(marker),
        }
    }
}

impl std::fmt::Display for Dependency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.base)?;
        if let Some(marker) = &self.marker {
            // `packaging` puts a space between a URL and the `;` (a URL may contain `;`).
            let separator = if self.is_url { " ; " } else { "; " };
            write!(f, "{separator}{}", format_marker(marker, true))?;
        }
        Ok(())
    }
}

/// `pep508_rs` 0.9 panics (an `expect` in `parse_name`) on a name that ends in `.`, `-` or `_`
/// followed by anything (`a-+`, `a- >=1`): refuse those before calling it, with its message.
fn check_name_end(text: &str) -> Result<(), InvalidRequirement> {
    let start = text.len() - text.trim_start().len();
    let rest = text.get(start..).unwrap_or_default();
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(rest.len());
    match rest.get(..name_len).and_then(|name| name.chars().last()) {
        Some(last @ ('.' | '-' | '_')) => Err(InvalidRequirement {
            message: format!("Package name must end with an alphanumeric character, not '{last}'"),
            offset: start + name_len - 1,
        }),
        _ => Ok(()),
    }
}

/// `text` with every non-ASCII character after the first `;` (the marker) replaced by as many
/// `#` as its UTF-8 bytes, for `pep508_rs` to validate.
///
/// `pep508_rs` 0.9 panics on a marker word with a non-ASCII character where it looks for
/// `and`/`or` (it slices the text with a count of characters as a length in bytes:
/// `a;os_name ==''os_name=="3𐀀8"`). In a marker such a character is valid only inside a
/// quoted value, where `#` is valid too, and `#` cannot complete a name or an operator: the
/// answer is the same, and byte offsets in errors still point into `text`.
fn ascii_marker(text: &str) -> std::borrow::Cow<'_, str> {
    match text.split_once(';') {
        Some((requirement, marker)) if !marker.is_ascii() => {
            let mut out = String::with_capacity(text.len());
            out.push_str(requirement);
            out.push(';');
            for c in marker.chars() {
                if c.is_ascii() {
                    out.push(c);
                } else {
                    out.extend(std::iter::repeat_n('#', c.len_utf8()));
                }
            }
            std::borrow::Cow::Owned(out)
        }
        _ => std::borrow::Cow::Borrowed(text),
    }
}

fn invalid(err: &Pep508Error) -> InvalidRequirement {
    InvalidRequirement {
        message: err.message.to_string(),
        offset: err.start,
    }
}

/// `packaging`'s marker tree: items, `and`/`or`, and parenthesised groups, kept as written
/// (no precedence regrouping), so printing reproduces its `_format_marker`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Node {
    Item(String),
    Op(String),
    Group(Vec<Node>),
}

fn format_marker(nodes: &[Node], first: bool) -> String {
    if let [only] = nodes {
        match only {
            Node::Group(inner) => return format_marker(inner, first),
            Node::Item(item) => return item.clone(),
            Node::Op(op) => return op.clone(),
        }
    }
    let parts: Vec<String> = nodes
        .iter()
        .map(|node| match node {
            Node::Item(item) | Node::Op(item) => item.clone(),
            Node::Group(inner) => format_marker(inner, false),
        })
        .collect();
    if first {
        parts.join(" ")
    } else {
        format!("({})", parts.join(" "))
    }
}

/// `"value"`, or `'value'` when the value holds a double quote (as `packaging` does).
fn quote(value: &str) -> String {
    if value.contains('"') {
        format!("'{value}'")
    } else {
        format!("\"{value}\"")
    }
}

/// A cursor over requirement text.
struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or_default()
    }

    fn skip_ws(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, prefix: &str) -> bool {
        if self.rest().starts_with(prefix) {
            self.pos += prefix.len();
            true
        } else {
            false
        }
    }

    /// The longest prefix whose characters satisfy `keep`.
    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> &'a str {
        let rest = self.rest();
        let end = rest.find(|c: char| !keep(c)).unwrap_or(rest.len());
        self.pos += end;
        &rest[..end]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    /// `word` as a whole word (not a prefix of a longer name).
    fn eat_word(&mut self, word: &str) -> bool {
        // The prefix first: slicing at `word.len()` could cut a character of another word.
        let boundary = self.rest().strip_prefix(word).is_some_and(|after| {
            after
                .chars()
                .next()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        });
        if boundary {
            self.pos += word.len();
            true
        } else {
            false
        }
    }
}

fn reformat(text: &str) -> Option<Dependency> {
    let mut s = Scanner { text, pos: 0 };
    s.skip_ws();
    let name = s.take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if name.is_empty() {
        return None;
    }
    let mut base = name.to_owned();
    s.skip_ws();
    if s.eat("[") {
        let inner = s.take_while(|c| c != ']');
        if !s.eat("]") {
            return None;
        }
        let mut extras: Vec<&str> = inner
            .split(',')
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        extras.sort_unstable();
        extras.dedup();
        if !extras.is_empty() {
            base.push_str(&format!("[{}]", extras.join(",")));
        }
    }
    s.skip_ws();
    let mut is_url = false;
    if s.eat("@") {
        s.skip_ws();
        let url = s.take_while(|c| !c.is_whitespace());
        base.push_str(&format!(" @ {url}"));
        is_url = true;
    } else {
        let parenthesised = s.eat("(");
        let specs = s.take_while(|c| c != ';' && c != ')');
        if parenthesised && !s.eat(")") {
            return None;
        }
        base.push_str(&format_specifiers(specs)?);
    }
    s.skip_ws();
    let marker = if s.eat(";") {
        let nodes = parse_marker(&mut s)?;
        s.skip_ws();
        Some(nodes)
    } else {
        None
    };
    if !s.at_end() {
        return None;
    }
    Some(Dependency {
        base,
        is_url,
        marker,
    })
}

/// `packaging`'s `str(SpecifierSet)`: each `op` + version without spaces, sorted, joined by `,`.
pub(super) fn format_specifiers(text: &str) -> Option<String> {
    let mut specs = Vec::new();
    for spec in text.split(',') {
        let spec = spec.trim();
        if spec.is_empty() {
            continue;
        }
        let op = ["===", "==", "~=", "!=", "<=", ">=", "<", ">"]
            .into_iter()
            .find(|op| spec.starts_with(op))?;
        let version = spec.strip_prefix(op).unwrap_or_default();
        specs.push(format!("{op}{}", version.trim()));
    }
    specs.sort();
    specs.dedup();
    Some(specs.join(","))
}

/// marker = atom (("and" | "or") atom)*
fn parse_marker(s: &mut Scanner) -> Option<Vec<Node>> {
    let mut nodes = vec![parse_atom(s)?];
    loop {
        s.skip_ws();
        let op = if s.eat_word("and") {
            "and"
        } else if s.eat_word("or") {
            "or"
        } else {
            return Some(nodes);
        };
        nodes.push(Node::Op(op.into()));
        nodes.push(parse_atom(s)?);
    }
}

/// atom = "(" marker ")" | var op var
fn parse_atom(s: &mut Scanner) -> Option<Node> {
    s.skip_ws();
    if s.eat("(") {
        let inner = parse_marker(s)?;
        s.skip_ws();
        if !s.eat(")") {
            return None;
        }
        return Some(Node::Group(inner));
    }
    let mut lhs = parse_var(s)?;
    s.skip_ws();
    let op = if s.eat_word("in") {
        "in".to_owned()
    } else if s.eat_word("not") {
        s.skip_ws();
        if !s.eat_word("in") {
            return None;
        }
        "not in".to_owned()
    } else {
        ["===", "==", "~=", "!=", "<=", ">=", "<", ">"]
            .into_iter()
            .find(|op| s.eat(op))?
            .to_owned()
    };
    s.skip_ws();
    let mut rhs = parse_var(s)?;
    // PEP 685: `packaging` normalises the extra named in `extra == "..."` and `"..." in extras`.
    match (&lhs, &rhs) {
        (Var::Name(name), Var::Value(value)) if name == "extra" => {
            rhs = Var::Value(normalize_name(value));
        }
        (Var::Value(value), Var::Name(name))
            if matches!(name.as_str(), "extra" | "extras" | "dependency_groups") =>
        {
            lhs = Var::Value(normalize_name(value));
        }
        _ => {}
    }
    Some(Node::Item(format!(
        "{} {op} {}",
        lhs.render(),
        rhs.render()
    )))
}

enum Var {
    Name(String),
    Value(String),
}

impl Var {
    fn render(&self) -> String {
        match self {
            Var::Name(name) => name.clone(),
            Var::Value(value) => quote(value),
        }
    }
}

fn parse_var(s: &mut Scanner) -> Option<Var> {
    for q in ['"', '\''] {
        if s.eat(&q.to_string()) {
            let value = s.take_while(|c| c != q);
            if !s.eat(&q.to_string()) {
                return None;
            }
            return Some(Var::Value(value.to_owned()));
        }
    }
    let name = s.take_while(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if name.is_empty() {
        return None;
    }
    // `packaging` spells legacy names the modern way (`os.name` -> `os_name`).
    let name = name.replace('.', "_");
    Some(Var::Name(if name == "python_implementation" {
        "platform_python_implementation".into()
    } else {
        name
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match Dependency::parse(text) {
            Ok(dep) => dep.to_string(),
            Err(err) => panic!("{text}: {}", err.message),
        }
    }

    #[test]
    fn a_name_ending_in_a_separator_is_refused_not_a_panic() {
        // Each of these panics inside pep508_rs 0.9.2 (found by src/properties.rs).
        for text in ["a-+", "a- >=1", "  pkg_[x]", "a.;os_name=='nt'"] {
            let err = Dependency::parse(text).err().unwrap();
            assert!(
                err.message.contains("must end with an alphanumeric"),
                "{text}"
            );
        }
        assert!(Dependency::parse("a-b >=1").is_ok());
        // A non-ASCII character in a marker word (found by src/properties.rs).
        for text in [
            "a;os_name ==''os_name==\"3\u{10000}8\"",
            "a; os_name == 'x' and\u{e9}",
        ] {
            assert!(Dependency::parse(text).is_err(), "{text}");
        }
        let dep = Dependency::parse("a; os_name == '\u{e9}t\u{e9}'")
            .ok()
            .unwrap();
        assert_eq!(dep.to_string(), "a; os_name == \"\u{e9}t\u{e9}\"");
    }

    #[test]
    fn words_are_matched_without_cutting_a_character() {
        // `and` is 3 bytes: slicing "xyé" there would split the `é`.
        let mut s = Scanner {
            text: "xyé and",
            pos: 0,
        };
        assert!(!s.eat_word("and"));
        s.pos = "xyé ".len();
        assert!(s.eat_word("and") && s.at_end());
    }

    #[test]
    fn names_are_normalized() {
        assert_eq!(normalize_name("Foo_Bar..baz-_-Qux"), "foo-bar-baz-qux");
        assert!(is_valid_name("a"));
        assert!(is_valid_name("Demo.Pkg_2"));
        assert!(!is_valid_name("-a"));
        assert!(!is_valid_name("a_"));
        assert!(!is_valid_name("a b"));
        assert!(!is_valid_name(""));
    }

    #[test]
    fn prints_like_packaging() {
        // Expected values are `str(packaging.requirements.Requirement(text))` (packaging 26).
        let cases = [
            (
                "Foo_Bar [Sec_Ure, abc] >= 1.0 , <2 ; python_version<'3.8' and (os_name == \"nt\" or extra=='Foo_Bar')",
                "Foo_Bar[Sec_Ure,abc]<2,>=1.0; python_version < \"3.8\" and (os_name == \"nt\" or extra == \"foo-bar\")",
            ),
            (
                "pkg @ https://x.org/a.whl ; sys_platform == \"linux\"",
                "pkg @ https://x.org/a.whl ; sys_platform == \"linux\"",
            ),
            ("a[x]", "a[x]"),
            ("a==1.0.*", "a==1.0.*"),
            ("a (>=1.0)", "a>=1.0"),
            ("a; '3.8' <= python_version", "a; \"3.8\" <= python_version"),
            (
                "a; python_version not in \"3.6 3.7\"",
                "a; python_version not in \"3.6 3.7\"",
            ),
            (
                "a; os_name==\"a\" and os_name==\"b\" or os_name==\"c\"",
                "a; os_name == \"a\" and os_name == \"b\" or os_name == \"c\"",
            ),
            ("a; (os_name==\"a\")", "a; os_name == \"a\""),
            (
                "a; os_name == 'x' or ((os_name == 'y' and os_name == 'z'))",
                "a; os_name == \"x\" or (os_name == \"y\" and os_name == \"z\")",
            ),
            (
                "a; platform_machine=='x86_64'and python_version>='3'",
                "a; platform_machine == \"x86_64\" and python_version >= \"3\"",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(fmt(input), expected, "{input}");
        }
    }

    #[test]
    fn extra_markers_combine_like_hatchling() {
        let dep = |text: &str| Dependency::parse(text).ok().unwrap();
        assert_eq!(
            dep("b>=1").for_extra("foo-bar").to_string(),
            "b>=1; extra == \"foo-bar\""
        );
        assert_eq!(
            dep("b; os_name == 'nt'").for_extra("x").to_string(),
            "b; os_name == \"nt\" and extra == \"x\""
        );
        assert_eq!(
            dep("b; os_name == 'nt' or os_name == 'posix'")
                .for_extra("x")
                .to_string(),
            "b; (os_name == \"nt\" or os_name == \"posix\") and extra == \"x\""
        );
        assert_eq!(
            dep("b @ https://e.org/b.whl").for_extra("x").to_string(),
            "b @ https://e.org/b.whl ; extra == \"x\""
        );
    }

    #[test]
    fn invalid_requirements_point_at_the_problem() {
        let err = Dependency::parse("packaging>=20,,").err().unwrap();
        assert!(err.offset >= 13, "{} at {}", err.message, err.offset);
        assert!(Dependency::parse("a; os_name = 'x'").is_err());
        assert!(Dependency::parse("-a").is_err());
        assert!(Dependency::parse("a @ ./local/path").is_err());
    }
}
