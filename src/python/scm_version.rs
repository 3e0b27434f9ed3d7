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
}

impl ScmVersion {
    pub fn new(described: Described) -> Self {
        ScmVersion {
            record: described.record(),
            described,
        }
    }

    fn version(&self, py: Python<'_>) -> PyResult<String> {
        let env = Environment::from_process();
        engine(py, || self.described.render(&env, None, None))
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
}

#[pymethods]
impl ScmVersion {
    /// The project directory (where `pyproject.toml` is).
    #[getter]
    fn root(&self) -> String {
        self.described.settings.project_dir.display().to_string()
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

    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        Ok(report::html_table(
            &self.version(py)?,
            &self.described.rows(),
        ))
    }

    fn _repr_markdown_(&self) -> String {
        report::markdown_table(&self.described.rows())
    }
}
