//! uv_build: `[tool.uv.build-backend]`.

use toml_edit::{Item, Value};

use super::setuptools_scm::clone_table;
use super::{Migration, PYPROJECT, find_import, shown, strings_of};

pub(super) fn translate(m: &mut Migration<'_>) {
    const T: &str = "tool.uv.build-backend";
    let Some(table) = m.table(&["tool", "uv", "build-backend"]).map(clone_table) else {
        return;
    };
    let get = |key: &str| table.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let root = get("module-root")
        .and_then(|r| r.as_str().map(str::to_owned))
        .unwrap_or_else(|| "src".into());
    let mut translated = true;
    for (key, item) in &table {
        let full = format!("{T}.{key}");
        let from = format!("[{T}] {}", shown(key, item));
        match key.as_str() {
            "module-name" => {
                for name in strings_of(Some(item)).unwrap_or_default() {
                    if let Some(path) = find_import(m.dir, &[root.as_str()], &name) {
                        m.add_package(path);
                    } else {
                        translated = false;
                        m.cannot(
                            PYPROJECT,
                            &full,
                            format!("no module `{name}` in {root:?}"),
                            "list the package's path in [tool.packkit] packages",
                        );
                    }
                }
                m.change(PYPROJECT, from, "[tool.packkit] packages");
            }
            "module-root" => m.change(PYPROJECT, from, "used to find the packages' paths"),
            "namespace" => {
                if let Some(flag) = item.as_bool() {
                    m.set_packkit("namespace", Value::from(flag), &from);
                }
            }
            "wheel-exclude" => {
                for glob in strings_of(Some(item)).unwrap_or_default() {
                    m.add_exclude(glob);
                }
                m.change(PYPROJECT, from, "[tool.packkit] exclude");
            }
            "source-include" | "source-exclude" | "default-excludes" => {
                m.change(
                    PYPROJECT,
                    from,
                    "not needed (packkit's sdist holds the files git tracks)",
                );
            }
            "data" => {
                let schemes: Vec<(String, String)> = item
                    .as_table_like()
                    .map(|t| {
                        t.iter()
                            .filter_map(|(k, v)| Some((k.to_owned(), v.as_str()?.to_owned())))
                            .collect()
                    })
                    .unwrap_or_default();
                for (scheme, folder) in schemes {
                    match m.edited_set_data(&scheme, &folder) {
                        Ok(()) => m.change(
                            PYPROJECT,
                            format!("[{T}.data] {scheme}"),
                            format!("[tool.packkit.data] {scheme} = {folder:?}"),
                        ),
                        Err(err) => {
                            translated = false;
                            m.cannot(
                                PYPROJECT,
                                &format!("{full}.{scheme}"),
                                err,
                                "set it in [tool.packkit.data] by hand",
                            );
                        }
                    }
                }
            }
            _ => {
                translated = false;
                m.cannot(
                    PYPROJECT,
                    &full,
                    "not a uv_build setting packkit can translate",
                    "see docs/migration.rst",
                );
            }
        }
    }
    let _ = Item::is_none;
    if translated {
        m.translated_table(&["tool", "uv", "build-backend"]);
    }
}
