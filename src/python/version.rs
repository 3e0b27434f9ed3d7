//! `packkit.Version`: pep440_rs's version with `packaging.version.Version`'s Python face.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};

use crate::version::{self, Version};

#[pyclass(name = "Version", module = "packkit", frozen)]
pub struct PyVersion {
    inner: Version,
}

#[pymethods]
impl PyVersion {
    #[new]
    fn new(version: &Bound<'_, PyAny>) -> PyResult<Self> {
        let py = version.py();
        // Like packaging, anything that is not a (valid, encodable) string is an invalid version.
        let Ok(Ok(text)) = version.cast::<PyString>().map(|s| s.to_str()) else {
            let message = format!("Invalid version: {}", version.repr()?);
            return Err(super::to_py_err(
                py,
                crate::error::Error::invalid_version(message),
            ));
        };
        // Through `engine`, as every call into the engine: a panic is an error, not a
        // `PanicException`.
        let inner = super::engine(py, || version::parse(text))?;
        Ok(PyVersion { inner })
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<Version('{}')>", self.inner)
    }

    fn __hash__(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        self.inner.hash(&mut hasher);
        hasher.finish()
    }

    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = other.py();
        let Ok(other) = other.cast::<PyVersion>() else {
            return Ok(py.NotImplemented());
        };
        let result = op.matches(self.inner.cmp(&other.get().inner));
        Ok(result.into_pyobject(py)?.to_owned().into_any().unbind())
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyTuple>> {
        let py = slf.py();
        let class = py.get_type::<PyVersion>();
        PyTuple::new(
            py,
            [
                class.into_any(),
                PyTuple::new(py, [slf.get().inner.to_string()])?.into_any(),
            ],
        )
    }

    #[getter]
    fn epoch(&self) -> u64 {
        self.inner.epoch()
    }

    #[getter]
    fn release<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, self.inner.release())
    }

    #[getter]
    fn pre(&self) -> Option<(String, u64)> {
        self.inner
            .pre()
            .map(|pre| (pre.kind.to_string(), pre.number))
    }

    #[getter]
    fn post(&self) -> Option<u64> {
        self.inner.post()
    }

    #[getter]
    fn dev(&self) -> Option<u64> {
        self.inner.dev()
    }

    #[getter]
    fn local(&self) -> Option<String> {
        let local = self.inner.local();
        if local.is_empty() {
            return None;
        }
        Some(
            local
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("."),
        )
    }

    #[getter]
    fn public(&self) -> String {
        self.inner.clone().without_local().to_string()
    }

    #[getter]
    fn base_version(&self) -> String {
        Version::new(self.inner.release().iter().copied())
            .with_epoch(self.inner.epoch())
            .to_string()
    }

    #[getter]
    fn major(&self) -> u64 {
        self.inner.release().first().copied().unwrap_or(0)
    }

    #[getter]
    fn minor(&self) -> u64 {
        self.inner.release().get(1).copied().unwrap_or(0)
    }

    #[getter]
    fn micro(&self) -> u64 {
        self.inner.release().get(2).copied().unwrap_or(0)
    }

    #[getter]
    fn is_prerelease(&self) -> bool {
        self.inner.is_pre() || self.inner.is_dev()
    }

    #[getter]
    fn is_postrelease(&self) -> bool {
        self.inner.is_post()
    }

    #[getter]
    fn is_devrelease(&self) -> bool {
        self.inner.is_dev()
    }

    /// The next version for a release of kind `part` (major, minor, patch, pre, rc, dev, final).
    fn bump(&self, py: Python<'_>, part: &str) -> PyResult<Self> {
        let inner = super::engine(py, || version::bump(&self.inner, part))?;
        Ok(PyVersion { inner })
    }
}
