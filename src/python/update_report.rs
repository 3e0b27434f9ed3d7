//! `packkit.UpdateReport`: the report of `packkit new --update` ([`Report`]) as a frozen
//! Python object; its text and HTML come from the engine.

use std::collections::BTreeMap;

use pyo3::prelude::*;

use crate::scaffold::update::{FileOutcome, Report};

#[pyclass(name = "UpdateReport", module = "packkit", frozen)]
pub struct UpdateReport {
    report: Report,
}

impl UpdateReport {
    pub fn new(report: Report) -> Self {
        UpdateReport { report }
    }
}

#[pymethods]
impl UpdateReport {
    /// The project folder.
    #[getter]
    fn root<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("pathlib")?
            .getattr("Path")?
            .call1((self.report.root.clone(),))
    }

    /// Whether this was a dry run (nothing written).
    #[getter]
    fn dry_run(&self) -> bool {
        self.report.dry_run
    }

    /// Whether the update writes anything (nothing on a second run).
    #[getter]
    fn changed(&self) -> bool {
        self.report.changed
    }

    /// The files created (with a dry run: that would be).
    #[getter]
    fn created(&self) -> Vec<String> {
        self.report.paths(|o| *o == FileOutcome::Created)
    }

    /// The files already there, byte for byte as packkit writes them.
    #[getter]
    fn unchanged(&self) -> Vec<String> {
        self.report.paths(|o| *o == FileOutcome::Unchanged)
    }

    /// The files there that differ from packkit's: left as they are.
    #[getter]
    fn conflicts(&self) -> Vec<String> {
        self.report
            .paths(|o| matches!(o, FileOutcome::Conflict { .. }))
    }

    /// The unified diff of each conflict, from the file to packkit's version.
    #[getter]
    fn diffs(&self) -> BTreeMap<String, String> {
        self.report
            .files
            .iter()
            .filter_map(|file| match &file.outcome {
                FileOutcome::Conflict { diff, .. } => Some((file.path.clone(), diff.clone())),
                _ => None,
            })
            .collect()
    }

    /// The `<file>.packkit-new` files written beside the conflicts (`write_conflicts`).
    #[getter]
    fn written_aside(&self) -> Vec<String> {
        self.report.asides()
    }

    /// The `pyproject.toml` keys added (dotted).
    #[getter]
    fn added_keys(&self) -> Vec<String> {
        self.report.keys_where(true)
    }

    /// The `pyproject.toml` keys that were there and are kept as they are.
    #[getter]
    fn kept_keys(&self) -> Vec<String> {
        self.report.keys_where(false)
    }

    /// The unified diff of `pyproject.toml`, or `None` when it is not changed.
    #[getter]
    fn pyproject_diff(&self) -> Option<String> {
        self.report.pyproject_diff.clone()
    }

    fn __str__(&self) -> String {
        self.report.text()
    }

    fn __repr__(&self) -> String {
        format!(
            "<UpdateReport {} created={} unchanged={} conflicts={} added_keys={}{}>",
            self.report.root.display(),
            self.created().len(),
            self.unchanged().len(),
            self.conflicts().len(),
            self.report.keys_where(true).len(),
            if self.report.dry_run { " dry_run" } else { "" }
        )
    }

    fn _repr_html_(&self) -> String {
        self.report.html()
    }
}
