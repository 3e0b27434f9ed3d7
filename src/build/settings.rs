//! `[tool.packkit]` settings of the build backend, with every check they need: paths that
//! stay inside the project, packages that exist, globs that compile.

use std::path::Path;

use toml_edit::TableLike;

use super::glob::Patterns;
use crate::error::ConfigError;
use crate::paths;
use crate::pyproject::{PyProject, Reader, join_key};

/// `[tool.packkit]` keys of the build backend (the version keys belong to `resolve`).
pub const BUILD_KEYS: &[&str] = &["packages", "include", "exclude", "namespace", "data"];

/// The wheel `.data/` schemes a folder can be installed into.
const DATA_SCHEMES: &[&str] = &["scripts", "data", "headers", "purelib", "platlib"];

/// `[tool.packkit]` settings of the build backend.
#[derive(Debug, Clone, Default)]
pub struct BuildSettings {
    /// Explicit package (or module) paths, relative to the project, when discovery can't guess.
    pub packages: Option<Vec<String>>,
    /// gitignore-style globs of extra files (relative to the project).
    pub include: Patterns,
    /// gitignore-style globs of files to leave out.
    pub exclude: Patterns,
    /// The package is a PEP 420 namespace package (no `__init__.py` at its top).
    pub namespace: bool,
    /// `[tool.packkit.data]`: wheel `.data/` scheme (`scripts`, `data`, `headers`, `purelib`,
    /// `platlib`) → a folder of the project whose files go there.
    pub data: Vec<(String, String)>,
}

impl BuildSettings {
    /// Read `[tool.packkit]`'s build keys; every problem is reported, each with its location.
    /// `project_dir` is where `packages` must exist.
    pub fn read(pyproject: &PyProject, project_dir: &Path) -> Result<Self, Vec<ConfigError>> {
        const T: &str = "tool.packkit";
        let mut settings = BuildSettings::default();
        // Unknown keys and a `tool.packkit` that is not a table are reported by the version
        // settings, which read the same table.
        let Some(table) = pyproject.item(T).and_then(toml_edit::Item::as_table_like) else {
            return Ok(settings);
        };
        let mut r = Reader::new(pyproject);
        if let Some(packages) = paths_list(&mut r, table, "packages", |text| {
            if let Err(outside) = paths::check_relative(text) {
                Some((
                    format!("{}: {text:?}", outside.message()),
                    "give a path inside the project, relative to pyproject.toml, like \"src/my_pkg\"".into(),
                ))
            } else if text.split(['/', '\\']).all(|part| matches!(part, "" | ".")) {
                // Its files would land at the top of the wheel (`/pyproject.toml`).
                Some((
                    format!("{text:?} is the project folder itself, not a package in it"),
                    "list the package folders or modules, like \"src/my_pkg\" or \"my_module.py\""
                        .into(),
                ))
            } else if !project_dir.join(text).exists() {
                Some((
                    format!("{text:?} does not exist in {}", project_dir.display()),
                    "give the path of the package folder or module, relative to pyproject.toml"
                        .into(),
                ))
            } else {
                None
            }
        }) {
            settings.packages = Some(packages);
        }
        settings.include = patterns(&mut r, table, "include");
        settings.exclude = patterns(&mut r, table, "exclude");
        settings.namespace = r.boolean_in(table, T, "namespace").unwrap_or(false);
        if let Some(item) = table.get("data") {
            let key = format!("{T}.data");
            if let Some(schemes) = r.table(item, &key) {
                r.check_keys(schemes, &key, DATA_SCHEMES);
                for scheme in DATA_SCHEMES {
                    let Some((folder, span)) = r.line_in(schemes, &key, scheme) else {
                        continue;
                    };
                    match paths::check_relative(&folder) {
                        Ok(()) => settings.data.push(((*scheme).to_owned(), folder)),
                        Err(outside) => r.error(
                            span,
                            &join_key(&key, scheme),
                            format!("{}: {folder:?}", outside.message()),
                            Some("give a folder of the project, relative to pyproject.toml".into()),
                        ),
                    }
                }
            }
        }
        r.finish().map(|()| settings)
    }
}

/// A list of strings at `table.key`, each checked by `check` (a message and a hint when it is
/// wrong); `None` when the key is absent or anything in it is wrong.
fn paths_list(
    r: &mut Reader,
    table: &dyn TableLike,
    key: &str,
    check: impl Fn(&str) -> Option<(String, String)>,
) -> Option<Vec<String>> {
    let item = table.get(key)?;
    let before = r.problems.len();
    let mut out = Vec::new();
    for (text, span, elem_key) in r.strings(item, &join_key("tool.packkit", key)) {
        match check(&text) {
            Some((message, hint)) => r.error(span, &elem_key, message, Some(hint)),
            None => out.push(text),
        }
    }
    (r.problems.len() == before).then_some(out)
}

/// `include` / `exclude`: globs that stay inside the project and compile.
fn patterns(r: &mut Reader, table: &dyn TableLike, key: &str) -> Patterns {
    let Some(globs) = paths_list(r, table, key, |text| {
        paths::check_glob(text).err().map(|outside| {
            (
                format!("{}: {text:?}", outside.message()),
                "globs are relative to the project folder, like \"docs/\" or \"*.csv\"".into(),
            )
        })
    }) else {
        return Patterns::default();
    };
    match Patterns::new(&globs) {
        Ok(patterns) => patterns,
        Err((index, message)) => {
            let span = table
                .get(key)
                .and_then(toml_edit::Item::as_array)
                .and_then(|array| array.get(index))
                .and_then(toml_edit::Value::span);
            r.error(
                span,
                &format!("tool.packkit.{key}[{index}]"),
                format!("invalid glob: {message}"),
                None,
            );
            Patterns::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src/pkg")).unwrap();
        let pyproject = PyProject::parse(&dir.path().join("pyproject.toml"), text.into()).unwrap();
        match BuildSettings::read(&pyproject, dir.path()) {
            Ok(_) => Vec::new(),
            Err(problems) => problems
                .iter()
                .map(|p| {
                    format!(
                        "{}:{}: `{}`: {}",
                        p.line.unwrap(),
                        p.column.unwrap(),
                        p.key.as_deref().unwrap(),
                        p.message
                            .replace(&dir.path().display().to_string(), "<dir>")
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn every_path_and_glob_is_checked_and_every_problem_reported() {
        let found = problems(
            "[tool.packkit]\npackages = [\"src/pkg\", \"../evil\", \"/abs\", \"src/missing\"]\n\
             include = [\"/docs\", \"../x\", \"a[\"]\nexclude = [1]\nnamespace = \"yes\"\n\
             data = { scripts = \"../bin\", headers = \"inc\", bogus = \"x\" }\n",
        );
        assert_eq!(
            found,
            [
                "2:24: `tool.packkit.packages[1]`: the path must stay inside the project directory (no `..`): \"../evil\"",
                "2:35: `tool.packkit.packages[2]`: the path must be relative to the project directory: \"/abs\"",
                "2:43: `tool.packkit.packages[3]`: \"src/missing\" does not exist in <dir>",
                "3:21: `tool.packkit.include[1]`: the path must stay inside the project directory (no `..`): \"../x\"",
                "4:12: `tool.packkit.exclude[0]`: expected a string, found an integer",
                "5:13: `tool.packkit.namespace`: expected true or false, found a string",
                "6:47: `tool.packkit.data.bogus`: unknown key `bogus`",
                "6:20: `tool.packkit.data.scripts`: the path must stay inside the project directory (no `..`): \"../bin\"",
            ]
        );
    }

    #[test]
    fn the_project_folder_and_control_characters_are_no_package() {
        assert_eq!(
            problems(
                "[tool.packkit]\npackages = [\".\", \"./\", \"\", \"src/pkg\\nimport os\"]\n\
                 data = { data = \"share\\r\" }\n"
            ),
            [
                "2:28: `tool.packkit.packages[3]`: \"src/pkg\\nimport os\" contains a line feed (U+000A): it must fit on one line",
                "2:13: `tool.packkit.packages[0]`: \".\" is the project folder itself, not a package in it",
                "2:18: `tool.packkit.packages[1]`: \"./\" is the project folder itself, not a package in it",
                "2:24: `tool.packkit.packages[2]`: the path is empty: \"\"",
                "3:17: `tool.packkit.data.data`: \"share\\r\" contains a carriage return (U+000D): it must fit on one line",
            ]
        );
    }

    #[test]
    fn globs_that_do_not_compile_are_located() {
        assert_eq!(
            problems("[tool.packkit]\nexclude = [\"ok\", \"a[\"]\n"),
            [
                "2:18: `tool.packkit.exclude[1]`: invalid glob: unclosed character class; missing ']'"
            ]
        );
    }
}
