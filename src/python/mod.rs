//! The PyO3 boundary: conversions and error mapping only, no logic.

mod version;

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::config::{Overrides, Settings};
use crate::error::Error;
use crate::resolve::{self, Described, Environment, Source};
use crate::version::schemes::{Facts, LocalScheme, Tag, VersionScheme};

/// Turn an engine error into the matching `packkit.errors` exception (one exhaustive match).
pub(crate) fn to_py_err(py: Python<'_>, error: Error) -> PyErr {
    let errors = match py.import("packkit.errors") {
        Ok(module) => module,
        Err(err) => return err,
    };
    let message = error.to_string();
    let made = match error {
        Error::Config(config) => errors.getattr("ConfigError").and_then(|class| {
            class.call1((
                message,
                config.path.map(|p| p.display().to_string()),
                config.line,
                config.column,
                config.key,
            ))
        }),
        Error::Problems(problems) => {
            let first = problems.first();
            errors.getattr("ConfigError").and_then(|class| {
                class.call1((
                    message,
                    first
                        .and_then(|p| p.path.as_ref())
                        .map(|p| p.display().to_string()),
                    first.and_then(|p| p.line),
                    first.and_then(|p| p.column),
                    first.and_then(|p| p.key.clone()),
                ))
            })
        }
        Error::Build { .. } => errors
            .getattr("BuildError")
            .and_then(|c| c.call1((message,))),
        Error::InvalidVersion { .. } => errors
            .getattr("InvalidVersion")
            .and_then(|c| c.call1((message,))),
        Error::Scm { .. } => errors.getattr("ScmError").and_then(|c| c.call1((message,))),
        Error::Io { .. } => errors
            .getattr("PackkitError")
            .and_then(|c| c.call1((message,))),
    };
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(err) => err,
    }
}

fn overrides_from(dict: Option<&Bound<'_, PyDict>>) -> PyResult<Overrides> {
    let mut overrides = Overrides::default();
    let Some(dict) = dict else {
        return Ok(overrides);
    };
    for (key, value) in dict.iter() {
        let key: String = key.extract()?;
        let text = || -> PyResult<Option<String>> { value.extract() };
        match key.as_str() {
            "version_scheme" => overrides.version_scheme = text()?,
            "local_scheme" => overrides.local_scheme = text()?,
            "tag_regex" => overrides.tag_regex = text()?,
            "tag_prefix" => overrides.tag_prefix = text()?,
            "fallback_version" => overrides.fallback_version = text()?,
            "dist_name" => overrides.dist_name = text()?,
            "normalize" => overrides.normalize = value.extract()?,
            other => return Err(PyValueError::new_err(format!("unknown setting {other:?}"))),
        }
    }
    Ok(overrides)
}

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

#[pyfunction]
#[pyo3(signature = (root, overrides=None, write_version_file=false))]
fn get_version(
    py: Python<'_>,
    root: PathBuf,
    overrides: Option<&Bound<'_, PyDict>>,
    write_version_file: bool,
) -> PyResult<String> {
    let overrides = overrides_from(overrides)?;
    let env = Environment::from_process();
    let resolved = py
        .detach(|| {
            let settings = Settings::load(&root, &overrides)?;
            let resolved = resolve::resolve(&settings, &env)?;
            if write_version_file {
                let node = resolved
                    .described
                    .as_ref()
                    .and_then(|d| d.facts.short_node().map(str::to_owned));
                resolve::write_version_file(&settings, &resolved.version, node.as_deref())?;
            }
            Ok(resolved)
        })
        .map_err(|err| to_py_err(py, err))?;
    log_warnings(py, &resolved.warnings)?;
    Ok(resolved.version)
}

#[pyfunction]
#[pyo3(signature = (root, overrides=None))]
fn describe<'py>(
    py: Python<'py>,
    root: PathBuf,
    overrides: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyDict>> {
    let overrides = overrides_from(overrides)?;
    let (settings, described) = py
        .detach(|| {
            let settings = Settings::load(&root, &overrides)?;
            let described = resolve::describe(&settings)?;
            Ok::<_, Error>((settings, described))
        })
        .map_err(|err| to_py_err(py, err))?;
    log_warnings(py, &described.warnings)?;
    facts_to_dict(py, &settings, &described)
}

fn facts_to_dict<'py>(
    py: Python<'py>,
    settings: &Settings,
    described: &Described,
) -> PyResult<Bound<'py, PyDict>> {
    let facts = &described.facts;
    let dict = PyDict::new(py);
    dict.set_item("root", settings.project_dir.display().to_string())?;
    dict.set_item(
        "tag",
        facts
            .tag
            .as_ref()
            .map(|t| t.version.to_string())
            .or_else(|| described.preformatted.clone()),
    )?;
    dict.set_item("tag_name", facts.tag.as_ref().map(|t| t.name.clone()))?;
    dict.set_item("distance", facts.distance)?;
    dict.set_item("node", facts.short_node())?;
    dict.set_item("dirty", facts.dirty)?;
    dict.set_item("branch", facts.branch.clone())?;
    dict.set_item("node_date", facts.node_date.map(|d| d.to_string()))?;
    dict.set_item("shallow", facts.shallow)?;
    dict.set_item("source", described.source.name())?;
    let overrides = PyDict::new(py);
    if let Some(name) = &settings.dist_name {
        overrides.set_item("dist_name", name)?;
    }
    dict.set_item("settings", overrides)?;
    Ok(dict)
}

/// Format facts (a dict as `describe` returns) with the named schemes.
#[pyfunction]
fn format_version(
    py: Python<'_>,
    facts: &Bound<'_, PyDict>,
    version_scheme: &str,
    local_scheme: &str,
) -> PyResult<String> {
    let get = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        facts
            .get_item(key)?
            .ok_or_else(|| PyValueError::new_err(format!("facts have no {key:?}")))
    };
    let root: PathBuf = get("root")?.extract()?;
    let settings =
        Settings::load(&root, &Overrides::default()).map_err(|err| to_py_err(py, err))?;
    let scheme = VersionScheme::from_name(version_scheme).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown version scheme {version_scheme:?}; known: {}",
            VersionScheme::NAMES.join(", ")
        ))
    })?;
    let local = LocalScheme::from_name(local_scheme).ok_or_else(|| {
        PyValueError::new_err(format!(
            "unknown local scheme {local_scheme:?}; known: {}",
            LocalScheme::NAMES.join(", ")
        ))
    })?;
    let source: String = get("source")?.extract()?;
    let tag_text: Option<String> = get("tag")?.extract()?;
    let tag_name: Option<String> = get("tag_name")?.extract()?;
    // The tag as the project's matcher reads it, which keeps its text for `normalize = false`.
    let tag = match (&tag_name, &tag_text) {
        (Some(name), Some(text)) => match settings.tag.parse(name) {
            Some(tag) => Some(tag),
            None => Some(Tag {
                name: name.clone(),
                version: crate::version::parse(text).map_err(|err| to_py_err(py, err))?,
                text: text.clone(),
            }),
        },
        _ => None,
    };
    let node_date: Option<String> = get("node_date")?.extract()?;
    let node: Option<String> = get("node")?.extract()?;
    let described = Described {
        facts: Facts {
            tag,
            distance: get("distance")?.extract()?,
            node,
            dirty: get("dirty")?.extract()?,
            branch: get("branch")?.extract()?,
            node_date: node_date.and_then(|d| d.parse().ok()),
            shallow: get("shallow")?.extract()?,
        },
        source: Source::Git,
        preformatted: if tag_name.is_none() && matches!(source.as_str(), "pkg-info" | "fallback") {
            tag_text
        } else {
            None
        },
        warnings: Vec::new(),
    };
    resolve::format(
        &settings,
        &described,
        &Environment::from_process(),
        scheme,
        local,
    )
    .map_err(|err| to_py_err(py, err))
}

fn load_project(py: Python<'_>, project_dir: &std::path::Path) -> PyResult<crate::build::Project> {
    crate::build::Project::load(project_dir).map_err(|err| to_py_err(py, err))
}

#[pyfunction]
#[pyo3(signature = (project_dir, out_dir, editable=false, metadata_dir=None))]
fn build_wheel(
    py: Python<'_>,
    project_dir: PathBuf,
    out_dir: PathBuf,
    editable: bool,
    metadata_dir: Option<PathBuf>,
) -> PyResult<String> {
    let env = Environment::from_process();
    let path = py
        .detach(|| {
            let project = crate::build::Project::load(&project_dir)?;
            let request = crate::build::WheelRequest {
                out_dir: &out_dir,
                editable,
                metadata_dir: metadata_dir.as_deref(),
            };
            crate::build::build_wheel(&project, &request, &env)
        })
        .map_err(|err| to_py_err(py, err))?;
    Ok(file_name(&path))
}

#[pyfunction]
fn build_sdist(py: Python<'_>, project_dir: PathBuf, out_dir: PathBuf) -> PyResult<String> {
    let env = Environment::from_process();
    let path = py
        .detach(|| {
            let project = crate::build::Project::load(&project_dir)?;
            crate::build::build_sdist(&project, &out_dir, &env)
        })
        .map_err(|err| to_py_err(py, err))?;
    Ok(file_name(&path))
}

#[pyfunction]
fn prepare_metadata(py: Python<'_>, project_dir: PathBuf, out_dir: PathBuf) -> PyResult<String> {
    let env = Environment::from_process();
    py.detach(|| {
        let project = crate::build::Project::load(&project_dir)?;
        crate::build::prepare_metadata(&project, &out_dir, &env)
    })
    .map_err(|err| to_py_err(py, err))
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every configuration problem of the project, as dicts (empty when it is valid).
#[pyfunction]
fn check<'py>(py: Python<'py>, project_dir: PathBuf) -> PyResult<Bound<'py, PyList>> {
    let problems = match crate::build::Project::load(&project_dir) {
        Ok(_) => Vec::new(),
        Err(Error::Problems(problems)) => problems,
        Err(Error::Config(problem)) => vec![*problem],
        Err(other) => return Err(to_py_err(py, other)),
    };
    let list = PyList::empty(py);
    for problem in problems {
        let dict = PyDict::new(py);
        dict.set_item(
            "path",
            problem.path.as_ref().map(|p| p.display().to_string()),
        )?;
        dict.set_item("line", problem.line)?;
        dict.set_item("column", problem.column)?;
        dict.set_item("key", problem.key.clone())?;
        dict.set_item("message", problem.message.clone())?;
        dict.set_item("hint", problem.hint.clone())?;
        dict.set_item("text", problem.to_string())?;
        list.append(dict)?;
    }
    Ok(list)
}

/// What goes into the wheel and the sdist and why, and what is left out.
#[pyfunction]
fn files<'py>(py: Python<'py>, project_dir: PathBuf) -> PyResult<Bound<'py, PyDict>> {
    let project = load_project(py, &project_dir)?;
    let version = project
        .version(&Environment::from_process())
        .map_err(|err| to_py_err(py, err))?;
    let (wheel, wheel_out) = project
        .wheel_files(&version)
        .map_err(|err| to_py_err(py, err))?;
    let (sdist, sdist_out) = project
        .sdist_files(None)
        .map_err(|err| to_py_err(py, err))?;
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
    let project = load_project(py, &project_dir)?;
    let version = project
        .version(&Environment::from_process())
        .map_err(|err| to_py_err(py, err))?;
    Ok(project.metadata.core_metadata(&version))
}

#[pyfunction]
fn run_cli(py: Python<'_>, argv: &Bound<'_, PyList>) -> PyResult<i32> {
    let args: Vec<String> = argv.extract()?;
    Ok(py.detach(|| crate::cli::run(args)))
}

#[pymodule]
fn _packkit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<version::PyVersion>()?;
    m.add_function(wrap_pyfunction!(get_version, m)?)?;
    m.add_function(wrap_pyfunction!(describe, m)?)?;
    m.add_function(wrap_pyfunction!(format_version, m)?)?;
    m.add_function(wrap_pyfunction!(run_cli, m)?)?;
    m.add_function(wrap_pyfunction!(build_wheel, m)?)?;
    m.add_function(wrap_pyfunction!(build_sdist, m)?)?;
    m.add_function(wrap_pyfunction!(prepare_metadata, m)?)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(files, m)?)?;
    m.add_function(wrap_pyfunction!(core_metadata, m)?)?;
    Ok(())
}
