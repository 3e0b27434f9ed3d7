//! `setup.cfg` `[metadata]` and `[options]` (PyScaffold's layout) → `[project]` and
//! `[tool.packkit]`. setup.cfg itself is only read; `[project]` keys the pyproject.toml
//! already has are kept as they are.

use toml_edit::{Array, InlineTable, Value};

use super::setuptools::{Find, find_packages, listed_packages};
use super::{Migration, PYPROJECT, array};

const CFG: &str = "setup.cfg";

/// One `key = value` of an INI section, continuation lines joined with `\n`.
struct Entry {
    key: String,
    value: String,
}

struct Section {
    name: String,
    entries: Vec<Entry>,
}

impl Section {
    /// The value of `key`, if the section has it.
    fn get(&self, key: &str) -> Option<String> {
        self.entries
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.value.clone())
    }
}

/// setup.cfg as configparser reads it: `[section]`, `key = value` or `key: value`, indented
/// continuation lines, `#` and `;` comment lines.
fn parse(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for raw in text.lines() {
        let line = raw.trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            // A blank line inside a value is kept by configparser; a trailing one is not.
            if let Some(entry) = sections.last_mut().and_then(|s| s.entries.last_mut()) {
                entry.value.push('\n');
            }
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if indented {
            if let Some(entry) = sections.last_mut().and_then(|s| s.entries.last_mut()) {
                entry.value.push('\n');
                entry.value.push_str(trimmed);
                continue;
            }
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            sections.push(Section {
                name: name.trim().to_owned(),
                entries: Vec::new(),
            });
            continue;
        }
        let Some(section) = sections.last_mut() else {
            continue;
        };
        let split = trimmed.find(['=', ':']);
        if let Some(at) = split {
            let (key, value) = trimmed.split_at(at);
            section.entries.push(Entry {
                key: key.trim().to_lowercase().replace('-', "_"),
                value: value.get(1..).unwrap_or("").trim().to_owned(),
            });
        }
    }
    for section in &mut sections {
        for entry in &mut section.entries {
            entry.value = entry.value.trim().to_owned();
        }
    }
    sections
}

/// A dangling list (one per line) or a comma-separated one.
fn list(value: &str, commas: bool) -> Vec<String> {
    value
        .lines()
        .flat_map(|line| {
            if commas {
                line.split(',').map(str::to_owned).collect::<Vec<_>>()
            } else {
                vec![line.to_owned()]
            }
        })
        // A comment after a value (`pytest  # for the tests`), as setuptools drops it.
        .map(|item| {
            let end = item
                .find(" #")
                .or_else(|| item.find("\t#"))
                .unwrap_or(item.len());
            item[..end].trim().to_owned()
        })
        .filter(|item| !item.is_empty() && !item.starts_with('#'))
        .collect()
}

pub(super) fn translate(m: &mut Migration<'_>, text: &str) {
    let sections = parse(text);
    let section = |name: &str| sections.iter().find(|s| s.name == name);
    let value = |section: Option<&Section>, key: &str| {
        section
            .and_then(|s| s.entries.iter().find(|e| e.key == key))
            .map(|e| e.value.clone())
    };
    let metadata = section("metadata");
    let options = section("options");
    if metadata.is_none() && options.is_none() {
        return;
    }
    let mut project = Project {
        m,
        written: false,
        section: "metadata",
    };
    if let Some(metadata) = metadata {
        project.metadata(metadata);
    }
    let m = project.m;
    if let Some(options) = options {
        options_section(m, options, &sections);
    }
    if value(metadata, "version").is_none() && m.get(&["project", "version"]).is_none() {
        let mut dynamic: Vec<String> =
            super::strings_of(m.get(&["project", "dynamic"])).unwrap_or_default();
        if !dynamic.iter().any(|d| d == "version") {
            dynamic.push("version".into());
            if m.set_project("dynamic", array(&dynamic)) {
                m.version_from_git(
                    CFG,
                    "[metadata] (no version)",
                    "[project] dynamic = [\"version\"]",
                );
            }
        }
    }
    for (name, key) in [
        ("options.entry_points", "entry-points"),
        ("options.extras_require", "optional-dependencies"),
    ] {
        if let Some(section) = section(name) {
            tables(m, section, key);
        }
    }
    if let Some(section) = section("options.package_data") {
        let _ = section;
        m.change(
            CFG,
            "[options.package_data]",
            "not needed (packkit ships every file git tracks in the package folders)",
        );
    }
    if section("bdist_wheel").is_some_and(|s| s.entries.iter().any(|e| e.key == "universal")) {
        m.change(
            CFG,
            "[bdist_wheel] universal",
            "dropped (packkit's wheels are py3-none-any)",
        );
    }
    if section("options.data_files").is_some() {
        m.cannot(
            CFG,
            "options.data_files",
            "single data files installed anywhere under the prefix",
            "put them in one folder and name it in [tool.packkit.data] data",
        );
    }
}

struct Project<'m, 'a> {
    m: &'m mut Migration<'a>,
    written: bool,
    /// The setup.cfg section being read, for the change lines.
    section: &'static str,
}

impl Project<'_, '_> {
    /// Set `[project] key` unless pyproject.toml has it.
    fn set(&mut self, from: &str, key: &str, value: Value) {
        if self.m.get(&["project", key]).is_some() {
            self.m.change(
                CFG,
                format!("[{}] {from}", self.section),
                format!("kept [project] {key} of pyproject.toml"),
            );
            return;
        }
        let shown = value.to_string().trim().to_owned();
        if self.m.set_project(key, value) {
            self.written = true;
            let shown = if shown.len() > 60 {
                format!(
                    "{}...",
                    &shown[..shown.char_indices().nth(57).map_or(shown.len(), |(i, _)| i)]
                )
            } else {
                shown
            };
            self.m.change(
                CFG,
                format!("[{}] {from}", self.section),
                format!("[project] {key} = {shown}"),
            );
        }
    }

    fn metadata(&mut self, section: &Section) {
        let get = |key: &str| section.get(key);
        let content_type = get("long_description_content_type");
        for entry in &section.entries {
            let value = entry.value.clone();
            match entry.key.as_str() {
                "name" => self.set("name", "name", value.into()),
                "version" => {
                    if value.starts_with("attr:") || value.starts_with("file:") {
                        let mut dynamic = super::strings_of(self.m.get(&["project", "dynamic"]))
                            .unwrap_or_default();
                        if !dynamic.iter().any(|d| d == "version") {
                            dynamic.push("version".into());
                            self.m.set_project("dynamic", array(&dynamic));
                        }
                        self.m.version_from_git(
                            CFG,
                            &format!("[metadata] version = {value}"),
                            "tag each release (`git tag v<version>`)",
                        );
                    } else {
                        self.set("version", "version", value.into());
                    }
                }
                "description" | "summary" => self.set(&entry.key, "description", value.into()),
                "long_description" => match value.strip_prefix("file:").map(|f| list(f, true)) {
                    Some(files) if files.len() == 1 => {
                        let mut readme = InlineTable::new();
                        readme.insert("file", files[0].as_str().into());
                        if let Some(kind) = &content_type {
                            readme.insert("content-type", kind.as_str().into());
                        }
                        self.set("long_description", "readme", Value::InlineTable(readme));
                    }
                    _ => self.m.cannot(
                        CFG,
                        "metadata.long_description",
                        "not a single `file:`",
                        "put the text in a README file and set `readme` in [project]",
                    ),
                },
                "long_description_content_type"
                | "platforms"
                | "platform"
                | "license_file"
                | "license_files" => {}
                "author" | "maintainer" => {
                    let email = get(&format!("{}_email", entry.key));
                    let mut person = InlineTable::new();
                    person.insert("name", value.as_str().into());
                    if let Some(email) = email {
                        person.insert("email", email.as_str().into());
                    }
                    let people: Array = std::iter::once(Value::InlineTable(person)).collect();
                    let key = format!("{}s", entry.key);
                    self.set(&entry.key, &key, Value::Array(people));
                }
                "author_email" | "maintainer_email" => {
                    let person = entry.key.trim_end_matches("_email");
                    if get(person).is_none() {
                        let mut who = InlineTable::new();
                        who.insert("email", value.as_str().into());
                        let people: Array = std::iter::once(Value::InlineTable(who)).collect();
                        self.set(&entry.key, &format!("{person}s"), Value::Array(people));
                    }
                }
                "license" => {
                    let files = get("license_files")
                        .or_else(|| get("license_file"))
                        .map(|f| list(&f, true));
                    // An SPDX license with its files becomes PEP 639's expression and
                    // `license-files`; anything else stays the legacy text.
                    if let (Ok(expression), Some(files)) =
                        (crate::metadata::canonical_expression(&value), files)
                    {
                        self.set("license", "license", expression.as_str().into());
                        self.set("license_files", "license-files", array(&files));
                    } else {
                        let mut text = InlineTable::new();
                        text.insert("text", value.as_str().into());
                        self.set("license", "license", Value::InlineTable(text));
                    }
                }
                "url" | "home_page" => {
                    if self.m.get(&["project", "urls"]).is_none() {
                        self.written |= self.m.set_project_url("Homepage", &value);
                        self.m.change(
                            CFG,
                            format!("[metadata] {}", entry.key),
                            "[project.urls] Homepage",
                        );
                    }
                }
                "project_urls" => {
                    if self.m.get(&["project", "urls"]).is_none() || get("url").is_some() {
                        for line in list(&value, false) {
                            if let Some((label, url)) = line.split_once('=') {
                                self.m.set_project_url(label.trim(), url.trim());
                            }
                        }
                        self.m
                            .change(CFG, "[metadata] project_urls", "[project.urls]");
                    }
                }
                "classifiers" => {
                    self.set("classifiers", "classifiers", array(&list(&value, false)));
                }
                "keywords" => self.set("keywords", "keywords", array(&list(&value, true))),
                "download_url" => {
                    self.m.set_project_url("Download", &value);
                }
                other => self.m.cannot(
                    CFG,
                    &format!("metadata.{other}"),
                    "not a [metadata] field packkit can translate",
                    "write it in [project] by hand, if it has a place there",
                ),
            }
        }
    }
}

fn options_section(m: &mut Migration<'_>, section: &Section, sections: &[Section]) {
    let get = |key: &str| section.get(key);
    let mut package_dir: Vec<(String, String)> = Vec::new();
    if let Some(dirs) = get("package_dir") {
        for line in list(&dirs, false) {
            let (name, path) = line.split_once('=').unwrap_or(("", line.as_str()));
            package_dir.push((name.trim().to_owned(), path.trim().to_owned()));
        }
    }
    let mut project = Project {
        m,
        written: false,
        section: "options",
    };
    for entry in &section.entries {
        let value = entry.value.clone();
        let from = format!("[options] {}", entry.key);
        match entry.key.as_str() {
            "python_requires" => project.set(&entry.key, "requires-python", value.into()),
            "install_requires" => project.set(&entry.key, "dependencies", array(&list(&value, false))),
            "packages" => {
                let paths = if let Some(kind) = value.strip_prefix("find") {
                    let find_section = sections.iter().find(|s| s.name == "options.packages.find");
                    let find_get = |key: &str| {
                        find_section.and_then(|s| s.entries.iter().find(|e| e.key == key)).map(|e| list(&e.value, false))
                    };
                    let base = package_dir.iter().find(|(k, _)| k.is_empty()).map(|(_, v)| v.clone());
                    let find = Find {
                        where_: find_get("where").or(base.map(|b| vec![b])).unwrap_or_else(|| vec![".".into()]),
                        include: find_get("include").unwrap_or_default(),
                        exclude: find_get("exclude").unwrap_or_default(),
                        namespaces: kind.starts_with("_namespace"),
                    };
                    find_packages(project.m.dir, &find)
                } else {
                    listed_packages(&list(&value, true), &package_dir)
                };
                if paths.is_empty() {
                    project.m.cannot(CFG, "options.packages", "finds no package in the project", "list the package paths in [tool.packkit] packages");
                }
                for path in paths {
                    project.m.add_package(path);
                }
                project.m.change(CFG, from, "[tool.packkit] packages");
            }
            "py_modules" => {
                let base = package_dir.iter().find(|(k, _)| k.is_empty()).map(|(_, v)| v.clone()).unwrap_or_default();
                for module in list(&value, true) {
                    let file = format!("{}.py", module.replace('.', "/"));
                    project.m.add_package(if base.is_empty() { file } else { format!("{base}/{file}") });
                }
                project.m.change(CFG, from, "[tool.packkit] packages");
            }
            "package_dir" => project.m.change(CFG, from, "used to find the packages' paths"),
            "include_package_data" | "zip_safe" | "setup_requires" | "tests_require" | "test_suite" | "platforms" => {
                project.m.change(CFG, from, "dropped (no effect on a packkit build)");
            }
            "scripts" => project.m.cannot(CFG, "options.scripts", "script files are copied one by one", "put them in one folder and name it in [tool.packkit.data] scripts, or use [project.scripts]"),
            other => project.m.cannot(CFG, &format!("options.{other}"), "not an [options] key packkit can translate", "write it in pyproject.toml by hand, if it has a place there"),
        }
    }
}

/// `[options.entry_points]` and `[options.extras_require]`: one key per group or extra.
fn tables(m: &mut Migration<'_>, section: &Section, key: &str) {
    for entry in &section.entries {
        let (target, items): (Vec<&str>, Value) = if key == "entry-points" {
            let mut table = InlineTable::new();
            for line in list(&entry.value, false) {
                if let Some((name, target)) = line.split_once('=') {
                    table.insert(name.trim(), target.trim().into());
                }
            }
            let group = entry.key.as_str();
            let target: Vec<&str> = match group {
                "console_scripts" => vec!["scripts"],
                "gui_scripts" => vec!["gui-scripts"],
                _ => vec!["entry-points", group],
            };
            (target, Value::InlineTable(table))
        } else {
            (
                vec!["optional-dependencies", entry.key.as_str()],
                array(&list(&entry.value, false)),
            )
        };
        let mut keys = vec!["project"];
        keys.extend(target.iter().copied());
        if m.get(&keys).is_some() {
            continue;
        }
        let shown = format!("[project] {}", target.join("."));
        match m.edited.set(&keys, items) {
            Ok(()) => m.change(CFG, format!("[{}] {}", section.name, entry.key), shown),
            Err(err) => m.cannot(
                CFG,
                &format!("{}.{}", section.name, entry.key),
                err.to_string(),
                "write it in [project] by hand",
            ),
        }
    }
    let _ = PYPROJECT;
}
