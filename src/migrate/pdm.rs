//! pdm-backend: `[tool.pdm.version]` and `[tool.pdm.build]`.

use toml_edit::Value;

use super::setuptools_scm::clone_table;
use super::{Migration, PYPROJECT, shown, strings_of};

pub(super) fn translate(m: &mut Migration<'_>) {
    version(m);
    build(m);
}

fn version(m: &mut Migration<'_>) {
    const T: &str = "tool.pdm.version";
    let Some(table) = m.table(&["tool", "pdm", "version"]).map(clone_table) else {
        return;
    };
    m.translated_table(&["tool", "pdm", "version"]);
    let source = table
        .iter()
        .find(|(k, _)| k == "source")
        .and_then(|(_, v)| v.as_str())
        .unwrap_or("file")
        .to_owned();
    if source != "scm" {
        m.version_from_git(
            PYPROJECT,
            &format!("[{T}] source = {source:?}"),
            "tag each release (`git tag v<version>`); the old source is no longer read",
        );
        return;
    }
    m.version_from_git(PYPROJECT, &format!("[{T}] source = \"scm\""), "");
    // pdm writes `write_to` relative to the package folder: `src/` when there is one.
    let package_root = if m.dir.join("src").is_dir() {
        "src/"
    } else {
        ""
    };
    for (key, item) in &table {
        let text = item.as_str().map(str::to_owned);
        let from = format!("[{T}] {}", shown(key, item));
        match (key.as_str(), text) {
            ("source", _) => {}
            ("tag_regex", Some(regex)) => m.set_packkit("tag-regex", Value::from(regex), &from),
            ("fallback_version", Some(v)) => {
                m.set_packkit("fallback-version", Value::from(v), &from);
            }
            ("write_to", Some(path)) => {
                m.set_packkit(
                    "version-file",
                    Value::from(format!("{package_root}{path}")),
                    &from,
                );
            }
            ("write_template", Some(template)) => {
                // pdm formats the template with the version as its one positional field.
                let template = template.replace("{}", "{version}");
                m.set_packkit("version-file-template", Value::from(template), &from);
            }
            ("tag_filter", Some(filter)) => {
                let prefix = filter.trim_end_matches('*');
                if prefix.contains(['*', '?', '[']) {
                    m.cannot(
                        PYPROJECT,
                        &format!("{T}.{key}"),
                        "a tag filter with wildcards inside",
                        "express it as `tag-regex` in [tool.packkit]",
                    );
                } else {
                    m.set_packkit("tag-prefix", Value::from(prefix), &from);
                }
            }
            _ => m.cannot(
                PYPROJECT,
                &format!("{T}.{key}"),
                "not a pdm-backend version setting packkit can translate",
                "see the version keys in docs/configuration.rst",
            ),
        }
    }
}

fn build(m: &mut Migration<'_>) {
    const T: &str = "tool.pdm.build";
    let Some(table) = m.table(&["tool", "pdm", "build"]).map(clone_table) else {
        return;
    };
    let mut translated = true;
    for (key, item) in &table {
        let full = format!("{T}.{key}");
        let from = format!("[{T}] {}", shown(key, item));
        match key.as_str() {
            "includes" => {
                let paths = strings_of(Some(item)).unwrap_or_default();
                let (code, other): (Vec<String>, Vec<String>) = paths
                    .into_iter()
                    .map(|p| p.trim_end_matches('/').to_owned())
                    .partition(|p| {
                        crate::paths::check_relative(p).is_ok()
                            && (m.dir.join(p).join("__init__.py").is_file()
                                || (super::is_module(p) && m.dir.join(p).is_file()))
                    });
                for path in code {
                    m.add_package(path);
                }
                if other.is_empty() {
                    m.change(PYPROJECT, from, "[tool.packkit] packages");
                } else {
                    translated = false;
                    m.cannot(PYPROJECT, &full, format!("{other:?} are not package folders or modules"), "list the packages in [tool.packkit] packages; data files inside them are shipped anyway");
                }
            }
            "excludes" => {
                for glob in strings_of(Some(item)).unwrap_or_default() {
                    m.add_exclude(glob);
                }
                m.change(PYPROJECT, from, "[tool.packkit] exclude");
            }
            "package-dir" => {
                if item
                    .as_str()
                    .is_some_and(|d| matches!(d.trim_end_matches('/'), "src" | "" | "."))
                {
                    m.change(
                        PYPROJECT,
                        from,
                        "not needed (packkit looks in src/ and at the top)",
                    );
                } else {
                    translated = false;
                    m.cannot(
                        PYPROJECT,
                        &full,
                        "packkit looks for packages in src/ or at the top of the project",
                        "move the code, or list its path in [tool.packkit] packages",
                    );
                }
            }
            "source-includes" => m.change(
                PYPROJECT,
                from,
                "not needed (packkit's sdist holds the files git tracks)",
            ),
            "is-purelib" | "editable-backend" => m.change(
                PYPROJECT,
                from,
                "dropped (packkit builds pure-Python wheels, editable as a .pth)",
            ),
            _ => {
                translated = false;
                m.cannot(
                    PYPROJECT,
                    &full,
                    "runs build code or maps files in a way packkit does not",
                    "stay on pdm-backend, or move the files into the package / [tool.packkit.data]",
                );
            }
        }
    }
    if translated {
        m.translated_table(&["tool", "pdm", "build"]);
    }
}
