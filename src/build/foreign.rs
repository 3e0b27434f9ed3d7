//! Other build backends' configuration left in a project whose backend is packkit: packkit
//! ignores it, so a build says so and names `packkit migrate`, which translates it.

use std::path::Path;

use crate::pyproject::PyProject;

/// Tables of other backends that decide what a wheel holds or which version it has.
const FOREIGN_TABLES: &[&str] = &[
    "tool.hatch.version",
    "tool.hatch.build",
    "tool.hatch.metadata",
    "tool.setuptools",
    "tool.flit",
    "tool.pdm.build",
    "tool.pdm.version",
    "tool.uv.build-backend",
    "tool.poetry-dynamic-versioning",
];

/// One warning per ignored table or file, when the build backend is packkit's (otherwise the
/// tables are the other backend's, in use).
pub fn ignored_configuration(pyproject: &PyProject, dir: &Path) -> Vec<String> {
    let backend = pyproject
        .item("build-system.build-backend")
        .and_then(toml_edit::Item::as_str);
    if backend != Some("packkit.backend") {
        return Vec::new();
    }
    let fix = "run `packkit migrate` to translate it into [tool.packkit], or remove it";
    let mut warnings: Vec<String> = FOREIGN_TABLES
        .iter()
        .filter(|table| pyproject.item(table).is_some())
        .map(|table| format!("pyproject.toml: [{table}] is ignored by packkit; {fix}"))
        .collect();
    if dir.join("MANIFEST.in").is_file() {
        warnings.push(format!(
            "MANIFEST.in is ignored by packkit (the sdist holds the files git tracks, minus \
             [tool.packkit] exclude); {fix}"
        ));
    }
    // setup.cfg is read as text here only to see whether it holds packaging sections.
    let setup_cfg = crate::read::optional_text(&dir.join("setup.cfg"))
        .ok()
        .flatten();
    if let Some(text) = setup_cfg {
        for section in ["[metadata]", "[options]"] {
            if text.lines().any(|line| line.trim() == section) {
                warnings.push(format!("setup.cfg: {section} is ignored by packkit; {fix}"));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str, files: &[(&str, &str)]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        for (path, contents) in files {
            std::fs::write(dir.path().join(path), contents).unwrap();
        }
        let pyproject = PyProject::parse(&dir.path().join("pyproject.toml"), text.into()).unwrap();
        ignored_configuration(&pyproject, dir.path())
    }

    #[test]
    fn other_backends_tables_are_named_with_packkit_migrate() {
        let text = "[build-system]\nbuild-backend = \"packkit.backend\"\n\
                    [tool.hatch.version]\nsource = \"vcs\"\n[tool.flit.module]\nname = \"x\"\n\
                    [tool.hatch.envs.default]\nx = 1\n";
        let found = warnings(
            text,
            &[
                ("MANIFEST.in", "include x"),
                ("setup.cfg", "[metadata]\nname = x\n[flake8]\n"),
            ],
        );
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(found[0].starts_with(
            "pyproject.toml: [tool.hatch.version] is ignored by packkit; run `packkit migrate`"
        ));
        assert!(found[1].starts_with("pyproject.toml: [tool.flit] is ignored"));
        assert!(found[2].starts_with("MANIFEST.in is ignored"));
        assert!(found[3].starts_with("setup.cfg: [metadata] is ignored"));
    }

    #[test]
    fn nothing_is_said_while_another_backend_is_in_use() {
        let text = "[build-system]\nbuild-backend = \"hatchling.build\"\n[tool.hatch.version]\nsource = \"vcs\"\n";
        assert!(warnings(text, &[("MANIFEST.in", "")]).is_empty());
    }
}
