//! `{{key}}` substitution in the templates compiled into packkit. Deliberately tiny: no
//! conditions, loops or escaping. Every value is checked by its producer before it gets here
//! (a project name, an author without quotes or backslashes), so that no value can change the
//! syntax of the file it lands in. Anything else between braces (`${{ matrix.x }}` in a GitHub
//! workflow, `{{` in a license) is left as it is.

use crate::error::{Error, Result};

/// `template` with each `{{key}}` (key: `[a-z_]+`) replaced by its value in `values`. A key
/// without a value is a bug in packkit's templates: an internal error, never a silent blank.
pub fn render(template: &str, values: &[(&str, &str)]) -> Result<String> {
    let mut out = String::with_capacity(template.len() + 256);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let key_len = after
            .bytes()
            .take_while(|b| b.is_ascii_lowercase() || *b == b'_')
            .count();
        if key_len > 0 && after[key_len..].starts_with("}}") {
            let key = &after[..key_len];
            let Some((_, value)) = values.iter().find(|(k, _)| *k == key) else {
                return Err(Error::Internal {
                    message: format!("the template placeholder {{{{{key}}}}} has no value"),
                });
            };
            out.push_str(value);
            rest = &after[key_len + 2..];
        } else {
            out.push_str("{{");
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_replaced_and_other_braces_kept() {
        let text = render(
            "a {{name}} b {{name}} ${{ matrix.python-version }} {{ x }} {{}} {{Name}}",
            &[("name", "demo")],
        )
        .unwrap();
        assert_eq!(
            text,
            "a demo b demo ${{ matrix.python-version }} {{ x }} {{}} {{Name}}"
        );
    }

    #[test]
    fn a_value_is_not_substituted_again() {
        assert_eq!(
            render("{{a}}{{b}}", &[("a", "{{b}}"), ("b", "x")]).unwrap(),
            "{{b}}x"
        );
    }

    #[test]
    fn a_missing_value_is_an_internal_error() {
        assert!(matches!(
            render("{{missing}}", &[]),
            Err(Error::Internal { .. })
        ));
    }
}
