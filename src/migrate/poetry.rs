//! poetry-dynamic-versioning: `[tool.poetry-dynamic-versioning]` (its git versions become
//! packkit's), and poetry's own metadata tables, which packkit does not read.

use super::setuptools_scm::clone_table;
use super::{Migration, PYPROJECT, shown};

pub(super) fn translate(m: &mut Migration<'_>) {
    const T: &str = "tool.poetry-dynamic-versioning";
    if m.get(&["project"]).is_none() && m.get(&["tool", "poetry", "name"]).is_some() {
        m.cannot(
            PYPROJECT,
            "tool.poetry",
            "the metadata is in [tool.poetry], which only poetry reads",
            "move it to a PEP 621 [project] table (`poetry check` tells what is missing), then migrate again",
        );
    }
    let Some(table) = m
        .table(&["tool", "poetry-dynamic-versioning"])
        .map(clone_table)
    else {
        return;
    };
    m.translated_table(&["tool", "poetry-dynamic-versioning"]);
    m.version_from_git(PYPROJECT, &format!("[{T}]"), "");
    for (key, item) in &table {
        let from = format!("[{T}] {}", shown(key, item));
        let fine = match key.as_str() {
            "enable" => true,
            "vcs" => matches!(item.as_str(), Some("git" | "any")),
            "style" => item.as_str() == Some("pep440"),
            "dirty" | "strict" | "latest-tag" | "bump" => item.as_bool() == Some(false),
            _ => false,
        };
        if fine {
            m.change(PYPROJECT, from, "packkit's default");
        } else {
            m.cannot(
                PYPROJECT,
                &format!("{T}.{key}"),
                "dunamai's patterns, formats, styles and substitutions have no packkit equivalent",
                "choose tags with `tag-regex`, the format with `version-scheme`/`local-scheme`, and replace substitution with `version-file` (docs/configuration.rst)",
            );
        }
    }
}
