//! `packkit.ScmVersion`: the facts record of `resolve` ([`Described`]) as a frozen Python
//! object, which formats itself with the settings it was made with.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::{engine, to_py_err};
use crate::report;
use crate::resolve::{Described, Environment, Record, schemes_by_name};

#[pyclass(name = "ScmVersion", module = "packkit", frozen)]
pub struct ScmVersion {
    described: Described,
    record: Record,
    /// The version of the installed distribution of the same name, if any.
    installed: Option<String>,
}

impl ScmVersion {
    pub fn new(py: Python<'_>, described: Described) -> PyResult<Self> {
        let installed = match &described.settings.dist_name {
            Some(name) => installed_version(py, name)?,
            None => None,
        };
        Ok(ScmVersion {
            record: described.record(),
            described,
            installed,
        })
    }

    fn rendered(&self, py: Python<'_>) -> PyResult<String> {
        let env = Environment::from_process();
        engine(py, || self.described.render(&env, None, None))
    }

    /// The installed distribution's version differs from the source's: an editable install
    /// keeps the version of its last `pip install`, and `importlib.metadata` reports that one.
    pub fn stale_install(&self, py: Python<'_>) -> PyResult<Option<String>> {
        let Some(installed) = &self.installed else {
            return Ok(None);
        };
        let version = self.rendered(py)?;
        let same = match (
            crate::version::parse(installed),
            crate::version::parse(&version),
        ) {
            (Ok(a), Ok(b)) => a == b,
            _ => installed == &version,
        };
        Ok((!same).then(|| {
            format!(
                "the installed {} is {installed}, but its source is now {version}: code that \
                 reads its version (importlib.metadata, __version__ from metadata) sees the \
                 old one; reinstall it (`pip install -e .`, `uv sync --reinstall-package \
                 {0}`) to refresh it",
                self.project().unwrap_or_default()
            )
        }))
    }

    /// The tracked files that differ from HEAD (at most `limit`); none unless read from git.
    fn modified_files(&self, py: Python<'_>, limit: usize) -> PyResult<Vec<String>> {
        if self.record.source != "git" || !self.record.dirty {
            return Ok(Vec::new());
        }
        let scm_root = self.described.settings.scm_root();
        engine(py, || {
            match crate::scm::git::enclosing_work_tree(&scm_root) {
                Some(work_tree) => crate::scm::git::modified_files(&work_tree, limit),
                None => Ok(Vec::new()),
            }
        })
    }

    fn project(&self) -> Option<String> {
        self.described.settings.dist_name.clone()
    }

    fn node_date_object<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let Some(date) = self.described.facts.node_date else {
            return Ok(None);
        };
        let date = py.import("datetime")?.getattr("date")?.call1((
            date.year(),
            date.month(),
            date.day(),
        ))?;
        Ok(Some(date))
    }

    /// The notebook rows: the facts, then the installed version when there is one.
    fn view_rows(&self, py: Python<'_>) -> PyResult<ViewRows> {
        let mut rows = self.described.rows();
        let mut alerts = Vec::new();
        if self.record.dirty {
            alerts.push("dirty");
            let modified = self.modified_files(py, VIEW_FILES + 1)?;
            if let Some((_, value)) = rows.iter_mut().find(|(key, _)| *key == "dirty") {
                let mut shown = modified
                    .iter()
                    .take(VIEW_FILES)
                    .cloned()
                    .collect::<Vec<_>>();
                if modified.len() > VIEW_FILES {
                    shown.push("...".to_owned());
                }
                if !shown.is_empty() {
                    *value = format!("yes: {}", shown.join(", "));
                }
            }
        }
        if let Some(installed) = &self.installed {
            let stale = self.stale_install(py)?.is_some();
            rows.push((
                "installed",
                if stale {
                    format!("{installed} (stale: reinstall to refresh)")
                } else {
                    installed.clone()
                },
            ));
            if stale {
                alerts.push("installed");
            }
        }
        Ok((rows, alerts))
    }
}

/// How many modified files the notebook view names.
const VIEW_FILES: usize = 10;

/// The rows of the notebook view, and the names of those to highlight.
type ViewRows = (Vec<(&'static str, String)>, Vec<&'static str>);

/// `importlib.metadata.version(name)`, `None` when no such distribution is installed.
fn installed_version(py: Python<'_>, name: &str) -> PyResult<Option<String>> {
    let metadata = py.import("importlib.metadata")?;
    match metadata.call_method1("version", (name,)) {
        Ok(version) => Ok(Some(version.extract()?)),
        Err(err) if err.is_instance(py, &metadata.getattr("PackageNotFoundError")?) => Ok(None),
        Err(err) => Err(err),
    }
}

#[pymethods]
impl ScmVersion {
    /// The project directory (where `pyproject.toml` is), absolute.
    #[getter]
    fn root(&self) -> String {
        self.described.absolute_root().display().to_string()
    }

    /// The project's name (`[project] name`), when it has one.
    #[getter(project)]
    fn project_name(&self) -> Option<String> {
        self.project()
    }

    /// The version these facts make, with the settings they were described with.
    #[getter]
    fn version(&self, py: Python<'_>) -> PyResult<String> {
        self.rendered(py)
    }

    /// HEAD's full commit id; `None` without commits (or when no git was read).
    #[getter]
    fn commit(&self) -> Option<String> {
        self.described.commit().map(str::to_owned)
    }

    /// The tracked files that differ from HEAD, sorted (empty when the tree is clean).
    #[getter]
    fn modified(&self, py: Python<'_>) -> PyResult<Vec<String>> {
        self.modified_files(py, usize::MAX)
    }

    /// The version of the installed distribution of this project (`importlib.metadata`),
    /// `None` when it is not installed.
    #[getter]
    fn installed(&self) -> Option<String> {
        self.installed.clone()
    }

    /// The installed distribution has another version than the source (an editable install
    /// after new commits): reinstall to refresh its metadata.
    #[getter]
    fn stale(&self, py: Python<'_>) -> PyResult<bool> {
        Ok(self.stale_install(py)?.is_some())
    }

    /// The version of the nearest tag (`"1.4.0"` for tag `v1.4.0`), or the version used as
    /// is (pretend, PKG-INFO, fallback); `None` when untagged.
    #[getter]
    fn tag(&self) -> Option<String> {
        self.record.tag.clone()
    }

    /// The tag as named in git (`"v1.4.0"`).
    #[getter]
    fn tag_name(&self) -> Option<String> {
        self.record.tag_name.clone()
    }

    /// Commits between the tag (or the root, if untagged) and HEAD.
    #[getter]
    fn distance(&self) -> u64 {
        self.record.distance
    }

    /// `g` and the first 9 hex digits of HEAD's commit id; `None` without commits.
    #[getter]
    fn node(&self) -> Option<String> {
        self.record.node.clone()
    }

    /// Tracked files differ from HEAD (untracked files do not count).
    #[getter]
    fn dirty(&self) -> bool {
        self.record.dirty
    }

    /// The current branch, `"HEAD"` when detached.
    #[getter]
    fn branch(&self) -> Option<String> {
        self.record.branch.clone()
    }

    /// HEAD's commit date in UTC.
    #[getter]
    fn node_date<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.node_date_object(py)
    }

    /// The clone is shallow (its history is cut off).
    #[getter]
    fn shallow(&self) -> bool {
        self.record.shallow
    }

    /// HEAD is exactly on the tag and the tree is clean.
    #[getter]
    fn exact(&self) -> bool {
        self.record.exact
    }

    /// Where the facts came from: `git`, `archival`, `pkg-info`, `fallback`, `pretend`.
    #[getter]
    fn source(&self) -> &'static str {
        self.record.source
    }

    /// The version these facts make: with the schemes they were described with, or the
    /// ones named here.
    #[pyo3(signature = (*, version_scheme = None, local_scheme = None))]
    fn render(
        &self,
        py: Python<'_>,
        version_scheme: Option<&str>,
        local_scheme: Option<&str>,
    ) -> PyResult<String> {
        let (scheme, local) =
            schemes_by_name(version_scheme, local_scheme).map_err(|err| to_py_err(py, err))?;
        let env = Environment::from_process();
        engine(py, || self.described.render(&env, scheme, local))
    }

    /// setuptools_scm's `format_with`: fill a format string with `{tag}`, `{distance}`,
    /// `{node}`, `{dirty}`, `{branch}`, `{node_date}`, `{time}` and the keyword arguments.
    #[pyo3(signature = (fmt, /, **kwargs))]
    fn format_with(
        &self,
        py: Python<'_>,
        fmt: &str,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let fields = PyDict::new(py);
        let time = Environment::from_process()
            .build_time()
            .map_err(|err| to_py_err(py, err))?;
        let datetime = py.import("datetime")?;
        let utc = datetime.getattr("timezone")?.getattr("utc")?;
        let time = datetime
            .getattr("datetime")?
            .call_method1("fromtimestamp", (time.as_second(), utc))?;
        fields.set_item("time", time)?;
        fields.set_item("tag", self.tag())?;
        fields.set_item("distance", self.distance())?;
        fields.set_item("node", self.node())?;
        fields.set_item("dirty", self.dirty())?;
        fields.set_item("branch", self.branch())?;
        fields.set_item("node_date", self.node_date_object(py)?)?;
        if let Some(kwargs) = kwargs {
            // As in setuptools_scm, where the facts and `**kw` are arguments of one call.
            for key in kwargs.keys() {
                if fields.contains(&key)? {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "format_with() got multiple values for keyword argument {}",
                        key.repr()?
                    )));
                }
            }
            fields.update(kwargs.as_mapping())?;
        }
        PyString::new(py, fmt)
            .call_method("format", (), Some(&fields))?
            .extract()
    }

    fn __repr__(&self) -> String {
        let text = |value: &Option<String>| match value {
            Some(value) => format!("{value:?}").replace('"', "'"),
            None => "None".to_owned(),
        };
        let python_bool = |value: bool| if value { "True" } else { "False" };
        let record = &self.record;
        format!(
            "<ScmVersion tag={} distance={} node={} dirty={} branch={} source='{}'>",
            text(&record.tag),
            record.distance,
            text(&record.node),
            python_bool(record.dirty),
            text(&record.branch),
            record.source
        )
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        self.rendered(py)
    }

    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        let (rows, alerts) = self.view_rows(py)?;
        let title = self.project().unwrap_or_else(|| {
            let root = self.described.absolute_root();
            root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            )
        });
        Ok(report::html_table(
            &title,
            &self.rendered(py)?,
            &rows,
            &alerts,
        ))
    }

    fn _repr_markdown_(&self, py: Python<'_>) -> PyResult<String> {
        let (rows, _) = self.view_rows(py)?;
        Ok(report::markdown_table(&rows))
    }
}
