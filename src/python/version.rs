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

    /// A version from its parts, with `packaging.version.Version.from_parts`'s (packaging 26)
    /// keywords, checks and messages.
    #[classmethod]
    #[pyo3(signature = (*, epoch = None, release, pre = None, post = None, dev = None, local = None))]
    fn from_parts(
        _class: &Bound<'_, pyo3::types::PyType>,
        epoch: Option<&Bound<'_, PyAny>>,
        release: &Bound<'_, PyAny>,
        pre: Option<&Bound<'_, PyAny>>,
        post: Option<&Bound<'_, PyAny>>,
        dev: Option<&Bound<'_, PyAny>>,
        local: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let py = release.py();
        let invalid =
            |message: String| super::to_py_err(py, crate::error::Error::invalid_version(message));
        // packaging: `epoch = value or 0`.
        let epoch = match epoch {
            Some(value) if value.is_truthy()? => number(value).ok_or_else(|| {
                invalid(format!(
                    "epoch must be non-negative integer, got {}",
                    shown(value)
                ))
            })?,
            _ => 0,
        };
        // packaging: `release = (0,) if value is None else value`.
        let release_numbers = if release.is_none() {
            Some(vec![0])
        } else {
            release
                .cast::<PyTuple>()
                .ok()
                .filter(|numbers| !numbers.is_empty())
                .and_then(|numbers| {
                    numbers
                        .iter()
                        .map(|n| number(&n))
                        .collect::<Option<Vec<_>>>()
                })
        }
        .ok_or_else(|| {
            invalid(format!(
                "release must be a non-empty tuple of non-negative integers, got {}",
                shown(release)
            ))
        })?;
        let pre = pre
            .map(|value| {
                pre_release(value).ok_or_else(|| {
                    invalid(format!(
                        "pre must be a tuple of ('a'|'b'|'rc', non-negative int), got {}",
                        shown(value)
                    ))
                })
            })
            .transpose()?;
        let counter = |name: &str, value: Option<&Bound<'_, PyAny>>| {
            value
                .map(|value| {
                    number(value).ok_or_else(|| {
                        invalid(format!(
                            "{name} must be non-negative integer, got {}",
                            shown(value)
                        ))
                    })
                })
                .transpose()
        };
        let post = counter("post", post)?;
        let dev = counter("dev", dev)?;
        let local = local
            .map(|value| {
                value
                    .cast::<PyString>()
                    .ok()
                    .and_then(|text| text.to_str().ok())
                    .filter(|text| version::is_local_label(text))
                    .ok_or_else(|| {
                        let repr = value
                            .repr()
                            .map_or_else(|_| shown(value), |r| r.to_string());
                        invalid(format!("local must be a valid version string, got {repr}"))
                    })
            })
            .transpose()?;
        let inner = super::engine(py, || {
            version::from_parts(epoch, &release_numbers, pre, post, dev, local)
        })?;
        Ok(PyVersion { inner })
    }

    /// The next version for a release of kind `part` (major, minor, patch, pre, rc, dev, final).
    fn bump(&self, py: Python<'_>, part: &str) -> PyResult<Self> {
        let inner = super::engine(py, || version::bump(&self.inner, part))?;
        Ok(PyVersion { inner })
    }
}

/// `value` as one of a version's numbers: a non-negative `int` (`bool` included, as packaging
/// takes it). One of 2**64 or more is given as `u64::MAX`, which `version::parse` refuses
/// with "too large".
fn number(value: &Bound<'_, PyAny>) -> Option<u64> {
    if !value.is_instance_of::<pyo3::types::PyInt>() || value.lt(0).ok()? {
        return None;
    }
    Some(value.extract::<u64>().unwrap_or(u64::MAX))
}

/// A pre-release part `(letter, number)`, the letter normalised to `a`, `b` or `rc`.
fn pre_release(value: &Bound<'_, PyAny>) -> Option<(&'static str, u64)> {
    let pair = value
        .cast::<PyTuple>()
        .ok()
        .filter(|pair| pair.len() == 2)?;
    let letter = pair.get_item(0).ok()?;
    let letter = version::pre_letter(letter.cast::<PyString>().ok()?.to_str().ok()?)?;
    Some((letter, number(&pair.get_item(1).ok()?)?))
}

/// `str(value)` for a message, as packaging's f-strings show it.
fn shown(value: &Bound<'_, PyAny>) -> String {
    value
        .str()
        .map_or_else(|_| "<unprintable>".to_owned(), |text| text.to_string())
}
