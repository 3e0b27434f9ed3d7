//! The PyO3 boundary: argument conversion, the `ScmVersion` class and error mapping; no
//! logic. Every call into the engine goes through [`engine`], which releases the GIL, turns a
//! panic into an error naming the bug, and maps errors in one exhaustive `match`.

// PyO3 extracts arguments as owned values (`PathBuf`, `String`), whether or not they are kept.
#![allow(clippy::needless_pass_by_value)]

mod scm_version;
mod status_view;
mod update_report;
mod version;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::build::{OTHER_KEYS, Project, WheelRequest};
use crate::error::{ConfigError, Error, Result};
use crate::release::commits;
use crate::resolve::{self, Environment, Overrides, Settings};

/// Turn an engine error into the matching `packkit.errors` exception (one exhaustive match).
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let made = (|| -> PyResult<Bound<'_, PyAny>> {
        let errors = py.import("packkit.errors")?;
        let message = error.to_string();
        match error {
            Error::Config(problems) => {
                let problems = problems
                    .iter()
                    .map(|problem| problem_object(py, problem))
                    .collect::<PyResult<Vec<_>>>()?;
                errors
                    .getattr("ConfigError")?
                    .call1((message, PyList::new(py, problems)?))
            }
            Error::Build { .. } => errors.getattr("BuildError")?.call1((message,)),
            Error::InvalidVersion { .. } => errors.getattr("InvalidVersion")?.call1((message,)),
            Error::Scm { .. } => errors.getattr("ScmError")?.call1((message,)),
            Error::Io { path, source } => errors.getattr("FileError")?.call1((
                message,
                path.display().to_string(),
                source.raw_os_error(),
            )),
            Error::Internal { .. } => errors.getattr("PackkitError")?.call1((message,)),
            // Only seen when another call's Ctrl-C stopped this one: the same exception.
            Error::Interrupted => Ok(py
                .get_type::<pyo3::exceptions::PyKeyboardInterrupt>()
                .call1((message,))?
                .into_any()),
        }
    })();
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(err) => err,
    }
}

/// A `packkit.errors.Problem` for one configuration problem.
fn problem_object<'py>(py: Python<'py>, problem: &ConfigError) -> PyResult<Bound<'py, PyAny>> {
    py.import("packkit.errors")?.getattr("Problem")?.call1((
        problem.path.as_ref().map(|p| p.display().to_string()),
        problem.line,
        problem.column,
        problem.key.clone(),
        problem.message.clone(),
        problem.hint.clone(),
        problem.to_string(),
    ))
}

/// Run `work` on a worker thread without the GIL; a panic inside is a bug reported as a
/// `PackkitError`, never a `PanicException` (which `except Exception` does not catch).
///
/// Meanwhile this thread takes the GIL every [`SIGNAL_POLL`] to let Python handle signals: on
/// Ctrl-C the work is asked to stop (it checks between files, see `interrupt`), and the
/// `KeyboardInterrupt` is raised once it has, with nothing partial left behind.
fn engine<T: Send>(py: Python<'_>, work: impl FnOnce() -> Result<T> + Send) -> PyResult<T> {
    let run = || {
        catch_unwind(AssertUnwindSafe(work))
            .unwrap_or_else(|payload| Err(Error::from_panic(&*payload)))
    };
    std::thread::scope(|scope| {
        let (sender, results) = std::sync::mpsc::sync_channel(1);
        let worker = scope.spawn(move || {
            let _ = sender.send(run());
        });
        let mut results = results;
        loop {
            // The receiver is moved in and out: it may be used by one thread at a time only.
            let (outcome, back) = py.detach(move || (results.recv_timeout(SIGNAL_POLL), results));
            results = back;
            match outcome {
                Ok(result) => return result.map_err(|err| to_py_err(py, err)),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    return Err(to_py_err(
                        py,
                        Error::Internal {
                            message: "the engine's worker thread ended without a result".into(),
                        },
                    ));
                }
            }
            if let Err(signal) = py.check_signals() {
                crate::interrupt::request();
                let _ = py.detach(|| worker.join());
                crate::interrupt::clear();
                return Err(signal);
            }
        }
    })
}

/// How often a waiting engine call lets Python run its signal handlers (Ctrl-C).
const SIGNAL_POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// Warnings go to the `packkit` logger (not `warnings.warn`, which breaks `-W error` callers).
fn log_warnings(py: Python<'_>, warnings: &[String]) -> PyResult<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let logger = py
        .import("logging")?
        .call_method1("getLogger", ("packkit",))?;
    for warning in warnings {
        logger.call_method1("warning", (warning,))?;
    }
    Ok(())
}

/// `root` as given, or the project above the current directory (a notebook's folder).
fn project_root(root: Option<PathBuf>) -> PathBuf {
    root.unwrap_or_else(|| resolve::project_root_above(Path::new(".")))
}

/// The version of the project at `root`, as `pip install` would see it.
#[pyfunction]
#[pyo3(signature = (
    root = None,
    *,
    version_scheme = None,
    local_scheme = None,
    tag_regex = None,
    tag_prefix = None,
    fallback_version = None,
    normalize = None,
    dist_name = None,
    write_version_file = false,
))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per setting
fn get_version(
    py: Python<'_>,
    root: Option<PathBuf>,
    version_scheme: Option<String>,
    local_scheme: Option<String>,
    tag_regex: Option<String>,
    tag_prefix: Option<String>,
    fallback_version: Option<String>,
    normalize: Option<bool>,
    dist_name: Option<String>,
    write_version_file: bool,
) -> PyResult<String> {
    let overrides = Overrides {
        version_scheme,
        local_scheme,
        tag_regex,
        tag_prefix,
        fallback_version,
        normalize,
        dist_name,
        environment: Some(Environment::from_process()),
    };
    let env = Environment::from_process();
    let resolved = engine(py, || {
        let settings = Settings::load(&project_root(root), &overrides, &OTHER_KEYS)?;
        let resolved = resolve::resolve(&settings, &env)?;
        if write_version_file {
            resolved.write_version_file()?;
        }
        Ok(resolved)
    })?;
    log_warnings(py, &resolved.described.warnings)?;
    Ok(resolved.version)
}

/// The facts the version of the project at `root` is made from.
#[pyfunction]
#[pyo3(signature = (
    root = None,
    *,
    version_scheme = None,
    local_scheme = None,
    tag_regex = None,
    tag_prefix = None,
    fallback_version = None,
    normalize = None,
    dist_name = None,
))]
#[allow(clippy::too_many_arguments)] // Python keyword arguments, one per setting
fn describe(
    py: Python<'_>,
    root: Option<PathBuf>,
    version_scheme: Option<String>,
    local_scheme: Option<String>,
    tag_regex: Option<String>,
    tag_prefix: Option<String>,
    fallback_version: Option<String>,
    normalize: Option<bool>,
    dist_name: Option<String>,
) -> PyResult<scm_version::ScmVersion> {
    let overrides = Overrides {
        version_scheme,
        local_scheme,
        tag_regex,
        tag_prefix,
        fallback_version,
        normalize,
        dist_name,
        environment: Some(Environment::from_process()),
    };
    let env = Environment::from_process();
    let described = engine(py, || {
        resolve::describe_in(
            &Settings::load(&project_root(root), &overrides, &OTHER_KEYS)?,
            &env,
        )
    })?;
    log_warnings(py, &described.warnings)?;
    let described = scm_version::ScmVersion::new(py, described)?;
    if let Some(stale) = described.stale_install(py)? {
        log_warnings(py, &[stale])?;
    }
    Ok(described)
}

/// Build the wheel (or the editable wheel) of the project; the file name.
#[pyfunction]
#[pyo3(signature = (project_dir, out_dir, *, editable = false, metadata_dir = None))]
fn build_wheel(
    py: Python<'_>,
    project_dir: PathBuf,
    out_dir: PathBuf,
    editable: bool,
    metadata_dir: Option<PathBuf>,
) -> PyResult<String> {
    let env = Environment::from_process();
    let (path, warnings) = engine(py, || {
        let request = WheelRequest {
            out_dir: &out_dir,
            editable,
            metadata_dir: metadata_dir.as_deref(),
        };
        let project = Project::load(&project_dir)?;
        let path = crate::build::build_wheel(&project, &request, &env)?;
        Ok((path, project.warnings()))
    })?;
    log_warnings(py, &warnings)?;
    Ok(file_name(&path))
}

/// Build the sdist of the project; the file name.
#[pyfunction]
fn build_sdist(py: Python<'_>, project_dir: PathBuf, out_dir: PathBuf) -> PyResult<String> {
    let env = Environment::from_process();
    let (path, warnings) = engine(py, || {
        let project = Project::load(&project_dir)?;
        let path = crate::build::build_sdist(&project, &out_dir, &env)?;
        Ok((path, project.warnings()))
    })?;
    log_warnings(py, &warnings)?;
    Ok(file_name(&path))
}

/// Write the `.dist-info` folder a wheel will carry into `out_dir`; its name.
#[pyfunction]
fn prepare_metadata(py: Python<'_>, project_dir: PathBuf, out_dir: PathBuf) -> PyResult<String> {
    let env = Environment::from_process();
    let (name, warnings) = engine(py, || {
        let project = Project::load(&project_dir)?;
        let name = crate::build::prepare_metadata(&project, &out_dir, &env)?;
        Ok((name, project.warnings()))
    })?;
    log_warnings(py, &warnings)?;
    Ok(name)
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every configuration problem of the project, as `packkit.errors.Problem` (empty when valid).
#[pyfunction]
fn check(py: Python<'_>, project_dir: PathBuf) -> PyResult<Vec<Bound<'_, PyAny>>> {
    let env = Environment::from_process();
    let problems = engine(py, || Project::problems(&project_dir, &env))?;
    problems
        .iter()
        .map(|problem| problem_object(py, problem))
        .collect()
}

/// What goes into the wheel and the sdist and why, and what is left out.
#[pyfunction]
fn files(py: Python<'_>, project_dir: PathBuf) -> PyResult<Bound<'_, PyDict>> {
    let env = Environment::from_process();
    let ((wheel, wheel_out), (sdist, sdist_out)) = engine(py, || {
        let project = Project::load(&project_dir)?;
        let version = project.version(&env)?;
        Ok((
            project.wheel_files(&version, None)?,
            project.sdist_files(None)?,
        ))
    })?;
    let result = PyDict::new(py);
    for (kind, selection, excluded) in [("wheel", wheel, wheel_out), ("sdist", sdist, sdist_out)] {
        let included = PyList::empty(py);
        for (path, file) in selection {
            included.append((path, file.source.display().to_string(), file.reason))?;
        }
        let left_out = PyList::empty(py);
        for item in excluded {
            left_out.append((item.path, item.reason))?;
        }
        let entry = PyDict::new(py);
        entry.set_item("included", included)?;
        entry.set_item("excluded", left_out)?;
        result.set_item(kind, entry)?;
    }
    Ok(result)
}

/// The project's core metadata text (METADATA) for its current version.
#[pyfunction]
fn core_metadata(py: Python<'_>, project_dir: PathBuf) -> PyResult<String> {
    let env = Environment::from_process();
    engine(py, || {
        let project = Project::load(&project_dir)?;
        let version = project.version(&env)?;
        project.metadata.core_metadata(&version)
    })
}

/// Create a new project (`packkit new`); the folder, as given.
#[pyfunction]
#[pyo3(signature = (
    path,
    name = None,
    *,
    license = "MIT",
    ci = "github",
    rst = false,
    namespace = None,
    data_science = false,
    git = true,
    force_name = false,
    author = None,
    email = None,
))]
#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)] // Python keyword arguments, one per option
fn new_project(
    py: Python<'_>,
    path: PathBuf,
    name: Option<String>,
    license: &str,
    ci: &str,
    rst: bool,
    namespace: Option<String>,
    data_science: bool,
    git: bool,
    force_name: bool,
    author: Option<String>,
    email: Option<String>,
) -> PyResult<String> {
    let created = engine(py, || {
        let options = crate::scaffold::Options {
            name,
            path: Some(path),
            license: crate::scaffold::License::parse(license)?,
            ci: crate::scaffold::Ci::parse(ci)?,
            readme: if rst {
                crate::scaffold::ReadmeFormat::Rst
            } else {
                crate::scaffold::ReadmeFormat::Markdown
            },
            namespace,
            data_science,
            git,
            force_name,
            author_name: author,
            author_email: email,
        };
        crate::scaffold::create(&options)
    })?;
    Ok(created.path.display().to_string())
}

/// Add pieces to the project at `path` (`packkit new --update`); the report. Public as
/// `packkit.update`.
#[pyfunction(name = "update")]
#[pyo3(signature = (
    path,
    *,
    ci = None,
    data_science = false,
    docs = false,
    pre_commit = false,
    nox = false,
    dry_run = false,
    allow_dirty = false,
    write_conflicts = false,
))]
#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)] // Python keywords
fn update_project(
    py: Python<'_>,
    path: PathBuf,
    ci: Option<&str>,
    data_science: bool,
    docs: bool,
    pre_commit: bool,
    nox: bool,
    dry_run: bool,
    allow_dirty: bool,
    write_conflicts: bool,
) -> PyResult<update_report::UpdateReport> {
    use crate::scaffold::update::{Piece, UpdateOptions};
    let report = engine(py, || {
        let mut pieces = Vec::new();
        if let Some(ci) = ci {
            pieces.push(Piece::Ci(crate::scaffold::Ci::parse(ci)?));
        }
        for (wanted, piece) in [
            (data_science, Piece::DataScience),
            (docs, Piece::Docs),
            (pre_commit, Piece::PreCommit),
            (nox, Piece::Nox),
        ] {
            if wanted {
                pieces.push(piece);
            }
        }
        crate::scaffold::update::update(&UpdateOptions {
            path,
            pieces,
            dry_run,
            allow_dirty,
            write_conflicts,
        })
    })?;
    Ok(update_report::UpdateReport::new(report))
}

/// The state of the project at `root`: `packkit.status()`.
#[pyfunction]
#[pyo3(signature = (root = None))]
fn status(py: Python<'_>, root: Option<PathBuf>) -> PyResult<status_view::Status> {
    let root = project_root(root);
    let search_path = python_search_path(py)?;
    let state = engine(py, || {
        crate::status::status(&root, &Environment::from_process(), &search_path)
    })?;
    Ok(status_view::Status::new(state))
}

/// One translated piece: (file, old configuration, what it became).
type ChangeRow = (String, String, String);
/// One untranslatable piece: (file, key, reason, fix).
type UntranslatableRow = (String, String, String, String);

/// Migrate a project (`packkit migrate`): (pyproject.toml path, written, changes,
/// untranslatable).
#[pyfunction]
#[pyo3(signature = (path, *, dry_run = false, force = false, clean = false))]
fn migrate_project(
    py: Python<'_>,
    path: PathBuf,
    dry_run: bool,
    force: bool,
    clean: bool,
) -> PyResult<(String, bool, Vec<ChangeRow>, Vec<UntranslatableRow>)> {
    let report = engine(py, || {
        let options = crate::migrate::Options {
            dry_run,
            force,
            clean,
        };
        crate::migrate::migrate(&path, &options)
    })?;
    Ok((
        report.path.display().to_string(),
        report.written,
        report
            .changes
            .into_iter()
            .map(|c| (c.file, c.source, c.target))
            .collect(),
        report
            .untranslatable
            .into_iter()
            .map(|u| (u.file, u.key, u.reason, u.fix))
            .collect(),
    ))
}

/// The next version of the project at `root` from the Conventional Commits since its last
/// version tag; `None` when no commit calls for a release.
#[pyfunction]
#[pyo3(signature = (root = None))]
fn next_version(py: Python<'_>, root: Option<PathBuf>) -> PyResult<Option<String>> {
    engine(py, || {
        let (history, settings) = commits::load(&project_root(root), None, &OTHER_KEYS)?;
        Ok(commits::next_version(&history, settings).version)
    })
}

/// The Markdown changelog of the Conventional Commits since `since` (default: the last
/// version tag).
#[pyfunction]
#[pyo3(signature = (root = None, *, since = None))]
fn changelog(py: Python<'_>, root: Option<PathBuf>, since: Option<String>) -> PyResult<String> {
    engine(py, || {
        let (history, _) = commits::load(&project_root(root), since.as_deref(), &OTHER_KEYS)?;
        Ok(commits::changelog(&history).markdown())
    })
}

/// Run the command line with `argv` (the program name first); the exit code.
#[pyfunction]
fn run_cli(py: Python<'_>, argv: Vec<String>) -> PyResult<i32> {
    let interpreter = crate::interpreter::Interpreter::running(
        // `migrate --verify` builds with the old backend in this interpreter.
        py.import("sys")?
            .getattr("executable")?
            .extract::<Option<String>>()?
            .filter(|p| !p.is_empty())
            .map(PathBuf::from),
        python_search_path(py)?,
    );
    engine(py, || Ok(crate::cli::run(argv, &interpreter)))
}

/// `sys.path`: where the running interpreter finds installed distributions, in order.
fn python_search_path(py: Python<'_>) -> PyResult<Vec<PathBuf>> {
    let entries: Vec<String> = py.import("sys")?.getattr("path")?.extract()?;
    Ok(entries
        .into_iter()
        .map(crate::interpreter::search_path_entry)
        .collect())
}

#[pymodule]
fn _packkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<version::PyVersion>()?;
    m.add_class::<scm_version::ScmVersion>()?;
    m.add_function(wrap_pyfunction!(get_version, m)?)?;
    m.add_function(wrap_pyfunction!(describe, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_class::<status_view::Status>()?;
    m.add_function(wrap_pyfunction!(status, m)?)?;
    m.add_function(wrap_pyfunction!(build_wheel, m)?)?;
    m.add_function(wrap_pyfunction!(build_sdist, m)?)?;
    m.add_function(wrap_pyfunction!(prepare_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(files, m)?)?;
    m.add_function(wrap_pyfunction!(core_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(new_project, m)?)?;
    m.add_class::<update_report::UpdateReport>()?;
    m.add_function(wrap_pyfunction!(update_project, m)?)?;
    m.add_function(wrap_pyfunction!(migrate_project, m)?)?;
    m.add_function(wrap_pyfunction!(next_version, m)?)?;
    m.add_function(wrap_pyfunction!(changelog, m)?)?;
    Ok(())
}
