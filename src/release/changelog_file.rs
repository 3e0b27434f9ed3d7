//! A release's section put into CHANGELOG.md, every other byte kept.

/// `existing` (CHANGELOG.md's text, if there is one) with `section` (Markdown starting with a
/// `## ` heading) inserted: after the `## Unreleased` section when the file starts with one
/// (Keep a Changelog's layout; its text is left as it is), else before the first `## `
/// heading, else at the end. A new file gets a `# Changelog` title. The file's line ends
/// (`\r\n` or `\n`) are used for the inserted lines.
pub fn insert_release(existing: Option<&str>, section: &str) -> String {
    let Some(existing) = existing else {
        return format!("# Changelog\n\n{section}");
    };
    let crlf = existing.contains("\r\n");
    let section = if crlf {
        section.replace('\n', "\r\n")
    } else {
        section.to_owned()
    };
    let eol = if crlf { "\r\n" } else { "\n" };
    // Byte offsets of the lines that start a `##` section (not `###`), outside code fences.
    let mut headings = Vec::new();
    let mut offset = 0;
    let mut fenced = false;
    for line in existing.split_inclusive('\n') {
        let text = line.trim_end_matches(['\r', '\n']);
        if text.starts_with("```") || text.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced && text.starts_with("## ") {
            headings.push((offset, text));
        }
        offset += line.len();
    }
    let at = match headings.as_slice() {
        [(_, first), rest @ ..] if is_unreleased(first) => {
            rest.first().map_or(existing.len(), |(at, _)| *at)
        }
        [(at, _), ..] => *at,
        [] => existing.len(),
    };
    let (before, after) = existing.split_at(at);
    // The section is a block of its own: a blank line before it, and after it when more follows.
    let mut out = before.to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    if !out.is_empty() && !out.ends_with(&format!("{eol}{eol}")) {
        out.push_str(eol);
    }
    out.push_str(&section);
    if !after.is_empty() {
        if !section.ends_with(&format!("{eol}{eol}")) {
            out.push_str(eol);
        }
        out.push_str(after);
    }
    out
}

fn is_unreleased(heading: &str) -> bool {
    let title = heading
        .trim_start_matches('#')
        .trim()
        .trim_matches(['[', ']']);
    title.eq_ignore_ascii_case("unreleased")
}

#[cfg(test)]
mod tests {
    use super::insert_release;

    const SECTION: &str = "## 1.1.0 (2026-12-06)\n\n### Features\n\n- more (abc1234)\n";

    #[test]
    fn before_the_last_release_every_other_byte_kept() {
        let old = "# Changelog\n\nIntro  \n\n## 1.0.0\n\n- first\n";
        let new = insert_release(Some(old), SECTION);
        assert_eq!(
            new,
            format!("# Changelog\n\nIntro  \n\n{SECTION}\n## 1.0.0\n\n- first\n")
        );
    }

    #[test]
    fn after_an_unreleased_section() {
        let old = "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## 1.0.0\n- first\n";
        let new = insert_release(Some(old), SECTION);
        assert_eq!(
            new,
            format!("# Changelog\n\n## [Unreleased]\n\n- wip\n\n{SECTION}\n## 1.0.0\n- first\n")
        );
        // Only an unreleased section: at the end.
        let old = "# Changelog\n\n## Unreleased\n\n- The project is created.";
        assert_eq!(
            insert_release(Some(old), SECTION),
            format!("{old}\n\n{SECTION}")
        );
    }

    #[test]
    fn keeps_windows_line_ends_and_ignores_fenced_headings() {
        let old = "# Log\r\n\r\n```\r\n## not a heading\r\n```\r\n";
        let new = insert_release(Some(old), SECTION);
        assert!(new.starts_with(old), "{new:?}");
        assert!(new.ends_with(&SECTION.replace('\n', "\r\n")));
        assert_eq!(
            insert_release(None, SECTION),
            format!("# Changelog\n\n{SECTION}")
        );
    }
}
