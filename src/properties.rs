//! Property tests: every parser of outside input, and what it feeds the writers, fed arbitrary
//! text. None may panic, and whatever they accept must be valid (a version they produce is a
//! PEP 440 version exactly as written, a Python literal means its text).
//!
//! `cargo test` runs a few hundred cases of each (a few seconds); `make fuzz` runs the same
//! properties with `PROPTEST_CASES` (100000 by default) cases each.

use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::test_runner::Config;

use crate::build::{BuildSettings, OTHER_KEYS};
use crate::metadata::{ProjectMetadata, canonical_expression};
use crate::pyproject::PyProject;
use crate::resolve::{self, Environment, Overrides, Settings};
use crate::scaffold::{self, Options, ReadmeFormat};
use crate::scm::TagMatcher;
use crate::scm::archival::{parse_archival, parse_pkg_info};
use crate::version::schemes::{self, Context, Facts, FragmentBump, LocalScheme, VersionScheme};
use crate::version::{self, BUMP_PARTS};

/// `cases` cases, unless `PROPTEST_CASES` says otherwise (`make fuzz`). Failures are printed,
/// shrunk, and not persisted into the source tree: add them as unit tests.
fn config(cases: u32) -> Config {
    let mut config = Config {
        failure_persistence: None,
        // Filters (a valid version, a tag that parses) reject at a steady rate: scale with
        // the case count instead of stopping at proptest's fixed 65536.
        max_local_rejects: u32::MAX,
        max_global_rejects: u32::MAX,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    config
}

/// Text that is mostly made of what versions, tags and headers are made of, with the odd
/// character that breaks byte slicing (`é`, a wide space, an emoji) or parsing.
/// Text made of TOML tokens and the keys of the environment's TOML variables.
fn toml_words() -> impl Strategy<Value = String> {
    const WORDS: &[&str] = &[
        "distance",
        "node",
        "dirty",
        "tag",
        "preformatted",
        "branch",
        "node_date",
        "time",
        "local_scheme",
        "version_scheme",
        "root",
        "version_file",
        "tag_regex",
        "normalize",
        "parentdir_prefix_version",
        "fallback_version",
        " = ",
        "=",
        "1",
        "-1",
        "99999999999",
        "\"x\"",
        "\"2.0\"",
        "\"dirty-tag\"",
        "\"../x\"",
        "\"(\"",
        "true",
        "false",
        "{",
        "}",
        ",",
        "[",
        "]",
        "\n",
        " ",
        "2024-01-01",
        "2024-02-30",
        "2024-01-01T00:00:00Z",
        "2024-01-01T25:00:00",
        "12:00:00",
        "'",
        "\"",
    ];
    proptest::collection::vec(proptest::sample::select(WORDS), 0..14).prop_map(|w| w.concat())
}

fn texty() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[0-9vV.+!_a-z -]{0,16}",
        2 => "[0-9.]{0,6}(rc|a|b|dev|post|-|\\+)?[0-9a-z.]{0,6}",
        2 => proptest::collection::vec(
            prop_oneof![
                Just("1".to_owned()), Just(".".to_owned()), Just("é".to_owned()),
                Just("\u{2003}".to_owned()), Just("\u{1c}".to_owned()), Just("😀".to_owned()),
                Just("\n".to_owned()), Just(" ".to_owned()), Just("g".to_owned()),
                Just("-".to_owned()), Just("+".to_owned()), Just("'".to_owned()),
                Just("\"".to_owned()), Just("\\".to_owned()), Just("{".to_owned()),
                Just("}".to_owned()), Just("v".to_owned()), Just("0".to_owned()),
                Just("dev".to_owned()), Just("tag: ".to_owned()), Just(",".to_owned()),
            ],
            0..12,
        )
        .prop_map(|parts| parts.concat()),
        1 => any::<String>(),
    ]
}

/// A version as written, as `version::clean` returns them: what every version source yields.
/// Mostly built to be one (filtering arbitrary text would reject nearly every case).
fn version_text() -> impl Strategy<Value = String> {
    let built = "([0-9]{1,2}!)?[vV]?([0-9]{1,3}|18446744073709551614)(\\.[0-9]{1,3}){0,3}\
                 ([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[0-9]{0,3})?([-_.]?(post|r|rev)[0-9]{0,3})?\
                 ([-_.]?dev[0-9]{0,3})?(\\+[a-z0-9]{1,4}([-_.][a-z0-9]{1,4}){0,2})?";
    prop_oneof![9 => built.prop_map(|v: String| v), 1 => texty()]
        .prop_filter_map("a PEP 440 version", |text| version::clean(&text).ok())
}

fn header_file() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("node"),
        Just("node-date"),
        Just("describe-name"),
        Just("ref-names"),
        Just("Version"),
        Just("Metadata-Version"),
        Just("From "),
        Just(" "),
    ];
    let line = prop_oneof![
        4 => (key, texty()).prop_map(|(key, value)| format!("{key}: {value}")),
        1 => texty(),
    ];
    let separator = prop_oneof![Just("\n"), Just("\r\n"), Just("\r"), Just("\n ")];
    prop_oneof![
        4 => proptest::collection::vec((line, separator), 0..6).prop_map(|lines| {
            lines.into_iter().map(|(line, sep)| format!("{line}{sep}")).collect()
        }),
        1 => any::<String>(),
    ]
}

fn tag_matcher() -> impl Strategy<Value = Option<TagMatcher>> {
    let regex = prop_oneof![
        3 => Just(None),
        1 => Just(Some(r"^(?:[\w-]+-)?(?P<version>[vV]?\d+(?:\.\d+){0,2}[^\+]*)(?:\+.*)?$".to_owned())),
        1 => Just(Some(r"^release-(.*)$".to_owned())),
        1 => Just(Some(r"(?P<version>.*)".to_owned())),
        1 => Just(Some(r"^(.+?)(\s*)$".to_owned())),
        1 => texty().prop_map(Some),
    ];
    let prefix = prop_oneof![3 => Just(None), 1 => texty().prop_map(Some)];
    (regex, prefix).prop_map(|(regex, prefix)| TagMatcher::new(regex.as_deref(), prefix).ok())
}

fn facts() -> impl Strategy<Value = Facts> {
    let tag = prop_oneof![
        1 => Just(None),
        3 => (tag_matcher(), texty()).prop_map(|(matcher, name)| {
            matcher.and_then(|m| m.parse(&name))
        }),
    ];
    let node = prop_oneof![
        Just(None),
        "g[0-9a-f]{0,40}".prop_map(Some),
        texty().prop_map(Some),
    ];
    let date = (-9999i16..=9999, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| Date::new(y, m, d).ok());
    (
        tag,
        any::<u64>(),
        node,
        any::<bool>(),
        proptest::option::of(texty()),
        date,
        any::<bool>(),
    )
        .prop_map(
            |(tag, distance, node, dirty, branch, node_date, shallow)| Facts {
                tag,
                distance,
                node,
                dirty,
                branch,
                node_date,
                shallow,
            },
        )
}

fn fragment_bump() -> impl Strategy<Value = FragmentBump> {
    prop_oneof![
        Just(FragmentBump::None),
        Just(FragmentBump::Patch),
        Just(FragmentBump::Minor),
        any::<bool>().prop_map(|explicit_major| FragmentBump::Major { explicit_major }),
    ]
}

/// What a version must be once produced: exactly as `clean` would write it.
fn assert_clean(version: &str) {
    assert_eq!(
        version::clean(version).ok().as_deref(),
        Some(version),
        "{version:?} is not a clean PEP 440 version"
    );
}

/// Every scheme pair on `facts`: no panic, and every version produced is clean.
fn every_scheme(facts: &Facts, untagged_base: &str, seconds: i64, normalize: bool) {
    let matcher = TagMatcher::new(None, None).expect("the default regex is valid");
    let parse_tag = |name: &str| matcher.version_text(name).map(|(text, _)| text.to_owned());
    // The fragment kinds are `towncrier_schemes`'s.
    let context = Context {
        untagged_base,
        time: Timestamp::from_second(seconds).unwrap_or(Timestamp::UNIX_EPOCH),
        parse_tag: &parse_tag,
        fragments: FragmentBump::None,
        normalize,
    };
    for scheme in VersionScheme::NAMES
        .iter()
        .filter_map(|n| VersionScheme::from_name(n))
    {
        for local in LocalScheme::NAMES
            .iter()
            .filter_map(|n| LocalScheme::from_name(n))
        {
            if let Ok(version) = schemes::format(facts, scheme, &[local], &context) {
                assert_clean(&version);
                let file =
                    resolve::render_template(resolve::PY_TEMPLATE, &version, facts.short_node());
                assert!(file.is_ok(), "the default template renders");
            }
        }
    }
}

/// Python's reading of a string literal `python_str` writes (its escapes only).
fn unescape_python(literal: &str) -> Option<String> {
    let quote = literal.chars().next()?;
    let inner = literal.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == quote || !(' '..='~').contains(&c) {
            return None; // an unescaped quote or a raw control character
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| {
            let digits: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
        };
        out.push(match chars.next()? {
            '\\' => '\\',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            '\'' => '\'',
            '"' => '"',
            'x' => hex(&mut chars, 2)?,
            'u' => hex(&mut chars, 4)?,
            'U' => hex(&mut chars, 8)?,
            _ => return None,
        });
    }
    Some(out)
}

/// A TOML basic string holding `text` (escapes included).
fn toml_str(text: &str) -> String {
    toml_edit::Value::from(text).to_string()
}

/// A `pyproject.toml` made of plausible keys with arbitrary values.
fn pyproject_text() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        4 => texty().prop_map(|t| toml_str(&t)),
        1 => Just("1".to_owned()),
        1 => Just("[]".to_owned()),
        1 => proptest::collection::vec(texty(), 0..3).prop_map(|items| {
            format!("[{}]", items.iter().map(|i| toml_str(i)).collect::<Vec<_>>().join(", "))
        }),
        1 => texty().prop_map(|t| format!("{{ file = {} }}", toml_str(&t))),
        1 => texty().prop_map(|t| format!("{{ text = {} }}", toml_str(&t))),
    ];
    let requirement = prop_oneof![
        2 => texty(),
        2 => (
            "[A-Za-z][A-Za-z0-9._-]{0,8}",
            "(\\[[a-z,é ]{0,6}\\])?",
            "((==|>=|<|~=|!=|===) ?[0-9.*a-z+é]{0,6},?){0,2}",
            "(;( ?(os_name|extra|python_version|'a'|\"é\") ?(==|in|not in|<|and|or) ?('[a-zé ]{0,4}'|\"3.8\"|extra|os.name)){0,3})?",
        )
            .prop_map(|(name, extras, specs, marker)| format!("{name}{extras}{specs}{marker}")),
    ];
    let license = prop_oneof![
        2 => texty(),
        2 => proptest::collection::vec(
            prop_oneof![
                Just("MIT"), Just("apache-2.0"), Just("or"), Just("AND"), Just("WITH"),
                Just("("), Just(")"), Just("LicenseRef-é"), Just("GPL-2.0+"),
                Just("Classpath-exception-2.0"), Just("é"), Just("licenseref-x"),
            ],
            0..6,
        )
        .prop_map(|words| words.join(" ")),
    ];
    let key = prop_oneof![
        Just("version"),
        Just("description"),
        Just("readme"),
        Just("requires-python"),
        Just("license"),
        Just("license-files"),
        Just("keywords"),
        Just("classifiers"),
        Just("dynamic"),
        Just("authors"),
    ];
    let tool_key = prop_oneof![
        Just("version-scheme"),
        Just("local-scheme"),
        Just("tag-regex"),
        Just("tag-prefix"),
        Just("fallback-version"),
        Just("root"),
        Just("version-file"),
        Just("version-file-template"),
        Just("normalize"),
        Just("packages"),
        Just("include"),
        Just("exclude"),
    ];
    let document = (
        proptest::option::of(texty()),
        proptest::collection::vec((key, value.clone()), 0..4),
        proptest::collection::vec(requirement, 0..3),
        proptest::option::of(license),
        proptest::collection::vec((tool_key, value), 0..4),
    )
        .prop_map(|(name, fields, requirements, license, tool)| {
            let mut text = String::from("[project]\n");
            if let Some(name) = name {
                text += &format!("name = {}\n", toml_str(&name));
            }
            for (key, value) in fields {
                text += &format!("{key} = {value}\n");
            }
            let requirements: Vec<String> = requirements.iter().map(|r| toml_str(r)).collect();
            text += &format!("dependencies = [{}]\n", requirements.join(", "));
            if let Some(license) = license {
                text += &format!("license = {}\n", toml_str(&license));
            }
            text += "[tool.packkit]\n";
            for (key, value) in tool {
                text += &format!("{key} = {value}\n");
            }
            text
        });
    prop_oneof![6 => document, 1 => any::<String>(), 1 => texty()]
}

/// Another backend's `pyproject.toml`: its tables, with plausible keys and arbitrary values.
fn foreign_pyproject_text() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        3 => texty().prop_map(|t| toml_str(&t)),
        1 => Just("true".to_owned()),
        1 => proptest::collection::vec(texty(), 0..3).prop_map(|items| {
            format!("[{}]", items.iter().map(|i| toml_str(i)).collect::<Vec<_>>().join(", "))
        }),
        1 => texty().prop_map(|t| format!("{{ {} = {} }}", toml_str(&t), toml_str(&t))),
    ];
    let table = proptest::sample::select(vec![
        "build-system",
        "project",
        "tool.setuptools_scm",
        "tool.hatch.version",
        "tool.hatch.build.targets.wheel",
        "tool.hatch.build.hooks.vcs",
        "tool.flit.module",
        "tool.setuptools",
        "tool.setuptools.packages.find",
        "tool.setuptools.dynamic",
        "tool.pdm.version",
        "tool.pdm.build",
        "tool.uv.build-backend",
        "tool.poetry-dynamic-versioning",
        "tool.packkit",
    ]);
    let key = proptest::sample::select(vec![
        "build-backend",
        "requires",
        "name",
        "dynamic",
        "source",
        "path",
        "tag-pattern",
        "raw-options",
        "version-file",
        "packages",
        "include",
        "exclude",
        "where",
        "write_to",
        "root",
        "module-name",
        "module-root",
        "data",
        "package-dir",
        "version",
        "readme",
        "license",
        "classifiers",
        "tag",
        "includes",
        "sources",
        "local_scheme",
    ]);
    proptest::collection::vec((table, proptest::collection::vec((key, value), 0..4)), 0..5)
        .prop_map(|tables| {
            let mut text = String::new();
            let mut seen = Vec::new();
            for (table, keys) in tables {
                if seen.contains(&table) {
                    continue;
                }
                seen.push(table);
                text += &format!("[{table}]\n");
                let mut keys_seen = Vec::new();
                for (key, value) in keys {
                    if !keys_seen.contains(&key) {
                        keys_seen.push(key);
                        text += &format!("{key} = {value}\n");
                    }
                }
            }
            text
        })
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn migrations(
        text in prop_oneof![4 => foreign_pyproject_text(), 1 => any::<String>()],
        setup_cfg in proptest::option::of(prop_oneof![
            texty(),
            proptest::collection::vec(
                prop_oneof![
                    Just("[metadata]".to_owned()), Just("[options]".to_owned()),
                    Just("[options.entry_points]".to_owned()), Just("  é = x".to_owned()),
                    texty().prop_map(|t| format!("name = {t}")),
                    texty().prop_map(|t| format!("license = {t}")),
                    texty().prop_map(|t| format!("install_requires =\n    {t}  # c")),
                    texty().prop_map(|t| format!("packages = {t}")),
                ],
                0..8,
            ).prop_map(|lines| lines.join("\n")),
        ]),
        setup_py in proptest::option::of(prop_oneof![
            texty(),
            texty().prop_map(|t| format!("setup({t}")),
            texty().prop_map(|t| format!("setup(use_scm_version={{\"version_scheme\": \"{t}\"}})")),
        ]),
        module in texty(),
    ) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let sources = crate::migrate::Sources {
            pyproject: &text,
            setup_cfg: setup_cfg.as_deref(),
            setup_py: setup_py.as_deref(),
        };
        let options = crate::migrate::Options::default();
        // Nothing panics; what is planned is valid TOML.
        if let Ok(report) = crate::migrate::plan(dir.path(), Path::new("pyproject.toml"), &sources, &options) {
            prop_assert!(report.text.parse::<toml_edit::DocumentMut>().is_ok(), "{}", report.text);
        }
        let _ = crate::migrate::flit_summary(&module);
    }

    #[test]
    fn archival_files(text in header_file(), matcher in tag_matcher()) {
        let matcher = matcher.unwrap_or_else(|| TagMatcher::new(None, None).expect("valid"));
        if let Ok(Some(facts)) = parse_archival(&text, Path::new(".git_archival.txt"), &matcher) {
            if let Some(tag) = &facts.tag {
                assert_clean(&tag.text);
            }
            if let Some(node) = &facts.node {
                prop_assert!(node.starts_with('g') && node.is_ascii());
            }
            every_scheme(&facts, "0.0", 1_718_452_800, false);
        }
    }

    #[test]
    fn pkg_info_files(text in header_file()) {
        if let Ok(Some(version)) = parse_pkg_info(&text, Path::new("PKG-INFO")) {
            assert_clean(&version);
        }
    }

    #[test]
    fn tags(matcher in tag_matcher(), name in texty()) {
        if let Some(tag) = matcher.and_then(|m| m.parse(&name)) {
            assert_clean(&tag.text);
            prop_assert_eq!(version::parse(&tag.text)?, tag.version);
        }
    }

    #[test]
    fn pretend_versions(value in texty(), for_dist in any::<bool>()) {
        let variable = if for_dist {
            "SETUPTOOLS_SCM_PRETEND_VERSION_FOR_DEMO"
        } else {
            "PACKKIT_PRETEND_VERSION"
        };
        let env = Environment { vars: vec![(variable.to_owned(), value.clone())] };
        let overrides = Overrides { dist_name: Some("demo".into()), ..Overrides::default() };
        let settings = Settings::from_pyproject(Path::new("."), None, &overrides, &[])
            .expect("no pyproject, no problem");
        match resolve::resolve(&settings, &env) {
            Ok(resolved) => {
                assert_clean(&resolved.version);
                prop_assert_eq!(resolved.version.as_str(), value.trim_matches(version::is_python_whitespace));
            }
            Err(err) => prop_assert!(err.to_string().contains(variable), "{}", err),
        }
    }

    /// Overrides and pretend metadata are untrusted text: read or refused naming the
    /// variable, never a panic (inline tables and whole documents alike).
    #[test]
    fn environment_toml(
        value in prop_oneof![texty(), toml_words()],
        inline in any::<bool>(),
        metadata in any::<bool>(),
    ) {
        let value = if inline { format!("{{{value}") } else { value };
        let variable = if metadata {
            "SETUPTOOLS_SCM_PRETEND_METADATA_FOR_DEMO"
        } else {
            "PACKKIT_OVERRIDES"
        };
        let env = Environment { vars: vec![(variable.to_owned(), value)] };
        let overrides = Overrides {
            dist_name: Some("demo".into()),
            fallback_version: Some("1.0".into()),
            environment: Some(env.clone()),
            ..Overrides::default()
        };
        let dir = std::env::temp_dir().join("packkit-properties-environment-toml");
        let _ = std::fs::create_dir_all(&dir);
        match Settings::from_pyproject(&dir, None, &overrides, &[]) {
            Ok(settings) => match resolve::resolve(&settings, &env) {
                Ok(resolved) => assert_clean(&resolved.version),
                Err(err) => prop_assert!(err.to_string().contains(variable), "{}", err),
            },
            Err(problems) => {
                let text = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n");
                prop_assert!(text.contains(variable), "{}", text);
            }
        }
    }

    #[test]
    fn version_schemes(
        facts in facts(),
        base in version_text(),
        seconds in -100_000_000_000i64..100_000_000_000,
        normalize in any::<bool>(),
    ) {
        every_scheme(&facts, &base, seconds, normalize);
    }

    #[test]
    fn towncrier_schemes(facts in facts(), fragments in fragment_bump()) {
        let parse_tag = |name: &str| Some(name.to_owned());
        let context = Context {
            untagged_base: "0.0",
            time: Timestamp::UNIX_EPOCH,
            parse_tag: &parse_tag,
            fragments,
            normalize: true,
        };
        for scheme in [VersionScheme::TowncrierFragments, VersionScheme::TowncrierFragmentsZerover] {
            if let Ok(version) = schemes::format(&facts, scheme, &[LocalScheme::NodeAndDate], &context) {
                assert_clean(&version);
            }
        }
    }

    #[test]
    fn bumps(version in version_text(), part in proptest::sample::select(BUMP_PARTS.to_vec())) {
        let parsed = version::parse(&version)?;
        if let Ok(bumped) = version::bump(&parsed, part) {
            prop_assert_eq!(version::parse(&bumped.to_string())?, bumped);
        }
    }

    #[test]
    fn version_file_templates(
        template in prop_oneof![texty(), any::<String>(), Just(resolve::PY_TEMPLATE.to_owned())],
        version in version_text(),
        node in proptest::option::of("g[0-9a-f]{0,12}"),
    ) {
        let _ = resolve::render_template(&template, &version, node.as_deref());
    }

    #[test]
    fn python_literals(text in prop_oneof![texty(), any::<String>()]) {
        let literal = resolve::python_str(&text);
        prop_assert_eq!(unescape_python(&literal), Some(text));
    }

    #[test]
    fn pyproject_files(text in pyproject_text()) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("pyproject.toml");
        if let Ok(pyproject) = PyProject::parse(&path, text) {
            if let Ok(metadata) = ProjectMetadata::load(&pyproject, dir.path()) {
                // What the readers accept, the one writer writes (its guard never fires).
                let written = metadata.core_metadata("1.0");
                prop_assert!(written.is_ok(), "{:?}", written.err());
                let written = written.unwrap_or_default();
                // Every requirement on one header line of its own.
                let headers = written.split("\n\n").next().unwrap_or_default();
                let lines = headers.lines().filter(|l| l.starts_with("Requires-Dist: ")).count();
                prop_assert_eq!(lines, metadata.requires_dist.len());
            }
            let _ = BuildSettings::read(&pyproject, dir.path());
            let _ = Settings::from_pyproject(dir.path(), Some(&pyproject), &Overrides::default(), &OTHER_KEYS);
        }
    }

    #[test]
    fn license_expressions(text in prop_oneof![
        texty(),
        proptest::collection::vec(
            proptest::sample::select(vec!["MIT", "or", "(", ")", "with", "LicenseRef-é", "é", "GPL-2.0+", "Classpath-exception-2.0"]),
            0..6,
        ).prop_map(|words| words.join(" ")),
    ]) {
        if let Ok(canonical) = canonical_expression(&text) {
            prop_assert_eq!(canonical_expression(&canonical).ok(), Some(canonical));
        }
    }

    /// `packkit new` on any name and namespace: refused with an error, or every file stays
    /// inside the project and the structured files still parse (no value can break out of
    /// its TOML string, JSON string or path).
    #[test]
    fn new_project_names_and_namespaces(
        name in prop_oneof![texty(), "[a-zA-Z0-9._-]{1,12}"],
        namespace in prop_oneof![texty(), "[a-z_.0-9]{0,12}", "[a-z]{1,4}(\\.[a-z_]{1,4}){0,3}"],
        rst in any::<bool>(),
        data_science in any::<bool>(),
    ) {
        let Ok(name) = scaffold::name::check(&name, false) else { return Ok(()) };
        let options = Options {
            namespace: Some(namespace),
            readme: if rst { ReadmeFormat::Rst } else { ReadmeFormat::Markdown },
            data_science,
            ..Options::default()
        };
        if let Ok(files) = scaffold::render_files(&name, &options, (None, None), 2026) {
            for (path, text) in &files {
                prop_assert!(!path.starts_with('/') && !path.contains('\\'), "{}", path);
                prop_assert!(path.split('/').all(|part| !part.is_empty() && part != ".." && part != "."), "{}", path);
                if path == "pyproject.toml" {
                    prop_assert!(text.parse::<toml_edit::DocumentMut>().is_ok(), "{}", text);
                }
                if path == "notebooks/example.ipynb" {
                    prop_assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "{}", text);
                }
            }
        }
    }

    #[test]
    fn commit_messages(
        parts in proptest::collection::vec(
            prop_oneof![
                texty(),
                proptest::sample::select(vec![
                    "feat", "fix(", ")", "!", ": ", "\n", "\r\n", "\n\n", "BREAKING CHANGE: ",
                    "BREAKING-CHANGE", "Refs #", "Revert \"", "Token: ", "(é)", "😀",
                ]).prop_map(str::to_owned),
            ],
            0..12,
        ),
        parents in 0_usize..3,
    ) {
        let message = crate::release::commits::parse(&parts.concat(), parents);
        // One line each, so that `--explain` stays a table and a changelog entry one item.
        prop_assert!(!message.subject.contains('\n'));
        for footer in &message.footers {
            prop_assert!(!footer.token.contains('\n') && !footer.token.is_empty());
        }
        if message.bump().is_some() {
            prop_assert!(message.kind_name.is_some());
        }
    }
}
