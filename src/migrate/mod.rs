//! `packkit migrate`: another backend's build and version configuration becomes
//! `[tool.packkit]` (and, from `setup.cfg`, `[project]`), through the one editor of
//! `pyproject.toml`, so every byte outside the changed keys stays as it was.
//!
//! Each source backend has its own file; each reads its tables from the original document and
//! records, on a [`Migration`], the keys to set, the change lines to print and what it cannot
//! translate (with the reason and the manual fix). Nothing here runs project code.

mod flit;
mod hatch;
mod pdm;
mod poetry;
mod setup_cfg;
mod setuptools;
mod setuptools_scm;
mod uv;
pub mod verify;

use std::path::{Path, PathBuf};

use toml_edit::{Array, Item, TableLike, Value};

use crate::error::{Error, Result};
use crate::pyproject::edit::Editor;

/// What `packkit migrate` may do.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Compute and report, write nothing.
    pub dry_run: bool,
    /// Write even when something cannot be translated.
    pub force: bool,
    /// Remove the old backends' tables that were translated.
    pub clean: bool,
}

/// One translated piece: `pyproject.toml: [tool.flit.module] name = "foo" -> [tool.packkit] ...`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The file the old configuration is in (`pyproject.toml`, `setup.cfg`).
    pub file: String,
    /// The old configuration.
    pub source: String,
    /// What it becomes.
    pub target: String,
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} -> {}", self.file, self.source, self.target)
    }
}

/// A piece of configuration packkit cannot express, why, and what to do by hand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Untranslatable {
    pub file: String,
    /// The dotted key (`tool.hatch.build.targets.wheel.force-include`).
    pub key: String,
    pub reason: String,
    pub fix: String,
}

impl std::fmt::Display for Untranslatable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: `{}`: {}\n  fix: {}",
            self.file, self.key, self.reason, self.fix
        )
    }
}

/// What a migration did, or would do.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    /// The `pyproject.toml` edited (or that would be).
    pub path: PathBuf,
    pub changes: Vec<Change>,
    pub untranslatable: Vec<Untranslatable>,
    /// Whether `pyproject.toml` was written.
    pub written: bool,
    pub dry_run: bool,
    /// The new text of `pyproject.toml` (written or not).
    #[serde(skip)]
    pub text: String,
}

/// Migrate the project in `project_dir`: plan, then write `pyproject.toml` (atomically) unless
/// this is a dry run, or something cannot be translated and `force` is not given.
pub fn migrate(project_dir: &Path, options: &Options) -> Result<Report> {
    let path = crate::paths::without_dots(&project_dir.join("pyproject.toml"));
    let old = crate::read::optional_text(&path)?;
    let setup_cfg = crate::read::optional_text(&project_dir.join("setup.cfg"))?;
    let setup_py = crate::read::optional_text(&project_dir.join("setup.py"))?;
    if old.is_none() && setup_cfg.is_none() && setup_py.is_none() {
        return Err(Error::build(
            format!(
                "no pyproject.toml, setup.cfg or setup.py in {}: nothing to migrate",
                project_dir.display()
            ),
            Some("run packkit migrate in the project's folder, or give its path".into()),
        ));
    }
    let sources = Sources {
        pyproject: old.as_deref().unwrap_or(""),
        setup_cfg: setup_cfg.as_deref(),
        setup_py: setup_py.as_deref(),
    };
    let mut report = plan(project_dir, &path, &sources, options)?;
    let blocked = !report.untranslatable.is_empty() && !options.force;
    if !options.dry_run && !blocked && old.as_deref() != Some(report.text.as_str()) {
        crate::atomic::write(&path, report.text.as_bytes())?;
        report.written = true;
    }
    Ok(report)
}

/// The texts a migration reads.
pub struct Sources<'a> {
    pub pyproject: &'a str,
    pub setup_cfg: Option<&'a str>,
    pub setup_py: Option<&'a str>,
}

/// The migration of `sources` (the files of the project in `project_dir`, which is only
/// looked at to find packages), without writing anything.
pub fn plan(
    project_dir: &Path,
    path: &Path,
    sources: &Sources<'_>,
    options: &Options,
) -> Result<Report> {
    let original = Editor::parse(path, sources.pyproject)?;
    let edited = Editor::parse(path, sources.pyproject)?;
    let mut m = Migration {
        dir: project_dir,
        original: &original,
        edited,
        changes: Vec::new(),
        untranslatable: Vec::new(),
        old_tables: Vec::new(),
        packages: Vec::new(),
        exclude: Vec::new(),
        packkit_set: Vec::new(),
        dynamic_done: Vec::new(),
        backend: original
            .get(&["build-system", "build-backend"])
            .and_then(Item::as_str)
            .unwrap_or("")
            .to_owned(),
    };
    if let Some(text) = sources.setup_cfg {
        setup_cfg::translate(&mut m, text);
    }
    if let Some(text) = sources.setup_py {
        setuptools::setup_py(&mut m, text);
    }
    setuptools_scm::translate(&mut m);
    hatch::translate(&mut m);
    flit::translate(&mut m);
    setuptools::translate(&mut m);
    pdm::translate(&mut m);
    uv::translate(&mut m);
    poetry::translate(&mut m);
    m.finish(options.clean);
    Ok(Report {
        path: path.to_owned(),
        text: m.edited.to_string(),
        changes: m.changes,
        untranslatable: m.untranslatable,
        written: false,
        dry_run: options.dry_run,
    })
}

/// A migration in progress: the original document (read), the edited one (written), and
/// what is being reported.
pub(crate) struct Migration<'a> {
    dir: &'a Path,
    original: &'a Editor,
    edited: Editor,
    changes: Vec<Change>,
    untranslatable: Vec<Untranslatable>,
    /// The old tables `--clean` removes (translated ones only).
    old_tables: Vec<Vec<String>>,
    /// Package paths (relative to the project) for `[tool.packkit] packages`.
    packages: Vec<String>,
    /// Globs for `[tool.packkit] exclude`.
    exclude: Vec<String>,
    /// `[tool.packkit]` keys set so far, with the value's text, to catch two sources that
    /// disagree.
    packkit_set: Vec<(String, String)>,
    /// `[project] dynamic` fields a translator has taken care of.
    dynamic_done: Vec<String>,
    /// `[build-system] build-backend` as found.
    backend: String,
}

pub(crate) const PYPROJECT: &str = "pyproject.toml";

impl Migration<'_> {
    /// The original item at `keys`.
    fn get(&self, keys: &[&str]) -> Option<&Item> {
        self.original.get(keys)
    }

    fn table(&self, keys: &[&str]) -> Option<&dyn TableLike> {
        self.get(keys).and_then(Item::as_table_like)
    }

    /// Whether the build backend is `module` (`hatchling.build`, `flit_core.buildapi`, ...).
    fn backend_is(&self, module: &str) -> bool {
        self.backend == module || self.backend.starts_with(&format!("{module}."))
    }

    fn change(&mut self, file: &str, source: impl Into<String>, target: impl Into<String>) {
        self.changes.push(Change {
            file: file.to_owned(),
            source: source.into(),
            target: target.into(),
        });
    }

    fn cannot(&mut self, file: &str, key: &str, reason: impl Into<String>, fix: impl Into<String>) {
        self.untranslatable.push(Untranslatable {
            file: file.to_owned(),
            key: key.to_owned(),
            reason: reason.into(),
            fix: fix.into(),
        });
    }

    /// `--clean` removes this table (a translated one).
    fn translated_table(&mut self, keys: &[&str]) {
        if self.get(keys).is_some() {
            let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
            if !self.old_tables.contains(&keys) {
                self.old_tables.push(keys);
            }
        }
    }

    /// Set `[tool.packkit] key` from `source` (printed); a key the file already sets, or
    /// another source set, to something else is reported instead of overwritten.
    fn set_packkit(&mut self, key: &str, value: Value, source: &str) {
        let text = value.to_string().trim().to_owned();
        let existing = self
            .get(&["tool", "packkit", key])
            .and_then(Item::as_value)
            .map(|v| v.to_string().trim().to_owned());
        if let Some(existing) = existing {
            if existing != text {
                self.cannot(
                    PYPROJECT,
                    &format!("tool.packkit.{key}"),
                    format!(
                        "{source} says {key} = {text}, but [tool.packkit] already has {existing}"
                    ),
                    format!("decide which is right and set `{key}` in [tool.packkit] yourself"),
                );
            }
            return;
        }
        if let Some((_, before)) = self.packkit_set.iter().find(|(k, _)| k == key) {
            if *before != text {
                let before = before.clone();
                self.cannot(
                    PYPROJECT,
                    &format!("tool.packkit.{key}"),
                    format!("{source} says {key} = {text}, but another table said {before}"),
                    format!("decide which is right and set `{key}` in [tool.packkit] yourself"),
                );
            }
            return;
        }
        self.packkit_set.push((key.to_owned(), text.clone()));
        if let Err(err) = self.edited.set(&["tool", "packkit", key], value) {
            self.cannot(
                PYPROJECT,
                &format!("tool.packkit.{key}"),
                err.to_string(),
                "edit it by hand",
            );
            return;
        }
        self.change(PYPROJECT, source, format!("[tool.packkit] {key} = {text}"));
    }

    /// Set `[project] key` (from `setup.cfg`, or a static value for a dynamic field).
    fn set_project(&mut self, key: &str, value: Value) -> bool {
        match self.edited.set(&["project", key], value) {
            Ok(()) => true,
            Err(err) => {
                self.cannot(
                    PYPROJECT,
                    &format!("project.{key}"),
                    err.to_string(),
                    "edit it by hand",
                );
                false
            }
        }
    }

    /// `[project.urls] label = url`.
    fn set_project_url(&mut self, label: &str, url: &str) -> bool {
        self.edited.set(&["project", "urls", label], url).is_ok()
    }

    /// Whether `[project] dynamic` lists `field`.
    fn is_dynamic(&self, field: &str) -> bool {
        strings_of(self.get(&["project", "dynamic"])).is_some_and(|d| d.iter().any(|f| f == field))
    }

    /// A translator made `field` static (or packkit fills it): drop it from `dynamic`.
    fn make_static(&mut self, field: &str) {
        let Some(dynamic) = strings_of(self.get(&["project", "dynamic"])) else {
            return;
        };
        let kept: Vec<String> = dynamic.into_iter().filter(|f| f != field).collect();
        // `dynamic = []` would be noise; an empty list is the same as none.
        if kept.is_empty() {
            self.edited.remove(&["project", "dynamic"]);
        } else {
            let _ = self.edited.set(&["project", "dynamic"], array(&kept));
        }
        self.dynamic_done.push(field.to_owned());
    }

    /// The dynamic version is packkit's from now on (`source` is what gave it before).
    fn version_from_git(&mut self, file: &str, source: &str, note: &str) {
        if !self.dynamic_done.iter().any(|f| f == "version") {
            self.dynamic_done.push("version".into());
        }
        let note = if note.is_empty() {
            String::new()
        } else {
            format!("; {note}")
        };
        self.change(file, source, format!("version from git tags{note}"));
    }

    /// `[tool.packkit.data] scheme = folder`.
    fn edited_set_data(&mut self, scheme: &str, folder: &str) -> std::result::Result<(), String> {
        if crate::paths::check_relative(folder).is_err() {
            return Err(format!("{folder:?} is not a folder inside the project"));
        }
        self.edited
            .set(&["tool", "packkit", "data", scheme], folder)
            .map_err(|err| err.to_string())
    }

    /// A table that only shapes the sdist (`[tool.hatch.build.targets.sdist]`,
    /// `[tool.flit.sdist]`): packkit's sdist holds the files git tracks.
    fn sdist_only(&mut self, keys: &[&str]) {
        let Some(table) = self.table(keys).map(setuptools_scm::clone_table) else {
            return;
        };
        self.translated_table(keys);
        let name = keys.join(".");
        for (key, item) in &table {
            self.change(
                PYPROJECT,
                format!("[{name}] {}", shown(key, item)),
                "not needed (packkit's sdist holds the files git tracks; exclude more with \
                 [tool.packkit] exclude)",
            );
        }
    }

    fn add_package(&mut self, path: String) {
        if !self.packages.contains(&path) {
            self.packages.push(path);
        }
    }

    fn add_exclude(&mut self, glob: String) {
        if !self.exclude.contains(&glob) {
            self.exclude.push(glob);
        }
    }

    /// Write the collected lists and `[build-system]`, then `--clean`.
    fn finish(&mut self, clean: bool) {
        if !self.packages.is_empty() {
            let packages = self.packages.clone();
            self.set_packkit("packages", array(&packages), "the packages above");
        }
        if !self.exclude.is_empty() {
            let exclude = self.exclude.clone();
            self.set_packkit("exclude", array(&exclude), "excluded files");
        }
        self.dynamic_left();
        self.license_classifiers();
        self.build_system();
        if clean {
            for keys in std::mem::take(&mut self.old_tables) {
                let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                if self.edited.remove(&keys).is_some() {
                    self.change(
                        PYPROJECT,
                        format!("[{}]", keys.join(".")),
                        "removed (--clean)",
                    );
                }
                // An emptied parent (`[tool.hatch]` after its last table) goes too.
                if let Some((_, parent)) = keys.split_last() {
                    let empty = self
                        .edited
                        .get(parent)
                        .and_then(Item::as_table_like)
                        .is_some_and(TableLike::is_empty);
                    if empty && parent.len() > 1 {
                        self.edited.remove(parent);
                    }
                }
            }
        }
    }

    /// `[project] dynamic` fields no translator filled: packkit fills only `version`.
    fn dynamic_left(&mut self) {
        let Some(dynamic) = strings_of(self.get(&["project", "dynamic"])) else {
            return;
        };
        for field in dynamic {
            if field == "version" || self.dynamic_done.contains(&field) {
                continue;
            }
            self.cannot(
                PYPROJECT,
                "project.dynamic",
                format!("`{field}` is dynamic, filled by the old backend or a plugin; packkit fills only `version`"),
                format!("write `{field}` in [project] and remove it from `dynamic`"),
            );
        }
    }

    /// PEP 639: a `License ::` classifier beside an SPDX `license` expression may be refused,
    /// and packkit refuses it; the expression says the same, so the classifiers go.
    fn license_classifiers(&mut self) {
        if self
            .edited
            .get(&["project", "license"])
            .and_then(Item::as_str)
            .is_none()
        {
            return;
        }
        let removed = self
            .edited
            .remove_strings(&["project", "classifiers"], |c| c.starts_with("License ::"));
        for classifier in removed {
            self.change(
                PYPROJECT,
                format!("[project] classifiers {classifier:?}"),
                "removed (PEP 639: `license` states it; packkit refuses both)",
            );
        }
    }

    fn build_system(&mut self) {
        if self.backend == "packkit.backend" {
            return;
        }
        let shown = if self.backend.is_empty() {
            "(none: setuptools' legacy default)".to_owned()
        } else {
            self.backend.clone()
        };
        let mut ok = self
            .edited
            .set(
                &["build-system", "requires"],
                array(&["packkit".to_owned()]),
            )
            .is_ok();
        ok &= self
            .edited
            .set(&["build-system", "build-backend"], "packkit.backend")
            .is_ok();
        if !ok {
            self.cannot(PYPROJECT, "build-system", "[build-system] is not a table", "write [build-system] requires = [\"packkit\"], build-backend = \"packkit.backend\"");
            return;
        }
        if self
            .edited
            .remove(&["build-system", "backend-path"])
            .is_some()
        {
            self.change(
                PYPROJECT,
                "[build-system] backend-path",
                "removed (an in-tree backend)",
            );
        }
        self.change(
            PYPROJECT,
            format!("[build-system] {shown}"),
            "packkit.backend",
        );
    }
}

/// A string, or a list of strings, as a list.
pub(crate) fn strings_of(item: Option<&Item>) -> Option<Vec<String>> {
    let item = item?;
    if let Some(text) = item.as_str() {
        return Some(vec![text.to_owned()]);
    }
    let array = item.as_array()?;
    array
        .iter()
        .map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// A TOML array of strings.
pub(crate) fn array(items: &[String]) -> Value {
    Value::Array(items.iter().map(String::as_str).collect::<Array>())
}

/// `item` as shown in a change line (`key = value`), on one line.
pub(crate) fn shown(key: &str, item: &Item) -> String {
    let value = item
        .as_value()
        .map_or_else(|| "{...}".to_owned(), |v| v.to_string().trim().to_owned());
    let value: String = value.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{key} = {value}")
}

/// `name` (dotted import name) as a path: `src/a/b`, `a/b`, `src/a.py` or `a.py`, whichever
/// exists under `base` candidates, in that order.
pub(crate) fn find_import(dir: &Path, bases: &[&str], name: &str) -> Option<String> {
    let relative = name.replace('.', "/");
    for base in bases {
        let join = |tail: &str| {
            if base.is_empty() || *base == "." {
                tail.to_owned()
            } else {
                format!("{}/{tail}", base.trim_end_matches('/'))
            }
        };
        let package = join(&relative);
        if crate::paths::check_relative(&package).is_ok() && dir.join(&package).is_dir() {
            return Some(package);
        }
        let module = join(&format!("{relative}.py"));
        if crate::paths::check_relative(&module).is_ok() && dir.join(&module).is_file() {
            return Some(module);
        }
    }
    None
}

/// The first line of a module's docstring (flit's `description`).
pub fn flit_summary(source: &str) -> Option<String> {
    flit::summary(source)
}

/// A path that names a Python module (`x.py`).
pub(crate) fn is_module(path: &str) -> bool {
    Path::new(path)
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("py"))
}

/// fnmatch-style `*` and `?` (a dot is an ordinary character), as setuptools matches package
/// names.
pub(crate) fn wildcard(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests;
