//! `packkit status` and `packkit.status()`: a project at a glance — the version git gives
//! now, the installed distribution's (and whether it is stale, with the command that fixes
//! it), the git facts and the release channel.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::build::Project;
use crate::error::Result;
use crate::metadata::normalize_name;
use crate::release::channel::Channel;
use crate::report;
use crate::resolve::Environment;

/// How many modified files are counted before the count says "or more".
const COUNT_LIMIT: usize = 1000;

/// The distribution of the project installed in the environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Installed {
    pub version: String,
    /// Installed with `pip install -e` (PEP 660): its `direct_url.json` says so.
    pub editable: bool,
    /// The `.dist-info` folder.
    pub dist_info: PathBuf,
}

/// The state of a project.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub project: String,
    pub root: PathBuf,
    /// The version a build would have now.
    pub version: String,
    pub installed: Option<Installed>,
    /// The installed version differs from `version`.
    pub stale: bool,
    /// The command that brings the installed distribution up to date, when it is stale.
    pub fix: Option<String>,
    pub tag: Option<String>,
    pub distance: u64,
    /// Tracked files that differ from HEAD (counted up to 1,000).
    pub dirty_files: usize,
    pub branch: Option<String>,
    pub commit: Option<String>,
    /// HEAD's commit date (UTC), `YYYY-MM-DD`.
    pub date: Option<String>,
    pub channel: Channel,
    pub publishable: bool,
}

/// The status of the project at `dir`; `search_path` is where installed distributions are
/// looked for, in order (Python's `sys.path`).
pub fn status(dir: &Path, env: &Environment, search_path: &[PathBuf]) -> Result<Status> {
    let project = Project::load(dir)?;
    let version = project.version(env)?;
    // One reading of git for the facts shown and the channel's refusals.
    let described = project.git_described();
    let verdict = crate::release::channel::assess(
        &crate::version::parse(&version)?,
        described.as_ref().map(|d| &d.facts),
        &project.channels,
    );
    let facts = described.as_ref().map(crate::resolve::Described::record);
    let dirty_files = match crate::resolve::work_tree(&project.version_settings) {
        Some(work_tree) if facts.as_ref().is_some_and(|f| f.dirty) => {
            crate::scm::git::modified_files(&work_tree, COUNT_LIMIT)?.len()
        }
        _ => 0,
    };
    let name = project.metadata.name.clone();
    let installed = find_installed(&name, search_path);
    let stale = installed.as_ref().is_some_and(|installed| {
        match (
            crate::version::parse(&installed.version),
            crate::version::parse(&version),
        ) {
            (Ok(a), Ok(b)) => a != b,
            _ => installed.version != version,
        }
    });
    let root = std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned());
    let root = crate::paths::without_dots(&root);
    let fix = stale.then(|| {
        format!(
            "pip install -e {}",
            shell_quote(&root.display().to_string())
        )
    });
    Ok(Status {
        project: name,
        root,
        version,
        installed,
        stale,
        fix,
        tag: facts.as_ref().and_then(|f| f.tag_name.clone()),
        distance: facts.as_ref().map_or(0, |f| f.distance),
        dirty_files,
        branch: facts.as_ref().and_then(|f| f.branch.clone()),
        commit: described
            .as_ref()
            .and_then(|d| d.commit().map(str::to_owned)),
        date: facts.as_ref().and_then(|f| f.node_date.clone()),
        channel: verdict.channel,
        publishable: verdict.refusals.is_empty(),
    })
}

/// The distribution named `name` (PEP 503 normalised) in the first folder of `search_path`
/// that has one, as `importlib.metadata` finds it: its `.dist-info` folder's `METADATA`
/// version, and whether `direct_url.json` says it was installed editable.
pub fn find_installed(name: &str, search_path: &[PathBuf]) -> Option<Installed> {
    let wanted = normalize_name(name);
    for folder in search_path {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                let Some(file) = path.file_name().and_then(|f| f.to_str()) else {
                    return false;
                };
                file.strip_suffix(".dist-info")
                    .and_then(|stem| stem.split_once('-'))
                    .is_some_and(|(dist, _)| normalize_name(dist) == wanted)
            })
            .collect();
        found.sort();
        for dist_info in found {
            let Ok(Some(metadata)) = crate::read::optional_text(&dist_info.join("METADATA")) else {
                continue;
            };
            let Some(version) = metadata
                .lines()
                .take_while(|line| !line.is_empty())
                .find_map(|line| line.strip_prefix("Version:"))
            else {
                continue;
            };
            let editable = crate::read::optional_text(&dist_info.join("direct_url.json"))
                .ok()
                .flatten()
                .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
                .and_then(|json| json.pointer("/dir_info/editable")?.as_bool())
                .unwrap_or(false);
            return Some(Installed {
                version: version.trim().to_owned(),
                editable,
                dist_info,
            });
        }
    }
    None
}

/// `text` as one word for a POSIX shell (quoted only when it needs to be).
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+:@".contains(&b))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

impl Status {
    /// The rows of every view, and those to highlight.
    pub fn rows(&self) -> (Vec<(&'static str, String)>, Vec<&'static str>) {
        let or_none = |value: &Option<String>| value.clone().unwrap_or_else(|| "none".to_owned());
        let installed = match &self.installed {
            None => "not installed".to_owned(),
            Some(installed) => format!(
                "{}{}{}",
                installed.version,
                if installed.editable {
                    " (editable)"
                } else {
                    ""
                },
                if self.stale { ", stale" } else { "" }
            ),
        };
        let mut rows = vec![("version", self.version.clone()), ("installed", installed)];
        let mut alerts = Vec::new();
        if let Some(fix) = &self.fix {
            rows.push(("fix", fix.clone()));
            alerts.push("installed");
        }
        rows.extend([
            ("tag", or_none(&self.tag)),
            ("distance", self.distance.to_string()),
            (
                "dirty files",
                if self.dirty_files >= COUNT_LIMIT {
                    format!("{COUNT_LIMIT} or more")
                } else {
                    self.dirty_files.to_string()
                },
            ),
            ("branch", or_none(&self.branch)),
            ("commit", or_none(&self.commit)),
            ("date", or_none(&self.date)),
            (
                "channel",
                format!(
                    "{}{}",
                    self.channel.name(),
                    if self.publishable {
                        ""
                    } else {
                        " (not publishable: `packkit channel` says why)"
                    }
                ),
            ),
            ("project root", self.root.display().to_string()),
        ]);
        if self.dirty_files > 0 {
            alerts.push("dirty files");
        }
        (rows, alerts)
    }

    /// The plain-text view: the name and version, then one `key: value` line per row.
    pub fn text(&self) -> String {
        let (rows, _) = self.rows();
        let width = rows.iter().map(|(key, _)| key.len()).max().unwrap_or(0);
        let mut out = format!("{} {}", self.project, self.version);
        for (key, value) in rows.iter().skip(1) {
            out.push_str(&format!("\n  {key:<width$}  {value}"));
        }
        out
    }

    /// The HTML view (a table, no JavaScript), stale and dirty rows highlighted.
    pub fn html(&self) -> String {
        let (rows, alerts) = self.rows();
        report::html_table(&self.project, &self.version, &rows, &alerts)
    }

    /// The Markdown view: a title line and the table.
    pub fn markdown(&self) -> String {
        let (rows, _) = self.rows();
        format!(
            "**{}** `{}`\n\n{}",
            self.project.replace(['*', '`'], ""),
            self.version,
            report::markdown_table(&rows)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist_info(site: &Path, folder: &str, version: &str, direct_url: Option<&str>) {
        let dir = site.join(folder);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("METADATA"),
            format!("Metadata-Version: 2.4\nName: x\nVersion: {version}\n\nVersion: 9.9\n"),
        )
        .unwrap();
        if let Some(json) = direct_url {
            std::fs::write(dir.join("direct_url.json"), json).unwrap();
        }
    }

    #[test]
    fn the_first_folder_with_the_distribution_wins() {
        let first = tempfile::tempdir().unwrap();
        let second = tempfile::tempdir().unwrap();
        dist_info(first.path(), "other_pkg-1.0.dist-info", "1.0", None);
        dist_info(
            first.path(),
            "My_Project-1.2.dist-info",
            "1.2",
            Some(r#"{"url": "file:///x", "dir_info": {"editable": true}}"#),
        );
        dist_info(second.path(), "my_project-3.0.dist-info", "3.0", None);
        let search = [
            first.path().join("missing"),
            first.path().into(),
            second.path().into(),
        ];
        let found = find_installed("my-project", &search).unwrap();
        assert_eq!((found.version.as_str(), found.editable), ("1.2", true));
        let found = find_installed("my.project", &search[2..]).unwrap();
        assert_eq!((found.version.as_str(), found.editable), ("3.0", false));
        assert_eq!(find_installed("absent", &search), None);
    }

    #[test]
    fn the_fix_is_one_shell_word() {
        assert_eq!(shell_quote("/a/b-c"), "/a/b-c");
        assert_eq!(shell_quote("/a b/it's"), r"'/a b/it'\''s'");
    }
}
