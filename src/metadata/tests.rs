//! Tests of `ProjectMetadata::load` (every field and every error kind) and the writers.

use std::path::{Path, PathBuf};

use super::*;

/// Loads `toml` as `pyproject.toml` of a temporary project holding `files`. Errors come
/// back as their displayed text (`pyproject.toml:L:C: `key`: message\nhint: ...`).
fn load_with(toml: &str, files: &[(&str, &str)]) -> Result<ProjectMetadata, Vec<String>> {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (path, content) in files {
        let path = dir.path().join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, content).expect("write file");
    }
    let pyproject = PyProject::parse(Path::new("pyproject.toml"), toml.to_owned())
        .expect("the test TOML parses");
    ProjectMetadata::load(&pyproject, dir.path())
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

fn load(toml: &str) -> Result<ProjectMetadata, Vec<String>> {
    load_with(toml, &[])
}

fn ok(toml: &str) -> ProjectMetadata {
    match load(toml) {
        Ok(meta) => meta,
        Err(errors) => panic!("unexpected errors:\n{}", errors.join("\n")),
    }
}

/// The single error of `toml` (the test fails if there are none or several).
fn error(toml: &str) -> String {
    error_with(toml, &[])
}

fn error_with(toml: &str, files: &[(&str, &str)]) -> String {
    match load_with(toml, files) {
        Ok(_) => panic!("expected an error for:\n{toml}"),
        Err(errors) if errors.len() == 1 => errors[0].clone(),
        Err(errors) => panic!("expected one error, got:\n{}", errors.join("\n---\n")),
    }
}

const HEAD: &str = "[project]\nname = \"demo\"\nversion = \"1.0\"\n";

/// `HEAD` plus more lines: errors in `extra` are on line 4 onwards.
fn with(extra: &str) -> String {
    format!("{HEAD}{extra}")
}

// ---- names, versions and the basic document -------------------------------------------

#[test]
fn minimal_metadata() {
    let meta = ok(HEAD);
    assert_eq!(
        meta.core_metadata("1.0").unwrap(),
        "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n"
    );
    assert_eq!(meta.entry_points_txt().unwrap(), None);
    assert_eq!(meta.metadata_version(), "2.1");
}

#[test]
fn name_is_kept_as_written_and_normalized_for_files() {
    let meta = ok("[project]\nname = \"Demo.Pkg__x\"\nversion = \"1\"\n");
    assert_eq!(meta.name, "Demo.Pkg__x");
    assert_eq!(meta.normalized_name(), "demo-pkg-x");
    assert_eq!(meta.file_name(), "demo_pkg_x");
    assert!(
        meta.core_metadata("1")
            .unwrap()
            .contains("\nName: Demo.Pkg__x\n")
    );
    assert_eq!(normalize_name("A.-_B"), "a-b");
}

#[test]
fn version_is_normalized_like_packaging() {
    // Expected values are `str(packaging.version.Version(text))`.
    for (text, expected) in [
        ("v1.0", "1.0"),
        ("1.0-1", "1.0.post1"),
        ("1.0+ABC.1", "1.0+abc.1"),
        ("01.02", "1.2"),
        ("1.0.0-Beta.1", "1.0.0b1"),
        ("1!2.0.post0.dev1", "1!2.0.post0.dev1"),
        ("1.0c1", "1.0rc1"),
        ("2024.01.05", "2024.1.5"),
        ("1.0-dev", "1.0.dev0"),
        ("1.0_RC_2", "1.0rc2"),
    ] {
        let meta = ok(&format!(
            "[project]\nname = \"demo\"\nversion = \"{text}\"\n"
        ));
        assert_eq!(meta.version.as_deref(), Some(expected), "{text}");
    }
}

#[test]
fn dynamic_version() {
    let meta = ok("[project]\nname = \"demo\"\ndynamic = [\"version\"]\n");
    assert_eq!(meta.version, None);
    assert_eq!(meta.dynamic, ["version"]);
    assert!(
        meta.core_metadata("2.3.4")
            .unwrap()
            .contains("\nVersion: 2.3.4\n")
    );
}

#[test]
fn pkg_info_is_at_least_2_2() {
    let meta = ok(HEAD);
    assert!(
        meta.pkg_info("1.0")
            .unwrap()
            .starts_with("Metadata-Version: 2.2\n")
    );
    let meta = ok(&with("license = \"MIT\"\n"));
    assert!(
        meta.pkg_info("1.0")
            .unwrap()
            .starts_with("Metadata-Version: 2.4\n")
    );
}

// ---- every field -----------------------------------------------------------------------

#[test]
fn description_is_the_summary() {
    let meta = ok(&with("description = \"A demo.\"\n"));
    assert!(
        meta.core_metadata("1.0")
            .unwrap()
            .contains("\nSummary: A demo.\n")
    );
}

#[test]
fn readme_file_types() {
    for (file, content_type) in [
        ("README.md", "text/markdown"),
        ("README.rst", "text/x-rst"),
        ("docs/README.TXT", "text/plain"),
    ] {
        let toml = with(&format!("readme = \"{file}\"\n"));
        let meta = load_with(&toml, &[(file, "Hello\n\nWorld\n")]).unwrap();
        assert_eq!(meta.readme_file, Some(PathBuf::from(file)));
        let text = meta.core_metadata("1.0").unwrap();
        assert!(
            text.ends_with(&format!(
                "Description-Content-Type: {content_type}\n\nHello\n\nWorld\n"
            )),
            "{text}"
        );
    }
}

#[test]
fn readme_tables() {
    let toml = with(
        "readme = { file = \"README\", content-type = \"text/markdown; variant=CommonMark\" }\n",
    );
    let meta = load_with(&toml, &[("README", "# Title\n")]).unwrap();
    assert_eq!(meta.readme_file, Some(PathBuf::from("README")));
    assert_eq!(
        meta.readme.unwrap().content_type,
        "text/markdown; variant=CommonMark"
    );
    let meta = ok(&with(
        "[project.readme]\ntext = \"Inline *text*\"\ncontent-type = \"text/x-rst\"\n",
    ));
    assert_eq!(meta.readme_file, None);
    assert!(
        meta.core_metadata("1.0")
            .unwrap()
            .ends_with("Description-Content-Type: text/x-rst\n\nInline *text*")
    );
}

#[test]
fn requires_python_is_normalized() {
    let meta = ok(&with("requires-python = \" >= 3.9 , < 4 \"\n"));
    assert_eq!(meta.requires_python.as_deref(), Some("<4,>=3.9"));
    assert!(
        meta.core_metadata("1.0")
            .unwrap()
            .contains("\nRequires-Python: <4,>=3.9\n")
    );
}

#[test]
fn license_expression_is_canonical_and_needs_2_4() {
    let meta = ok(&with("license = \"mit or apache-2.0\"\n"));
    assert_eq!(
        meta.license,
        Some(License::Expression("MIT OR Apache-2.0".into()))
    );
    let text = meta.core_metadata("1.0").unwrap();
    assert!(text.starts_with("Metadata-Version: 2.4\n"));
    assert!(text.contains("\nLicense-Expression: MIT OR Apache-2.0\n"));
}

#[test]
fn legacy_license_table() {
    let meta = ok(&with("license = { text = \"BSD\" }\n"));
    assert_eq!(meta.license, Some(License::Text("BSD".into())));
    let text = meta.core_metadata("1.0").unwrap();
    assert!(text.starts_with("Metadata-Version: 2.1\n"));
    assert!(text.contains("\nLicense: BSD\n"));

    let toml = with("license = { file = \"COPYING\" }\n");
    let meta = load_with(&toml, &[("COPYING", "Line one\n\nLine three  \n\n")]).unwrap();
    // Folded as packaging 26 writes it: `len("License") + 2` spaces.
    assert!(
        meta.core_metadata("1.0")
            .unwrap()
            .contains("\nLicense: Line one\n         \n         Line three\n"),
        "{}",
        meta.core_metadata("1.0").unwrap()
    );
}

#[test]
fn a_carriage_return_in_a_license_text_is_folded_not_a_header() {
    // A bare CR ends a header line for `email.parser`; folded, it is a continuation.
    for toml in [
        with("license = { text = \"MIT\\rRequires-Dist: evil\" }\ndependencies = [\"a\"]\n"),
        with("license = { file = \"legal.txt\" }\ndependencies = [\"a\"]\n"),
    ] {
        let meta = load_with(&toml, &[("legal.txt", "MIT\rRequires-Dist: evil\r\r")]).unwrap();
        let text = meta.core_metadata("1.0").unwrap();
        assert!(
            text.contains("\nLicense: MIT\n         Requires-Dist: evil\nRequires-Dist: a\n"),
            "{text}"
        );
        assert!(!text.contains('\r'), "{text:?}");
    }
}

#[test]
fn control_characters_in_a_license_text_are_located() {
    assert_eq!(
        error(&with("license = { text = \"MIT\\n\\u001b[2J\" }\n")),
        "pyproject.toml:4:20: `project.license.text`: the license text (line 2) contains the control character U+001B\nhint: remove the control character; better, write the license as an SPDX expression, like `license = \"MIT\"`"
    );
    assert_eq!(
        error_with(
            &with("license = { file = \"LICENSE\" }\n"),
            &[(
                "LICENSE",
                "MIT\n\tTabs and\u{c}form feeds are text\n\u{0}\n"
            )]
        ),
        "pyproject.toml:4:20: `project.license.file`: the license text (LICENSE, line 4) contains the control character U+0000\nhint: remove the control character; better, write the license as an SPDX expression, like `license = \"MIT\"`"
    );
}

#[test]
fn license_files_are_matched_sorted_and_need_2_4() {
    let toml = with("license-files = [\"LICENSE*\", \"licenses/**/*.txt\", \"LICENSE\"]\n");
    let files = [
        ("LICENSE", "x"),
        ("LICENSE.APACHE", "x"),
        ("licenses/b.txt", "x"),
        ("licenses/a/c.txt", "x"),
    ];
    let meta = load_with(&toml, &files).unwrap();
    let found: Vec<&str> = meta
        .license_files
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    assert_eq!(
        found,
        [
            "LICENSE",
            "LICENSE.APACHE",
            "licenses/a/c.txt",
            "licenses/b.txt"
        ]
    );
    let text = meta.core_metadata("1.0").unwrap();
    assert!(text.starts_with("Metadata-Version: 2.4\n"));
    assert!(text.contains(
        "\nLicense-File: LICENSE\nLicense-File: LICENSE.APACHE\nLicense-File: licenses/a/c.txt\n"
    ));
    // An empty list is allowed: no license files.
    assert!(ok(&with("license-files = []\n")).license_files.is_empty());
}

#[test]
fn without_license_files_the_usual_names_at_the_top_are_picked() {
    let files = [
        ("LICENSE.txt", "x"),
        ("COPYING", "x"),
        ("docs/LICENSE", "x"),
        ("NOTICE.md", "x"),
    ];
    let meta = load_with(&with(""), &files).unwrap();
    let found: Vec<&str> = meta
        .license_files
        .iter()
        .map(|p| p.to_str().unwrap())
        .collect();
    assert_eq!(found, ["COPYING", "LICENSE.txt", "NOTICE.md"]);
    assert!(
        ok(&with("")).license_files.is_empty(),
        "none there, none shipped, no error"
    );
}

#[test]
fn authors_and_maintainers() {
    let meta = ok(&with(
        r#"authors = [
  { name = "Ada Lovelace" },
  { name = "Grace Hopper", email = "grace@example.org" },
  { email = "team@example.org" },
  { name = "J. R. \"Bob\" Dobbs", email = "bob@example.org" },
  { name = "Ada Lovelace" },
]
maintainers = [{ name = "Zoë", email = "zoe@example.org" }]
"#,
    ));
    let text = meta.core_metadata("1.0").unwrap();
    assert!(
        text.contains("\nAuthor: Ada Lovelace, Ada Lovelace\n"),
        "{text}"
    );
    assert!(
        text.contains("\nAuthor-email: Grace Hopper <grace@example.org>, team@example.org, \"J. R. \\\"Bob\\\" Dobbs\" <bob@example.org>\n"),
        "{text}"
    );
    assert!(text.contains("\nMaintainer-email: Zoë <zoe@example.org>\n"));
    assert!(!text.contains("\nMaintainer:"));
}

#[test]
fn display_names_are_quoted_like_email_headerregistry() {
    // Expected values are `str(email.headerregistry.Address(display_name=name, ...))`.
    for (name, expected) in [
        ("J. R. \"Bob\" Dobbs", "\"J. R. \\\"Bob\\\" Dobbs\""),
        ("(nobody)", "\"(nobody)\""),
        ("Zoë Ünal", "Zoë Ünal"),
        ("a\\b", "\"a\\\\b\""),
        ("x:y", "\"x:y\""),
        ("O'Brien", "O'Brien"),
        ("a_b-c", "a_b-c"),
        ("semi;colon", "\"semi;colon\""),
        ("at@sign", "\"at@sign\""),
        ("sq[b]", "\"sq[b]\""),
    ] {
        assert_eq!(write::display_name(name), expected, "{name}");
    }
}

#[test]
fn authors_as_array_of_tables() {
    let meta = ok(&with(
        "[[project.authors]]\nname = \"A\"\n[[project.authors]]\nemail = \"b@example.org\"\n",
    ));
    assert_eq!(meta.authors.len(), 2);
    assert!(
        meta.core_metadata("1.0")
            .unwrap()
            .contains("\nAuthor: A\nAuthor-email: b@example.org\n")
    );
}

#[test]
fn keywords_classifiers_urls() {
    let meta = ok(&with(
        r#"keywords = ["packaging", "git"]
classifiers = ["Programming Language :: Python :: 3", "Private :: Do Not Upload"]
[project.urls]
Homepage = "https://example.org"
"Bug Tracker" = "https://example.org/issues"
"#,
    ));
    let text = meta.core_metadata("1.0").unwrap();
    assert!(text.contains("\nKeywords: packaging,git\n"));
    assert!(text.contains(
        "\nClassifier: Programming Language :: Python :: 3\nClassifier: Private :: Do Not Upload\n"
    ));
    assert!(text.contains("\nProject-URL: Homepage, https://example.org\nProject-URL: Bug Tracker, https://example.org/issues\n"));
}

#[test]
fn dependencies_are_printed_like_packaging() {
    let meta = ok(&with(
        "dependencies = [\"Requests [socks] >= 2.31 , < 3\", \"tomli ; python_version<'3.11'\"]\n",
    ));
    assert_eq!(
        meta.dependencies,
        [
            "Requests[socks]<3,>=2.31",
            "tomli; python_version < \"3.11\""
        ]
    );
    let text = meta.core_metadata("1.0").unwrap();
    assert!(text.contains("\nRequires-Dist: Requests[socks]<3,>=2.31\nRequires-Dist: tomli; python_version < \"3.11\"\n"));
}

#[test]
fn optional_dependencies_use_normalized_extras() {
    let meta = ok(&with(
        r#"dependencies = ["a"]
[project.optional-dependencies]
Foo_Bar = ["b>=1", "c; os_name == 'nt' or os_name == 'posix'"]
test = []
"#,
    ));
    assert_eq!(meta.optional_dependencies[0].0, "foo-bar");
    assert_eq!(
        meta.requires_dist,
        [
            "a",
            "b>=1; extra == \"foo-bar\"",
            "c; (os_name == \"nt\" or os_name == \"posix\") and extra == \"foo-bar\""
        ]
    );
    let text = meta.core_metadata("1.0").unwrap();
    assert!(
        text.ends_with("Provides-Extra: foo-bar\nProvides-Extra: test\n"),
        "{text}"
    );
    // Extras alone need no newer Metadata-Version.
    assert!(text.starts_with("Metadata-Version: 2.1\n"));
}

#[test]
fn scripts_and_entry_points() {
    let meta = ok(&with(
        r#"[project.scripts]
demo = "demo.cli:main"
[project.gui-scripts]
demo-gui = "demo.gui:App.run"
[project.entry-points."demo.plugins"]
json = "demo.plugins.json"
yaml = "demo.plugins:load [yaml]"
"#,
    ));
    assert_eq!(meta.scripts, [("demo".into(), "demo.cli:main".into())]);
    assert_eq!(
        meta.entry_points_txt().unwrap().unwrap(),
        "[console_scripts]\ndemo = demo.cli:main\n\n[gui_scripts]\ndemo-gui = demo.gui:App.run\n\n[demo.plugins]\njson = demo.plugins.json\nyaml = demo.plugins:load [yaml]\n\n"
    );
}

#[test]
fn header_order_follows_the_specification() {
    let toml = r#"[project]
name = "Demo.Pkg"
version = "1.2.3"
description = "One line."
readme = "README.md"
requires-python = ">=3.9"
license = "MIT"
license-files = ["LICENSE"]
authors = [{ name = "Ada", email = "ada@example.org" }]
maintainers = [{ name = "Bob" }]
keywords = ["a", "b"]
classifiers = ["Typing :: Typed"]
dependencies = ["x>=1"]
[project.optional-dependencies]
test = ["pytest"]
[project.urls]
Homepage = "https://example.org"
[project.scripts]
demo = "demo:main"
"#;
    let meta = load_with(toml, &[("README.md", "# Demo\n"), ("LICENSE", "MIT\n")]).unwrap();
    assert_eq!(
        meta.core_metadata("1.2.3").unwrap(),
        "Metadata-Version: 2.4
Name: Demo.Pkg
Version: 1.2.3
Summary: One line.
Description-Content-Type: text/markdown
Keywords: a,b
Author-email: Ada <ada@example.org>
Maintainer: Bob
License-Expression: MIT
License-File: LICENSE
Classifier: Typing :: Typed
Requires-Dist: x>=1
Requires-Dist: pytest; extra == \"test\"
Requires-Python: >=3.9
Project-URL: Homepage, https://example.org
Provides-Extra: test

# Demo
"
    );
}

// ---- errors: each names file, line, column and key, with a hint -------------------------

#[test]
fn no_project_table() {
    assert_eq!(
        error("[tool.x]\na = 1\n"),
        "pyproject.toml:1:1: `project`: there is no [project] table\nhint: add a [project] table with at least `name` and `version` (PEP 621)"
    );
    assert_eq!(
        error("project = 3\n"),
        "pyproject.toml:1:11: `project`: expected a table, found an integer"
    );
}

#[test]
fn missing_and_invalid_name() {
    assert_eq!(
        error("[project]\nversion = \"1\"\n"),
        "pyproject.toml:1:1: `project.name`: `name` is required\nhint: add `name = \"your-project\"` to [project]"
    );
    let err = error("[project]\nname = \"-bad\"\nversion = \"1\"\n");
    assert!(
        err.starts_with(
            "pyproject.toml:2:8: `project.name`: \"-bad\" is not a valid project name\nhint: "
        ),
        "{err}"
    );
    assert_eq!(
        error("[project]\nname = 1\nversion = \"1\"\n"),
        "pyproject.toml:2:8: `project.name`: expected a string, found an integer"
    );
}

#[test]
fn missing_and_invalid_version() {
    assert_eq!(
        error("[project]\nname = \"demo\"\n"),
        "pyproject.toml:2:1: `project.version`: `version` is missing and not listed in `dynamic`\nhint: add `version = \"0.1.0\"`, or `dynamic = [\"version\"]` to take it from git tags"
    );
    let err = error("[project]\nname = \"demo\"\nversion = \"1.2.3-beta.x\"\n");
    assert!(
        err.starts_with("pyproject.toml:3:11: `project.version`: \"1.2.3-beta.x\" is not a valid PEP 440 version"),
        "{err}"
    );
}

#[test]
fn static_and_dynamic() {
    assert_eq!(
        error("[project]\nname = \"demo\"\nversion = \"1\"\ndynamic = [\"version\"]\n"),
        "pyproject.toml:3:1: `project.version`: `version` is given here and also listed in `dynamic`\nhint: remove `version` from `dynamic`, or remove this static value"
    );
}

#[test]
fn dynamic_errors() {
    assert_eq!(
        error(&with("dynamic = [\"name\"]\n")),
        "pyproject.toml:4:12: `project.dynamic[0]`: `name` cannot be dynamic\nhint: set `name` statically in [project] and remove it from `dynamic`"
    );
    let errors = load(&with("dynamic = [\"dependencies\", \"readmee\"]\n")).unwrap_err();
    assert_eq!(
        errors,
        [
            "pyproject.toml:4:12: `project.dynamic[0]`: packkit cannot compute `dependencies` dynamically; only the version comes from git\nhint: write `dependencies` in [project] and remove it from `dynamic`",
            "pyproject.toml:4:28: `project.dynamic[1]`: \"readmee\" is not a [project] field\nhint: did you mean \"readme\"?",
        ]
    );
}

#[test]
fn unknown_keys_suggest_the_right_one() {
    assert_eq!(
        error(&with("descripton = \"x\"\n")),
        "pyproject.toml:4:1: `project.descripton`: unknown key `descripton`\nhint: did you mean `description`?"
    );
    assert_eq!(
        error(&with("optional_dependencies = {}\n")),
        "pyproject.toml:4:1: `project.optional_dependencies`: unknown key `optional_dependencies`\nhint: did you mean `optional-dependencies`?"
    );
    assert_eq!(
        error(&with("import-names = [\"demo\"]\n")),
        "pyproject.toml:4:1: `project.import-names`: `import-names` (PEP 794) needs Metadata-Version 2.5, which packkit does not write yet\nhint: remove `import-names`"
    );
}

#[test]
fn description_errors() {
    assert_eq!(
        error(&with("description = \"\"\"two\nlines\"\"\"\n")),
        "pyproject.toml:4:15: `project.description`: the description must be a single line without control characters; it contains a line feed (U+000A)\nhint: put the long text in `readme`; keep `description` to one sentence"
    );
    for (escape, found) in [
        ("\\r", "a carriage return (U+000D)"),
        ("\\u001b[31m", "the control character U+001B"),
        ("\\t", "a tab (U+0009)"),
        ("\\u0085", "the control character U+0085"),
        ("\\u2028", "a line separator (U+2028)"),
    ] {
        let found_in = error(&with(&format!("description = \"a{escape}b\"\n")));
        assert!(
            found_in.contains(&format!("it contains {found}")),
            "{found_in}"
        );
    }
    assert_eq!(
        error(&with("description = [\"x\"]\n")),
        "pyproject.toml:4:15: `project.description`: expected a string, found an array"
    );
}

/// Asserts that `actual` starts with `prefix` (for messages that name the temporary folder).
fn starts(actual: &str, prefix: &str) {
    assert!(
        actual.starts_with(prefix),
        "\n{actual}\ndoes not start with\n{prefix}"
    );
}

#[test]
fn readme_errors() {
    let err = error(&with("readme = \"README.md\"\n"));
    starts(
        &err,
        "pyproject.toml:4:10: `project.readme`: README.md does not exist (looked in ",
    );
    assert!(err.ends_with("\nhint: the path is relative to the directory of pyproject.toml"));
    assert_eq!(
        error_with(&with("readme = \"README\"\n"), &[("README", "x")]),
        "pyproject.toml:4:10: `project.readme`: cannot tell the content type of \"README\" from its extension\nhint: name it .md, .rst or .txt, or write `readme = { file = \"README\", content-type = \"text/plain\" }`"
    );
    assert_eq!(
        error_with(
            &with("readme = { file = \"README.rst\" }\n"),
            &[("README.rst", "x")]
        ),
        "pyproject.toml:4:10: `project.readme.content-type`: a readme table needs `content-type`\nhint: add `content-type = \"text/x-rst\"`"
    );
    assert_eq!(
        error(&with(
            "readme = { text = \"x\", content-type = \"text/html\" }\n"
        )),
        "pyproject.toml:4:39: `project.readme.content-type`: unsupported content type \"text/html\": use \"text/markdown\", \"text/x-rst\" or \"text/plain\""
    );
    assert_eq!(
        error(&with(
            "readme = { text = \"x\", content-type = \"text/markdown; variant=foo\" }\n"
        )),
        "pyproject.toml:4:39: `project.readme.content-type`: Markdown variant \"foo\" is not supported: use \"GFM\" or \"CommonMark\""
    );
    assert_eq!(
        error(&with(
            "readme = { text = \"x\", file = \"R.md\", content-type = \"text/plain\" }\n"
        )),
        "pyproject.toml:4:19: `project.readme`: `file` and `text` cannot both be given\nhint: keep one of them"
    );
    assert_eq!(
        error(&with("readme = \"../README.md\"\n")),
        "pyproject.toml:4:10: `project.readme`: the path must stay inside the project directory (no `..`): \"../README.md\"\nhint: files in an sdist must live under the project directory; move or copy the file there"
    );
    assert_eq!(
        error(&with(
            "readme = { text = \"x\", content-type = \"text/plain\", tex = \"x\" }\n"
        )),
        "pyproject.toml:4:53: `project.readme.tex`: unknown key `tex`\nhint: did you mean `text`?"
    );
    assert_eq!(
        error(&with("readme = 3\n")),
        "pyproject.toml:4:10: `project.readme`: expected a string (a file name) or a table, found an integer\nhint: write `readme = \"README.md\"`"
    );
}

#[test]
fn requires_python_errors() {
    let err = error(&with("requires-python = \">=3.9,,\"\n"));
    starts(
        &err,
        "pyproject.toml:4:19: `project.requires-python`: invalid version specifier \">=3.9,,\": ",
    );
    assert!(
        err.ends_with("\nhint: write it like \">=3.9\" or \">=3.9,<4\" (PEP 440)"),
        "{err}"
    );
    assert_eq!(
        error(&with("requires-python = 3.9\n")),
        "pyproject.toml:4:19: `project.requires-python`: expected a string, found a float"
    );
}

#[test]
fn license_errors() {
    assert_eq!(
        error(&with("license = \"MIT OR Foo-License-9\"\n")),
        "pyproject.toml:4:11: `project.license`: unknown license id `Foo-License-9`\nhint: write an SPDX expression like \"MIT\" or \"MIT OR Apache-2.0\"; ids are listed at https://spdx.org/licenses/"
    );
    assert_eq!(
        error(&with("license = \"Apache2\"\n")),
        "pyproject.toml:4:11: `project.license`: \"Apache2\" is a license name, not an SPDX expression\nhint: did you mean `Apache-2.0`? See https://spdx.org/licenses/"
    );
    starts(
        &error(&with("license = \"MIT OR\"\n")),
        "pyproject.toml:4:11: `project.license`: invalid license expression \"MIT OR\": ",
    );
    assert_eq!(
        error_with(
            &with("license = { file = \"LICENSE\" }\nlicense-files = [\"LICENSE\"]\n"),
            &[("LICENSE", "x")]
        ),
        "pyproject.toml:4:11: `project.license`: the legacy `license` table cannot be combined with `license-files`\nhint: write the license as an SPDX expression, like `license = \"MIT\"`"
    );
    assert_eq!(
        error(&with("license = {}\n")),
        "pyproject.toml:4:11: `project.license`: a license table needs `file` or `text`\nhint: prefer an SPDX expression: `license = \"MIT\"`"
    );
    assert_eq!(
        error(&with("license = [\"MIT\"]\n")),
        "pyproject.toml:4:11: `project.license`: expected a string (an SPDX expression), found an array\nhint: write it like `license = \"MIT\"`"
    );
    starts(
        &error(&with("license = { file = \"COPYING\" }\n")),
        "pyproject.toml:4:20: `project.license.file`: COPYING does not exist",
    );
}

#[test]
fn license_files_errors() {
    let errors = load_with(
        &with("license-files = [\"LICENSE\", \"COPYING*\", \"../LICENSE\", \"/abs\", 3]\n"),
        &[("LICENSE", "x")],
    )
    .unwrap_err();
    assert_eq!(errors.len(), 4, "{errors:#?}");
    // Errors come sorted by position.
    starts(
        &errors[0],
        "pyproject.toml:4:29: `project.license-files[1]`: \"COPYING*\" matches no file\nhint: every license-files pattern must match a file (PEP 639); patterns are relative to ",
    );
    assert_eq!(
        errors[1],
        "pyproject.toml:4:41: `project.license-files[2]`: invalid license-files pattern \"../LICENSE\": the path must stay inside the project directory (no `..`)\nhint: patterns are relative to the project directory, like \"LICENSE*\" or \"licenses/**/*.txt\""
    );
    starts(
        &errors[2],
        "pyproject.toml:4:55: `project.license-files[3]`: invalid license-files pattern \"/abs\": the path must be relative to the project directory",
    );
    assert_eq!(
        errors[3],
        "pyproject.toml:4:63: `project.license-files[4]`: expected a string, found an integer"
    );
}

#[test]
fn people_errors() {
    let errors = load(&with(
        r#"authors = [
  "Ada",
  { name = "Lovelace, Ada" },
  { name = "Ada", email = "not an email" },
  {},
  { name = "Ada", web = "x" },
]
"#,
    ))
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "pyproject.toml:5:3: `project.authors[0]`: expected a table, found a string\nhint: write `{ name = \"Ada Lovelace\", email = \"ada@example.org\" }`",
            "pyproject.toml:6:12: `project.authors[1].name`: a name cannot contain a comma or a control character\nhint: core metadata joins several names with \", \"; write the name without commas (PEP 621)",
            "pyproject.toml:7:27: `project.authors[2].email`: \"not an email\" is not an email address\nhint: write a single address like \"ada@example.org\"; put the name in `name`",
            "pyproject.toml:8:3: `project.authors[3]`: an entry needs `name`, `email` or both",
            "pyproject.toml:9:19: `project.authors[4].web`: unknown key `web`\nhint: known keys: name, email",
        ]
    );
    assert_eq!(
        error(&with("maintainers = { name = \"x\" }\n")),
        "pyproject.toml:4:15: `project.maintainers`: expected an array of tables, found an inline table"
    );
}

#[test]
fn keyword_classifier_and_url_errors() {
    assert_eq!(
        error(&with("keywords = [\"a,b\"]\n")),
        "pyproject.toml:4:13: `project.keywords[0]`: invalid keyword \"a,b\": keywords must be non-empty and without commas\nhint: core metadata joins keywords with commas; split it into several keywords"
    );
    assert_eq!(
        error(&with("classifiers = [\"Programming Language::Python\"]\n")),
        "pyproject.toml:4:16: `project.classifiers[0]`: \"Programming Language::Python\" is not a classifier\nhint: classifiers look like \"Programming Language :: Python :: 3\"; see https://pypi.org/classifiers/"
    );
    assert_eq!(
        error(&with(
            "license = \"MIT\"\nclassifiers = [\"License :: OSI Approved :: MIT License\"]\n"
        )),
        "pyproject.toml:5:16: `project.classifiers[0]`: license classifiers cannot be combined with an SPDX `license` expression\nhint: remove this classifier: `license` already states the license (PEP 639)"
    );
    // Without an expression, license classifiers are fine.
    ok(&with(
        "classifiers = [\"License :: OSI Approved :: MIT License\"]\n",
    ));
    assert_eq!(
        error(&with("[project.urls]\nHomepage = \"example.org\"\n")),
        "pyproject.toml:5:12: `project.urls.Homepage`: \"example.org\" is not a URL\nhint: write a full URL like \"https://example.org/docs\""
    );
    assert_eq!(
        error(&with(
            "[project.urls]\n\"A label that is far too long to be shown\" = \"https://e.org\"\n"
        )),
        "pyproject.toml:5:1: `project.urls.\"A label that is far too long to be shown\"`: invalid URL label \"A label that is far too long to be shown\": labels are at most 32 characters, without commas\nhint: use a short label like \"Homepage\", \"Documentation\" or \"Issues\""
    );
    assert_eq!(
        error(&with("urls = [\"https://e.org\"]\n")),
        "pyproject.toml:4:8: `project.urls`: expected a table, found an array"
    );
}

#[test]
fn dependency_errors_point_at_the_column() {
    // Column 38 is the second `,` inside the string.
    let err = error(&with("dependencies = [\"ok\", \"packaging>=20,,\"]\n"));
    starts(
        &err,
        "pyproject.toml:4:38: `project.dependencies[1]`: invalid requirement \"packaging>=20,,\": ",
    );
    assert!(err.ends_with("\nhint: write a PEP 508 requirement, like \"requests>=2.31\" or \"tomli; python_version < '3.11'\""));
    // With an escape in the TOML string the column is the string's start.
    starts(
        &error(&with("dependencies = [\"\\u0061 @@\"]\n")),
        "pyproject.toml:4:17: `project.dependencies[0]`: invalid requirement \"a @@\": ",
    );
    assert_eq!(
        error(&with("dependencies = [1]\n")),
        "pyproject.toml:4:17: `project.dependencies[0]`: expected a string, found an integer"
    );
    assert_eq!(
        error(&with("dependencies = \"requests\"\n")),
        "pyproject.toml:4:16: `project.dependencies`: expected an array of strings, found a string"
    );
}

#[test]
fn optional_dependency_errors() {
    let errors = load(&with(
        "[project.optional-dependencies]\n\"-bad\" = []\nFoo_Bar = []\n\"foo.bar\" = []\ntest = [\"pytest >= \"]\n",
    ))
    .unwrap_err();
    assert_eq!(errors.len(), 3, "{errors:#?}");
    starts(
        &errors[0],
        "pyproject.toml:5:1: `project.optional-dependencies.-bad`: \"-bad\" is not a valid extra name\nhint: ",
    );
    assert_eq!(
        errors[1],
        "pyproject.toml:7:1: `project.optional-dependencies.\"foo.bar\"`: extras \"Foo_Bar\" and \"foo.bar\" are the same extra \"foo-bar\" (PEP 685)\nhint: merge them into one table entry"
    );
    starts(
        &errors[2],
        "pyproject.toml:8:17: `project.optional-dependencies.test[0]`: invalid requirement \"pytest >= \": ",
    );
}

#[test]
fn script_and_entry_point_errors() {
    let errors = load(&with(
        r#"[project.scripts]
demo = "demo.cli"
"bad/name" = "demo:main"
"x" = "demo:1main"
[project.gui-scripts]
demo = "demo:gui"
[project.entry-points.console_scripts]
other = "demo:main"
[project.entry-points."bad group"]
a = "demo"
[project.entry-points.ok]
"=x" = "demo"
y = "de mo"
"#,
    ))
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "pyproject.toml:5:8: `project.scripts.demo`: invalid object reference \"demo.cli\": a script needs the function after `:`\nhint: write it like \"package.module:function\"",
            "pyproject.toml:6:1: `project.scripts.\"bad/name\"`: invalid name \"bad/name\"\nhint: script names become file names: no `/`, `\\`, `=`, control character, leading `[`, `#` or `;` or surrounding spaces",
            "pyproject.toml:7:7: `project.scripts.x`: invalid object reference \"demo:1main\": the part after `:` is not a dotted Python name\nhint: write it like \"package.module:function\"",
            "pyproject.toml:10:23: `project.entry-points.console_scripts`: `console_scripts` entry points must be declared in [project.scripts]\nhint: move these entries to [project.scripts] (PEP 621)",
            "pyproject.toml:12:23: `project.entry-points.\"bad group\"`: invalid entry point group \"bad group\"\nhint: group names are dotted names like \"pytest11\" or \"myapp.plugins\"",
            "pyproject.toml:15:1: `project.entry-points.ok.\"=x\"`: invalid name \"=x\"\nhint: entry point names cannot contain `=` or a control character, start with `[`, `#` or `;` or start or end with spaces",
            "pyproject.toml:16:5: `project.entry-points.ok.y`: invalid object reference \"de mo\": the module part is not a dotted Python name\nhint: write it like \"package.module:function\"",
        ]
    );
    // `demo` as both a console and a GUI script is the one remaining error of that file.
    let errors = load(&with(
        "[project.scripts]\ndemo = \"demo:main\"\n[project.gui-scripts]\ndemo = \"demo:gui\"\n",
    ))
    .unwrap_err();
    assert_eq!(
        errors,
        [
            "pyproject.toml:7:1: `project.gui-scripts.demo`: `demo` is both a console script and a GUI script\nhint: give one of them another name"
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let errors = load(
        r#"[project]
name = "demo"
descripton = "typo"
license = "Foo"
dependencies = ["a >>= 1"]
keywords = [1]
"#,
    )
    .unwrap_err();
    let keys: Vec<&str> = errors
        .iter()
        .map(|e| e.split('`').nth(1).unwrap_or(""))
        .collect();
    assert_eq!(
        keys,
        [
            "project.version",
            "project.descripton",
            "project.license",
            "project.dependencies[0]",
            "project.keywords[0]",
        ]
    );
}

#[cfg(unix)]
#[test]
fn files_outside_the_project_are_refused() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    std::fs::write(&secret, "secret").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("README.md")).unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("LICENSE")).unwrap();
    let toml = with("readme = \"README.md\"\nlicense-files = [\"LICENSE\"]\n");
    let pyproject = PyProject::parse(Path::new("pyproject.toml"), toml).unwrap();
    let errors: Vec<String> = ProjectMetadata::load(&pyproject, dir.path())
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        errors,
        [
            "pyproject.toml:4:10: `project.readme`: README.md leads outside the project directory (through a symbolic link)\nhint: copy the file into the project instead of linking to it",
            "pyproject.toml:5:18: `project.license-files[0]`: \"LICENSE\" matches \"LICENSE\", but it leads outside the project directory (through a symbolic link)\nhint: rename the file, or narrow the pattern so it does not match it",
        ]
    );
}

#[test]
fn header_injection_is_impossible() {
    starts(
        &error(&with("dependencies = [\"a; os_name == 'x\\nEvil: 1'\"]\n")),
        "pyproject.toml:4:17: `project.dependencies[0]`: \"a; os_name == 'x\\nEvil: 1'\" contains a line feed (U+000A): it must fit on one line",
    );
    assert_eq!(
        error(&with(
            "readme = { text = \"x\", content-type = \"text/plain; a=b\\nEvil: 1\" }\n"
        )),
        "pyproject.toml:4:39: `project.readme.content-type`: the content type must be a single line without control characters; it contains a line feed (U+000A)"
    );
}

#[test]
fn entry_points_txt_injection_is_impossible() {
    // `mod:fn\n[console_scripts]` once passed the object-reference check (the reference was
    // trimmed, the rest read as extras) and turned the next entries into console scripts.
    let toml = with(
        "[project.entry-points.\"demo.plugins\"]\na = \"mod:fn\\n[console_scripts]\"\nevil = \"os:system\"\n",
    );
    starts(
        &error(&toml),
        "pyproject.toml:5:5: `project.entry-points.\"demo.plugins\".a`: \"mod:fn\\n[console_scripts]\" contains a line feed (U+000A): it must fit on one line",
    );
    starts(
        &error(&with(
            "[project.scripts]\nx = \"mod:fn\\n[console_scripts]\\nevil = os:system\"\n",
        )),
        "pyproject.toml:5:5: `project.scripts.x`: \"mod:fn\\n[console_scripts]\\nevil = os:system\" contains a line feed (U+000A)",
    );
    for name in ["\"#x\"", "\";x\"", "\"a\\u0000\""] {
        starts(
            &error(&with(&format!("[project.scripts]\n{name} = \"m:f\"\n"))),
            "pyproject.toml:5:1: `project.scripts.",
        );
    }
}

#[test]
fn every_written_string_is_refused_with_a_control_character() {
    for (toml, key) in [
        ("keywords = [\"a\\u0007\"]\n", "project.keywords[0]"),
        ("classifiers = [\"A :: B\\r\"]\n", "project.classifiers[0]"),
        (
            "authors = [{ name = \"A\\u001b\" }]\n",
            "project.authors[0].name",
        ),
        (
            "urls = { \"Home\\u0085\" = \"https://x.org\" }\n",
            "project.urls.\"Home\\u{85}\"",
        ),
        (
            "license-files = [\"LICENSE\\n\"]\n",
            "project.license-files[0]",
        ),
        (
            "[project.gui-scripts]\ng = \"m:f\\u2029\"\n",
            "project.gui-scripts.g",
        ),
    ] {
        let found = error(&with(toml));
        assert!(found.contains(&format!("`{key}`: ")), "{key}: {found}");
    }
}
