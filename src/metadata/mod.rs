//! PEP 621 `[project]` → validated project metadata → core metadata (METADATA, PKG-INFO).
//! (Minimal placeholder while the full module is written on its own branch.)

use std::path::{Path, PathBuf};

use crate::config::PyProject;
use crate::error::ConfigError;

pub struct ProjectMetadata {
    pub name: String,
    pub version: Option<String>,
    pub dynamic: Vec<String>,
    pub scripts: Vec<(String, String)>,
    pub gui_scripts: Vec<(String, String)>,
    pub entry_points: Vec<(String, Vec<(String, String)>)>,
    pub license_files: Vec<PathBuf>,
    pub readme_file: Option<PathBuf>,
}

pub fn normalize_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

impl ProjectMetadata {
    pub fn load(pyproject: &PyProject, _project_dir: &Path) -> Result<Self, Vec<ConfigError>> {
        let table = pyproject
            .table("project")
            .map_err(|e| vec![*Box::new(config_error(e))])?;
        let Some(table) = table else {
            return Err(vec![pyproject.error_at(
                None,
                "project",
                "missing [project] table".into(),
                None,
            )]);
        };
        let name = table
            .get("name")
            .and_then(|i| i.as_str())
            .unwrap_or_default()
            .to_owned();
        let version = table
            .get("version")
            .and_then(|i| i.as_str())
            .map(str::to_owned);
        let dynamic = table
            .get("dynamic")
            .and_then(|i| i.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let pairs = |key: &str| -> Vec<(String, String)> {
            table
                .get(key)
                .and_then(|i| i.as_table_like())
                .map(|t| {
                    t.iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.to_owned(), v.to_owned())))
                        .collect()
                })
                .unwrap_or_default()
        };
        Ok(ProjectMetadata {
            name,
            version,
            dynamic,
            scripts: pairs("scripts"),
            gui_scripts: pairs("gui-scripts"),
            entry_points: Vec::new(),
            license_files: Vec::new(),
            readme_file: None,
        })
    }

    pub fn normalized_name(&self) -> String {
        normalize_name(&self.name)
    }

    pub fn file_name(&self) -> String {
        self.normalized_name().replace('-', "_")
    }

    pub fn core_metadata(&self, version: &str) -> String {
        format!(
            "Metadata-Version: 2.1\nName: {}\nVersion: {version}\n",
            self.name
        )
    }

    pub fn entry_points_txt(&self) -> Option<String> {
        let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
        if !self.scripts.is_empty() {
            groups.push(("console_scripts".into(), self.scripts.clone()));
        }
        if !self.gui_scripts.is_empty() {
            groups.push(("gui_scripts".into(), self.gui_scripts.clone()));
        }
        groups.extend(self.entry_points.iter().cloned());
        if groups.is_empty() {
            return None;
        }
        let mut out = String::new();
        for (group, entries) in groups {
            out.push_str(&format!("[{group}]\n"));
            for (name, value) in entries {
                out.push_str(&format!("{name} = {value}\n"));
            }
            out.push('\n');
        }
        Some(out)
    }
}

fn config_error(error: crate::error::Error) -> ConfigError {
    match error {
        crate::error::Error::Config(config) => *config,
        other => ConfigError {
            path: None,
            line: None,
            column: None,
            key: None,
            message: other.to_string(),
            hint: None,
        },
    }
}
