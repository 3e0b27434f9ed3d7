//! Two-column tables of facts as HTML (no JavaScript) and Markdown, for the notebook views;
//! every value is escaped, since a branch or tag name is anyone's text.

/// `<table>` with a caption (`title` in bold, `version` in code), one `<th>`/`<td>` row per
/// fact; the rows named in `alerts` are highlighted (a dirty tree, a stale install).
pub fn html_table(title: &str, version: &str, rows: &[(&str, String)], alerts: &[&str]) -> String {
    let cells: String = rows
        .iter()
        .map(|(key, value)| {
            let style = if alerts.contains(key) {
                " style='color:#b00020;font-weight:bold'"
            } else {
                ""
            };
            format!(
                "<tr><th style='text-align:left'>{}</th><td{style}><code>{}</code></td></tr>",
                escape_html(key),
                escape_html(value)
            )
        })
        .collect();
    format!(
        "<table><caption><b>{}</b> <code>{}</code></caption>{cells}</table>",
        escape_html(title),
        escape_html(version)
    )
}

/// A Markdown table `| fact | value |`, values in code spans.
pub fn markdown_table(rows: &[(&str, String)]) -> String {
    let mut lines = vec!["| fact | value |".to_owned(), "| --- | --- |".to_owned()];
    for (key, value) in rows {
        let value = value.replace('|', "\\|").replace('`', "'");
        lines.push(format!("| {key} | `{value}` |"));
    }
    lines.join("\n")
}

pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_escaped() {
        let rows = [("branch", "<script>&'\"|`".to_owned())];
        assert_eq!(
            html_table("<demo>", "1.0", &rows, &["branch"]),
            "<table><caption><b>&lt;demo&gt;</b> <code>1.0</code></caption><tr><th style='text-align:left'>branch</th><td style='color:#b00020;font-weight:bold'><code>&lt;script&gt;&amp;&#x27;&quot;|`</code></td></tr></table>"
        );
        assert_eq!(
            markdown_table(&rows),
            "| fact | value |\n| --- | --- |\n| branch | `<script>&'\"\\|'` |"
        );
    }
}
