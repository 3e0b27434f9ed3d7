//! The Python interpreter the command line works with, for the two commands that need one:
//! `packkit status` (where installed distributions are: `sys.path`) and `packkit migrate
//! --verify` (which builds with the old backend). Under `python -m packkit` that is the
//! running interpreter. The native executable starts none unless one of those commands asks:
//! it then takes the interpreter of the environment it is installed in (the `python` beside
//! it), else the first `python3`/`python` on `PATH`, and asks it for `sys.path` once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};

/// Prints `sys.path` as JSON; run only on demand, never with anything read from a project.
const PRINT_SEARCH_PATH: &str = "import json, sys; print(json.dumps(sys.path))";

#[derive(Debug)]
pub struct Interpreter {
    /// The interpreter, once known (found on the first need, for the native executable).
    executable: OnceLock<Option<PathBuf>>,
    /// `sys.path`, once known.
    search_path: OnceLock<std::result::Result<Vec<PathBuf>, String>>,
    /// The native executable's own path, where the search for an interpreter starts.
    program: Option<PathBuf>,
}

impl Interpreter {
    /// The interpreter running packkit, with its `sys.executable` and `sys.path`.
    pub fn running(executable: Option<PathBuf>, search_path: Vec<PathBuf>) -> Self {
        Interpreter {
            executable: OnceLock::from(executable),
            search_path: OnceLock::from(Ok(search_path)),
            program: None,
        }
    }

    /// For the native executable at `program`: an interpreter found only when needed.
    pub fn beside(program: Option<PathBuf>) -> Self {
        Interpreter {
            executable: OnceLock::new(),
            search_path: OnceLock::new(),
            program,
        }
    }

    /// The interpreter's executable, if one is found.
    pub fn executable(&self) -> Option<&Path> {
        self.executable
            .get_or_init(|| {
                find_python(self.program.as_deref(), std::env::var_os("PATH").as_deref())
            })
            .as_deref()
    }

    /// `sys.path` of the interpreter, in order ('' as `.`).
    pub fn search_path(&self) -> Result<&[PathBuf]> {
        let found = self.search_path.get_or_init(|| {
            let python = self.executable().ok_or_else(|| {
                "no Python interpreter was found beside packkit or on PATH".to_owned()
            })?;
            ask_search_path(python)
        });
        found.as_deref().map_err(|reason| {
            Error::build(
                format!("cannot tell where installed distributions are: {reason}"),
                Some(
                    "run `python -m packkit status` with the interpreter of the environment"
                        .to_owned(),
                ),
            )
        })
    }
}

/// The Python of the environment `program` is installed in, else the first on `path_var`.
fn find_python(program: Option<&Path>, path_var: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) {
        &["python.exe"]
    } else {
        &["python3", "python"]
    };
    // A virtual environment or prefix: `bin/packkit` beside `bin/python`; on Windows
    // `Scripts\packkit.exe` with `Scripts\python.exe` (venv) or `python.exe` one level up.
    let scripts_dir = program.and_then(Path::parent);
    let beside = scripts_dir
        .into_iter()
        .chain(scripts_dir.and_then(Path::parent).filter(|_| cfg!(windows)));
    let on_path = path_var.into_iter().flat_map(std::env::split_paths);
    beside
        .map(Path::to_path_buf)
        .chain(on_path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

fn ask_search_path(python: &Path) -> std::result::Result<Vec<PathBuf>, String> {
    let output = std::process::Command::new(python)
        .args(["-c", PRINT_SEARCH_PATH])
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|err| format!("cannot run {}: {err}", python.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed ({}): {}",
            python.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let entries: Vec<String> = serde_json::from_slice(&output.stdout)
        .map_err(|err| format!("{} printed no list of paths: {err}", python.display()))?;
    Ok(entries.into_iter().map(search_path_entry).collect())
}

/// A `sys.path` entry as a folder: '' is the current directory.
pub fn search_path_entry(entry: String) -> PathBuf {
    if entry.is_empty() {
        PathBuf::from(".")
    } else {
        PathBuf::from(entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn the_python_beside_the_program_wins_over_path() {
        let env = tempfile::tempdir().unwrap();
        let other = tempfile::tempdir().unwrap();
        std::fs::write(env.path().join("python3"), "").unwrap();
        std::fs::write(other.path().join("python3"), "").unwrap();
        let path_var = std::env::join_paths([other.path()]).unwrap();
        let program = env.path().join("packkit");
        assert_eq!(
            find_python(Some(&program), Some(&path_var)),
            Some(env.path().join("python3"))
        );
        let elsewhere = tempfile::tempdir().unwrap();
        assert_eq!(
            find_python(Some(&elsewhere.path().join("packkit")), Some(&path_var)),
            Some(other.path().join("python3"))
        );
        assert_eq!(find_python(Some(&program.join("x")), None), None);
    }

    #[test]
    fn search_path_comes_from_the_interpreter_and_failures_are_explained() {
        // The Python that runs the tests' tools; '' (the current directory) becomes '.'.
        let entries = ask_search_path(Path::new("python3")).unwrap();
        assert_eq!(entries.first(), Some(&PathBuf::from(".")));
        assert!(entries.len() > 1, "{entries:?}");
        let missing = ask_search_path(Path::new("/nonexistent/python3")).unwrap_err();
        assert!(
            missing.starts_with("cannot run /nonexistent/python3"),
            "{missing}"
        );
        let failing = ask_search_path(Path::new("false")).unwrap_err();
        assert!(failing.starts_with("false failed"), "{failing}");
        let interpreter = Interpreter::beside(Some(PathBuf::from("/nonexistent/packkit")));
        interpreter.executable.set(None).unwrap();
        let message = interpreter.search_path().unwrap_err().to_string();
        assert!(
            message.contains("no Python interpreter was found"),
            "{message}"
        );
        assert!(message.contains("python -m packkit status"), "{message}");
    }

    #[test]
    fn the_running_interpreter_is_taken_as_given() {
        let interpreter = Interpreter::running(Some("py".into()), vec!["a".into()]);
        assert_eq!(interpreter.executable(), Some(Path::new("py")));
        assert_eq!(interpreter.search_path().unwrap(), [PathBuf::from("a")]);
    }
}
