//! flit_core: `[tool.flit.module]`, `[tool.flit.sdist]`, `[tool.flit.external-data]`, and
//! flit's dynamic `version` (`__version__`) and `description` (the module docstring).

use toml_edit::{Item, Value};

use super::{Migration, PYPROJECT, find_import, is_module};

pub(super) fn translate(m: &mut Migration<'_>) {
    if m.get(&["tool", "flit", "metadata"]).is_some() {
        m.cannot(
            PYPROJECT,
            "tool.flit.metadata",
            "flit's old metadata table, which only flit reads",
            "move it to a PEP 621 [project] table (see flit's docs, \"New style metadata\"), then migrate again",
        );
    }
    let flit = m.backend_is("flit_core");
    let name = m
        .get(&["tool", "flit", "module", "name"])
        .and_then(Item::as_str)
        .map(str::to_owned);
    let import_name = name.clone().or_else(|| {
        m.get(&["project", "name"])
            .and_then(Item::as_str)
            .map(|n| n.to_lowercase().replace(['-', '.'], "_"))
    });
    let module = import_name
        .as_deref()
        .and_then(|n| find_import(m.dir, &["src", ""], n));
    if let Some(name) = &name {
        m.translated_table(&["tool", "flit", "module"]);
        let source = format!("[tool.flit.module] name = {name:?}");
        match &module {
            Some(path) => {
                m.add_package(path.clone());
                m.change(PYPROJECT, source, "[tool.packkit] packages");
            }
            None => m.cannot(
                PYPROJECT,
                "tool.flit.module.name",
                format!("no package or module `{name}` in src/ or at the top of the project"),
                "list the package's path in [tool.packkit] packages",
            ),
        }
    }
    m.sdist_only(&["tool", "flit", "sdist"]);
    external_data(m);
    if !flit {
        return;
    }
    let file = module.as_deref().map(|path| {
        if is_module(path) {
            path.to_owned()
        } else {
            format!("{path}/__init__.py")
        }
    });
    if m.is_dynamic("version") {
        let from = file.as_deref().unwrap_or("the module");
        m.version_from_git(
            PYPROJECT,
            &format!("[project] dynamic version (flit's __version__ in {from})"),
            "tag each release (`git tag v<version>`); __version__ is no longer read",
        );
    }
    if m.is_dynamic("description") {
        let docstring = file
            .as_deref()
            .and_then(|f| crate::read::text(&m.dir.join(f)).ok())
            .and_then(|text| summary(&text));
        match docstring {
            Some(summary) => {
                if m.set_project("description", Value::from(summary.as_str())) {
                    m.make_static("description");
                    m.change(
                        PYPROJECT,
                        "[project] dynamic description (flit's module docstring)",
                        format!("[project] description = {summary:?}"),
                    );
                }
            }
            None => m.cannot(
                PYPROJECT,
                "project.dynamic",
                "flit takes `description` from the module docstring, and none was found",
                "write `description` in [project] and remove it from `dynamic`",
            ),
        }
    }
}

/// `[tool.flit.external-data] directory`: installed into the environment's prefix, as
/// `[tool.packkit.data] data` is.
fn external_data(m: &mut Migration<'_>) {
    let Some(directory) = m
        .get(&["tool", "flit", "external-data", "directory"])
        .cloned()
    else {
        return;
    };
    m.translated_table(&["tool", "flit", "external-data"]);
    match directory.as_str() {
        Some(folder) => {
            let source = format!("[tool.flit.external-data] directory = {folder:?}");
            if let Err(err) = m.edited_set_data("data", folder) {
                m.cannot(
                    PYPROJECT,
                    "tool.flit.external-data.directory",
                    err,
                    "set [tool.packkit.data] data by hand",
                );
            } else {
                m.change(
                    PYPROJECT,
                    source,
                    format!("[tool.packkit.data] data = {folder:?}"),
                );
            }
        }
        None => m.cannot(
            PYPROJECT,
            "tool.flit.external-data.directory",
            "expected a string",
            "set [tool.packkit.data] data",
        ),
    }
}

/// The first line of a module's docstring, as flit takes it for `description`.
pub(super) fn summary(source: &str) -> Option<String> {
    let mut rest = source.trim_start_matches('\u{feff}');
    // Comments, blank lines and the encoding line come before the docstring.
    loop {
        let trimmed = rest.trim_start();
        if let Some(comment) = trimmed.strip_prefix('#') {
            rest = comment.split_once('\n').map_or("", |(_, after)| after);
        } else {
            rest = trimmed;
            break;
        }
    }
    let lowered = rest.get(..1).map(str::to_lowercase);
    if matches!(lowered.as_deref(), Some("r" | "u")) {
        rest = rest.get(1..)?;
    }
    let quote = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| rest.starts_with(q))?;
    let body = rest.get(quote.len()..)?;
    let end = body.find(quote)?;
    let text = body.get(..end)?;
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .map(str::to_owned)
}
