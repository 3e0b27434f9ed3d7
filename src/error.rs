//! The one error type of the engine. Every variant says where the problem is and, when
//! there is one, what fixes it (`hint`); the Python layer maps each variant to one class of
//! `packkit.errors` in a single `match`.

use std::fmt;
use std::path::PathBuf;

/// A problem in a configuration file or setting, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: Option<PathBuf>,
    /// 1-based line and column of the offending value, when it comes from a file.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The dotted TOML key (`tool.packkit.version-scheme`).
    pub key: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let (Some(line), Some(column)) = (self.line, self.column) {
                write!(f, ":{line}:{column}")?;
            }
            write!(f, ": ")?;
        }
        if let Some(key) = &self.key {
            write!(f, "`{key}`: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\nhint: {hint}")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Every configuration problem found, all reported at once (never empty).
    #[error("{}", join_problems(.0))]
    Config(Vec<ConfigError>),
    /// A wheel or sdist cannot be built (unsafe path, missing package, I/O in the output).
    #[error("{}", with_hint(.message, .hint))]
    Build {
        message: String,
        hint: Option<String>,
    },
    /// A string that is not a PEP 440 version, or a scheme result that would not be one.
    #[error("{message}")]
    InvalidVersion { message: String },
    /// The version cannot be read from git, an archive or an sdist.
    #[error("{}", with_hint(.message, .hint))]
    Scm {
        message: String,
        hint: Option<String>,
    },
    /// An I/O error while reading or writing a file we name.
    #[error("{}: {}", .path.display(), os_reason(.source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The user pressed Ctrl-C (see `interrupt`).
    #[error("interrupted")]
    Interrupted,
    /// A bug in packkit (a panic caught at a boundary): never the user's fault.
    #[error("internal error in packkit (a bug, please report it): {message}")]
    Internal { message: String },
}

fn join_problems(problems: &[ConfigError]) -> String {
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    match lines.as_slice() {
        [one] => one.clone(),
        _ => format!(
            "{} problems in the project configuration:\n{}",
            lines.len(),
            lines.join("\n")
        ),
    }
}

/// "No such file or directory", without Rust's " (os error 2)" (Python shows `errno`).
fn os_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    text.split(" (os error ").next().unwrap_or(&text).to_owned()
}

#[allow(clippy::ref_option)] // thiserror's format arguments are references to the fields
fn with_hint(message: &str, hint: &Option<String>) -> String {
    match hint {
        Some(hint) => format!("{message}\nhint: {hint}"),
        None => message.to_owned(),
    }
}

impl Error {
    pub fn scm(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Scm {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn build(message: impl Into<String>, hint: impl Into<Option<String>>) -> Self {
        Error::Build {
            message: message.into(),
            hint: hint.into(),
        }
    }

    pub fn invalid_version(message: impl Into<String>) -> Self {
        Error::InvalidVersion {
            message: message.into(),
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

impl From<ConfigError> for Error {
    fn from(error: ConfigError) -> Self {
        Error::Config(vec![error])
    }
}

impl Error {
    /// The message of a caught panic's payload.
    pub fn from_panic(payload: &(dyn std::any::Any + Send)) -> Self {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| (*text).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        Error::Internal { message }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
