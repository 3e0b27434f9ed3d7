//! TOML read from an environment variable, as setuptools_scm reads its
//! `SETUPTOOLS_SCM_OVERRIDES` and `SETUPTOOLS_SCM_PRETEND_METADATA`: a whole document, or an
//! inline table when the value starts with `{`. The value is untrusted text: every problem
//! is a [`ConfigError`] whose "file" is the variable, with the line and column in its value.

use std::ops::Range;
use std::path::{Path, PathBuf};

use toml_edit::TableLike;

use crate::error::{ConfigError, Error};
use crate::pyproject::{PyProject, Reader};

/// The parsed value of one variable.
pub(super) struct EnvToml {
    pub(super) document: PyProject,
    /// The value was an inline table, parsed as the value of the key `_`.
    inline: bool,
}

/// The key an inline table is parsed under; its length (with `=`) is taken off columns.
const INLINE_KEY: &str = "_=";

impl EnvToml {
    /// The value of `variable` parsed; `None` when it is empty (setuptools_scm: no
    /// settings). `hint` says what the variable should hold. The problem comes in a list,
    /// as configuration problems travel.
    pub(super) fn parse(
        variable: &str,
        value: &str,
        hint: &str,
    ) -> Result<Option<Self>, Vec<ConfigError>> {
        if value.is_empty() {
            return Ok(None);
        }
        let inline = value.starts_with('{');
        let text = if inline {
            format!("{INLINE_KEY}{value}")
        } else {
            value.to_owned()
        };
        let located = |mut problem: ConfigError| {
            relocate(&mut problem, inline);
            problem.hint = Some(hint.to_owned());
            problem
        };
        match PyProject::parse(Path::new(variable), text) {
            Ok(document) => Ok(Some(EnvToml { document, inline })),
            Err(Error::Config(problems)) if !problems.is_empty() => {
                Err(problems.into_iter().map(located).collect())
            }
            Err(other) => Err(vec![located(ConfigError {
                path: Some(PathBuf::from(variable)),
                line: None,
                column: None,
                key: None,
                message: other.to_string(),
                hint: None,
            })]),
        }
    }

    /// The table of settings; a problem (recorded in `r`) when an inline value is not a table.
    pub(super) fn table<'a>(&'a self, r: &mut Reader<'a>) -> Option<&'a dyn TableLike> {
        if !self.inline {
            return Some(self.document.root());
        }
        let item = self.document.root().get("_")?;
        r.table(item, "")
    }

    /// A problem at `span` of the value, under `key`.
    pub(super) fn error_at(
        &self,
        span: Option<Range<usize>>,
        key: &str,
        message: String,
        hint: Option<String>,
    ) -> ConfigError {
        let mut problem = self.document.error_at(span, key, message, hint);
        self.locate(&mut problem);
        problem
    }

    /// Count the column of a problem found by a [`Reader`] in the value as given.
    pub(super) fn locate(&self, problem: &mut ConfigError) {
        relocate(problem, self.inline);
    }
}

fn relocate(problem: &mut ConfigError, inline: bool) {
    if inline && problem.line == Some(1) {
        problem.column = problem
            .column
            .map(|column| column.saturating_sub(INLINE_KEY.len()).max(1));
    }
    // An inline table that is not a table is reported under the empty key.
    if problem.key.as_deref() == Some("") {
        problem.key = None;
    }
}
