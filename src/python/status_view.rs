//! `packkit.Status`: the state of a project ([`crate::status::Status`]) as a frozen Python
//! object with its notebook views.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::status::Status as State;

#[pyclass(name = "Status", module = "packkit", frozen)]
pub struct Status {
    state: State,
}

impl Status {
    pub fn new(state: State) -> Self {
        Status { state }
    }
}

#[pymethods]
impl Status {
    /// The project's name (`[project] name`).
    #[getter]
    fn project(&self) -> String {
        self.state.project.clone()
    }

    /// The project directory, absolute.
    #[getter]
    fn root(&self) -> PathBuf {
        self.state.root.clone()
    }

    /// The version a build would have now.
    #[getter]
    fn version(&self) -> String {
        self.state.version.clone()
    }

    /// The installed distribution's version; `None` when it is not installed.
    #[getter]
    fn installed(&self) -> Option<String> {
        self.state.installed.as_ref().map(|i| i.version.clone())
    }

    /// Installed with `pip install -e` (its `direct_url.json` says so).
    #[getter]
    fn editable(&self) -> bool {
        self.state.installed.as_ref().is_some_and(|i| i.editable)
    }

    /// The installed version differs from `version`.
    #[getter]
    fn stale(&self) -> bool {
        self.state.stale
    }

    /// The command that refreshes a stale install; `None` when it is not stale.
    #[getter]
    fn fix(&self) -> Option<String> {
        self.state.fix.clone()
    }

    /// The last version tag's name (`None` without one).
    #[getter]
    fn tag(&self) -> Option<String> {
        self.state.tag.clone()
    }

    /// Commits since that tag.
    #[getter]
    fn distance(&self) -> u64 {
        self.state.distance
    }

    /// Tracked files that differ from HEAD (counted up to 1,000).
    #[getter]
    fn dirty_files(&self) -> usize {
        self.state.dirty_files
    }

    #[getter]
    fn branch(&self) -> Option<String> {
        self.state.branch.clone()
    }

    /// HEAD's full commit id.
    #[getter]
    fn commit(&self) -> Option<String> {
        self.state.commit.clone()
    }

    /// HEAD's commit date (UTC), `YYYY-MM-DD`.
    #[getter]
    fn date(&self) -> Option<String> {
        self.state.date.clone()
    }

    /// `"unstable"`, `"testing"` or `"stable"`.
    #[getter]
    fn channel(&self) -> &'static str {
        self.state.channel.name()
    }

    /// The version may be published (`packkit channel` lists why not).
    #[getter]
    fn publishable(&self) -> bool {
        self.state.publishable
    }

    /// Every field as plain values (what `packkit status --format json` prints).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let text = serde_json::to_string(&self.state)
            .map_err(|err| pyo3::exceptions::PyValueError::new_err(err.to_string()))?;
        Ok(py
            .import("json")?
            .call_method1("loads", (text,))?
            .cast_into()?)
    }

    fn __str__(&self) -> String {
        self.state.text()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Status project={:?} version={:?} installed={:?} stale={} channel={:?}>",
            self.state.project,
            self.state.version,
            self.installed(),
            if self.state.stale { "True" } else { "False" },
            self.state.channel.name()
        )
    }

    fn _repr_html_(&self) -> String {
        self.state.html()
    }

    fn _repr_markdown_(&self) -> String {
        self.state.markdown()
    }
}
