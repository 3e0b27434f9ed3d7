//! PEP 621 `[project]` → validated project metadata → core metadata (METADATA, PKG-INFO).
//!
//! [`ProjectMetadata::load`] reads every field, collects every problem (each with file, line,
//! column, key and a hint) and only succeeds on a table that produces valid core metadata.
//! The writers, [`ProjectMetadata::core_metadata`] and [`ProjectMetadata::entry_points_txt`],
//! write every value through [`crate::lines`], whose guards fail only on a value the readers
//! should have refused (an internal error).

mod fields;
mod license;

pub use license::deprecated_ids;
mod pep508;
mod write;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use crate::error::{ConfigError, Result};
use crate::pyproject::PyProject;

pub use license::canonical_expression;
pub use pep508::{is_valid_name, normalize_name};

/// The long description and its `Description-Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Readme {
    pub text: String,
    /// `text/markdown`, `text/x-rst` or `text/plain`, with parameters if given.
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum License {
    /// A PEP 639 SPDX expression, canonicalised (`MIT OR Apache-2.0`) → `License-Expression`.
    Expression(String),
    /// The legacy `{ text = ... }` / `{ file = ... }` table → `License`.
    Text(String),
}

/// An entry of `authors` or `maintainers`; at least one of the two is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// The validated `[project]` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectMetadata {
    /// As written (`Demo.Pkg`); see [`Self::normalized_name`] and [`Self::file_name`].
    pub name: String,
    /// The static version, PEP 440-normalised; `None` when `version` is dynamic.
    pub version: Option<String>,
    pub description: Option<String>,
    pub readme: Option<Readme>,
    /// The readme path relative to the project directory, when the readme is a file.
    pub readme_file: Option<PathBuf>,
    /// Normalised like `packaging`'s `str(SpecifierSet)` (`<4,>=3.9`).
    pub requires_python: Option<String>,
    pub license: Option<License>,
    /// Relative to the project directory, `/`-separated, sorted, without duplicates.
    pub license_files: Vec<PathBuf>,
    pub authors: Vec<Person>,
    pub maintainers: Vec<Person>,
    pub keywords: Vec<String>,
    pub classifiers: Vec<String>,
    /// `[project.urls]`: label → URL, in file order.
    pub urls: Vec<(String, String)>,
    /// `dependencies`, each printed like `packaging`'s `str(Requirement)`.
    pub dependencies: Vec<String>,
    /// PEP 685-normalised extra → its requirements (printed like `dependencies`).
    pub optional_dependencies: Vec<(String, Vec<String>)>,
    /// Every `Requires-Dist` value: the dependencies, then each extra's requirements with
    /// `extra == "..."` added to the marker.
    pub requires_dist: Vec<String>,
    pub dynamic: Vec<String>,
    pub scripts: Vec<(String, String)>,
    pub gui_scripts: Vec<(String, String)>,
    /// group → (name, value), in file order.
    pub entry_points: Vec<(String, Vec<(String, String)>)>,
}

impl ProjectMetadata {
    /// Every problem at once (not just the first), each with file:line:col and key.
    pub fn load(
        pyproject: &PyProject,
        project_dir: &Path,
    ) -> std::result::Result<Self, Vec<ConfigError>> {
        fields::load(pyproject, project_dir)
    }

    /// The PEP 503 normalised name (`my-pkg`).
    pub fn normalized_name(&self) -> String {
        normalize_name(&self.name)
    }

    /// The name as used in wheel/sdist file names and .dist-info (`my_pkg`, PEP 427/625).
    pub fn file_name(&self) -> String {
        self.normalized_name().replace('-', "_")
    }

    /// METADATA / PKG-INFO text (RFC 822), lowest Metadata-Version the fields need (2.1–2.4).
    pub fn core_metadata(&self, version: &str) -> Result<String> {
        write::core_metadata(self, version, write::MetadataVersion::V2_1)
    }

    /// PKG-INFO for an sdist: like [`Self::core_metadata`], but at least Metadata-Version 2.2,
    /// which the sdist specification requires (PEP 643). With no `Dynamic` fields written, it
    /// states that every field is final, so wheels built from the sdist must match it.
    pub fn pkg_info(&self, version: &str) -> Result<String> {
        write::core_metadata(self, version, write::MetadataVersion::V2_2)
    }

    /// The Metadata-Version [`Self::core_metadata`] writes: "2.4" with a license expression
    /// or license files, else "2.1".
    pub fn metadata_version(&self) -> &'static str {
        write::needed_version(self).as_str()
    }

    /// entry_points.txt contents, or None when there are no entry points/scripts.
    pub fn entry_points_txt(&self) -> Result<Option<String>> {
        write::entry_points_txt(self)
    }
}
