use super::*;

/// A project with `files` (path, contents; `pyproject.toml` among them, or not), planned.
fn planned(files: &[(&str, &str)]) -> (Report, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let find = |name: &str| files.iter().find(|(p, _)| *p == name).map(|(_, t)| *t);
    let sources = Sources {
        pyproject: find("pyproject.toml").unwrap_or(""),
        setup_cfg: find("setup.cfg"),
        setup_py: find("setup.py"),
    };
    let report = plan(
        dir.path(),
        Path::new("pyproject.toml"),
        &sources,
        &Options::default(),
    )
    .unwrap();
    (report, dir)
}

fn lines(report: &Report) -> Vec<String> {
    report.changes.iter().map(ToString::to_string).collect()
}

fn cannot(report: &Report) -> Vec<String> {
    report
        .untranslatable
        .iter()
        .map(|u| format!("{}: {}", u.file, u.key))
        .collect()
}

const HATCH_VCS: &str = r#"[build-system]
requires = ["hatchling", "hatch-vcs"]   # the backend
build-backend = "hatchling.build"

[project]
name = "urllib3"
dynamic = ["version"]

# how the version is found
[tool.hatch.version]
source = "vcs"
tag-pattern = '^v?(?P<version>.*)$'
raw-options = { local_scheme = "no-local-version" }

[tool.hatch.build.hooks.vcs]
version-file = "src/urllib3/_version.py"

[tool.hatch.build.targets.wheel]
packages = ["src/urllib3"]

[tool.hatch.build.targets.sdist]
exclude = ["/.github"]
"#;

#[test]
fn hatch_vcs_keeps_the_version_file_and_the_tag_pattern() {
    let (report, _dir) = planned(&[
        ("pyproject.toml", HATCH_VCS),
        ("src/urllib3/__init__.py", ""),
    ]);
    assert_eq!(
        lines(&report),
        [
            "pyproject.toml: [tool.hatch.version] source = \"vcs\" -> version from git tags",
            "pyproject.toml: [tool.hatch.version] tag-pattern = '^v?(?P<version>.*)$' (as tag-regex) -> [tool.packkit] tag-regex = \"^v?(?P<version>.*)$\"",
            "pyproject.toml: [tool.hatch.version.raw-options] local_scheme = \"no-local-version\" -> [tool.packkit] local-scheme = \"no-local-version\"",
            "pyproject.toml: [tool.hatch.build.hooks.vcs] version-file = \"src/urllib3/_version.py\" -> [tool.packkit] version-file = \"src/urllib3/_version.py\"",
            "pyproject.toml: [tool.hatch.build.targets.wheel] packages = [\"src/urllib3\"] -> [tool.packkit] packages",
            "pyproject.toml: [tool.hatch.build.targets.sdist] exclude = [\"/.github\"] -> not needed (packkit's sdist holds the files git tracks; exclude more with [tool.packkit] exclude)",
            "pyproject.toml: the packages above -> [tool.packkit] packages = [\"src/urllib3\"]",
            "pyproject.toml: [build-system] hatchling.build -> packkit.backend",
        ]
    );
    assert!(
        report.untranslatable.is_empty(),
        "{:?}",
        report.untranslatable
    );
    // Every byte outside the changed keys is kept; the old tables stay without --clean.
    let expected = HATCH_VCS.replace(
        "requires = [\"hatchling\", \"hatch-vcs\"]   # the backend\nbuild-backend = \"hatchling.build\"",
        "requires = [\"packkit\"]   # the backend\nbuild-backend = \"packkit.backend\"",
    ) + "\n[tool.packkit]\ntag-regex = \"^v?(?P<version>.*)$\"\nlocal-scheme = \"no-local-version\"\n\
         version-file = \"src/urllib3/_version.py\"\npackages = [\"src/urllib3\"]\n";
    assert_eq!(report.text, expected);
}

#[test]
fn clean_removes_the_translated_tables_only() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src/urllib3")).unwrap();
    std::fs::write(dir.path().join("src/urllib3/__init__.py"), "").unwrap();
    let text = format!("{HATCH_VCS}\n[tool.hatch.envs.default]\ndependencies = [\"pytest\"]\n");
    let sources = Sources {
        pyproject: &text,
        setup_cfg: None,
        setup_py: None,
    };
    let options = Options {
        clean: true,
        ..Options::default()
    };
    let report = plan(dir.path(), Path::new("pyproject.toml"), &sources, &options).unwrap();
    assert!(
        !report.text.contains("[tool.hatch.version]"),
        "{}",
        report.text
    );
    assert!(!report.text.contains("hooks.vcs"), "{}", report.text);
    assert!(!report.text.contains("targets"), "{}", report.text);
    assert!(
        report
            .text
            .contains("[tool.hatch.envs.default]\ndependencies = [\"pytest\"]\n")
    );
    assert!(report.text.contains("# how the version is found\n") || !report.text.contains("how"));
}

#[test]
fn hatch_regex_version_and_metadata_hooks() {
    let (report, _dir) = planned(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\"hatchling\", \"hatch-fancy-pypi-readme\"]\nbuild-backend = \"hatchling.build\"\n\
             [project]\nname = \"demo\"\ndynamic = [\"version\", \"readme\"]\n\
             [tool.hatch.version]\npath = \"src/demo/__init__.py\"\n\
             [tool.hatch.metadata.hooks.fancy-pypi-readme]\ncontent-type = \"text/markdown\"\n\
             [tool.hatch.build.targets.wheel]\nforce-include = { \"x\" = \"demo/x\" }\n",
        ),
        ("src/demo/__init__.py", "__version__ = '1.0'\n"),
    ]);
    assert!(lines(&report)[0].starts_with(
        "pyproject.toml: [tool.hatch.version] path = \"src/demo/__init__.py\" -> version from git tags; tag each release"
    ));
    assert_eq!(
        cannot(&report),
        [
            "pyproject.toml: tool.hatch.build.targets.wheel.force-include",
            "pyproject.toml: tool.hatch.metadata.hooks",
            "pyproject.toml: project.dynamic",
        ]
    );
}

#[test]
fn setuptools_scm_table_is_translated_with_write_to_under_root() {
    let (report, _dir) = planned(&[(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools>=64\", \"setuptools_scm>=8\"]\nbuild-backend = \"setuptools.build_meta\"\n\
         [project]\nname = \"demo\"\ndynamic = [\"version\"]\n\
         [tool.setuptools_scm]\nversion_scheme = \"no-guess-dev\"\nroot = \"..\"\nwrite_to = \"demo/src/demo/_version.py\"\n\
         tag = { prefix = \"demo-v\" }\ngit_describe_command = \"git describe\"\n",
    )]);
    assert_eq!(
        lines(&report)[..5],
        [
            "pyproject.toml: [tool.setuptools_scm] -> version from git tags; packkit's schemes and outputs are setuptools_scm's",
            "pyproject.toml: [tool.setuptools_scm] version_scheme = \"no-guess-dev\" -> [tool.packkit] version-scheme = \"no-guess-dev\"",
            "pyproject.toml: [tool.setuptools_scm] root = \"..\" -> [tool.packkit] root = \"..\"",
            "pyproject.toml: [tool.setuptools_scm] write_to = \"demo/src/demo/_version.py\" -> [tool.packkit] version-file = \"../demo/src/demo/_version.py\"",
            "pyproject.toml: [tool.setuptools_scm] tag = { prefix = \"demo-v\" } -> [tool.packkit] tag-prefix = \"demo-v\"",
        ]
    );
    assert_eq!(
        cannot(&report),
        ["pyproject.toml: tool.setuptools_scm.git_describe_command"]
    );
}

#[test]
fn the_distance_scope_is_translated_and_the_other_scm_git_keys_are_not() {
    let (report, _dir) = planned(&[(
        "pyproject.toml",
        "[project]\nname = \"demo\"\ndynamic = [\"version\"]\n\
         [tool.setuptools_scm]\nroot = \"../..\"\n\
         [tool.setuptools_scm.scm.git]\ndistance_scope = [\"libs/shared\"]\ndistance_count = \"first-parent\"\npre_parse = \"fail_on_shallow\"\n",
    )]);
    assert_eq!(
        lines(&report)[2..4],
        [
            "pyproject.toml: [tool.setuptools_scm.scm.git] distance_scope = [\"libs/shared\"] -> [tool.packkit] distance-scope = [\"libs/shared\"]",
            "pyproject.toml: [tool.setuptools_scm.scm.git] distance_count = \"first-parent\" -> [tool.packkit] distance-count = \"first-parent\"",
        ]
    );
    assert_eq!(
        cannot(&report),
        ["pyproject.toml: tool.setuptools_scm.scm.git.pre_parse"]
    );
}

#[test]
fn a_setuptools_scm_requirement_alone_means_git_versions() {
    let (report, _dir) = planned(&[(
        "pyproject.toml",
        "[build-system]\nrequires = [\"setuptools\", \"setuptools-scm[toml]>=6\"]\nbuild-backend = \"setuptools.build_meta\"\n\
         [project]\nname = \"demo\"\ndynamic = [\"version\"]\n",
    )]);
    assert_eq!(
        lines(&report)[0],
        "pyproject.toml: [build-system] setuptools_scm -> version from git tags; packkit's defaults are setuptools_scm's"
    );
    assert!(report.untranslatable.is_empty());
}

#[test]
fn flit_module_and_docstring_description() {
    let (report, _dir) = planned(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\"flit_core >=3.2,<4\"]\nbuild-backend = \"flit_core.buildapi\"\n\
             [project]\nname = \"markdown-it-py\"\ndynamic = [\"version\", \"description\"]\n\
             [tool.flit.module]\nname = \"markdown_it\"\n[tool.flit.sdist]\nexclude = [\"tests/\"]\n",
        ),
        (
            "markdown_it/__init__.py",
            "# comment\n\"\"\"A Python port of markdown-it.\n\nMore.\n\"\"\"\n__version__ = \"4.0\"\n",
        ),
    ]);
    assert_eq!(
        lines(&report),
        [
            "pyproject.toml: [tool.flit.module] name = \"markdown_it\" -> [tool.packkit] packages",
            "pyproject.toml: [tool.flit.sdist] exclude = [\"tests/\"] -> not needed (packkit's sdist holds the files git tracks; exclude more with [tool.packkit] exclude)",
            "pyproject.toml: [project] dynamic version (flit's __version__ in markdown_it/__init__.py) -> version from git tags; tag each release (`git tag v<version>`); __version__ is no longer read",
            "pyproject.toml: [project] dynamic description (flit's module docstring) -> [project] description = \"A Python port of markdown-it.\"",
            "pyproject.toml: the packages above -> [tool.packkit] packages = [\"markdown_it\"]",
            "pyproject.toml: [build-system] flit_core.buildapi -> packkit.backend",
        ]
    );
    assert!(report.untranslatable.is_empty());
    assert!(
        report
            .text
            .contains("dynamic = [\"version\"]\ndescription = \"A Python port of markdown-it.\"\n")
    );
}

#[test]
fn docstring_summaries() {
    assert_eq!(flit::summary("'''One.'''"), Some("One.".into()));
    assert_eq!(flit::summary("r\"\"\"\n  Two\n\"\"\""), Some("Two".into()));
    assert_eq!(flit::summary("import os\n\"\"\"x\"\"\""), None);
    assert_eq!(flit::summary("\"\"\"unterminated"), None);
    assert_eq!(flit::summary(""), None);
}

#[test]
fn setuptools_find_package_dir_and_dynamic_readme() {
    let (report, _dir) = planned(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\"setuptools\"]\nbuild-backend = \"setuptools.build_meta\"\n\
             [project]\nname = \"jaraco.functools\"\ndynamic = [\"version\", \"readme\"]\n\
             [tool.setuptools.packages.find]\nwhere = [\"src\"]\nexclude = [\"tests*\"]\n\
             [tool.setuptools.package-data]\n\"*\" = [\"py.typed\"]\n\
             [tool.setuptools.dynamic]\nversion = { attr = \"jaraco.__version__\" }\nreadme = { file = [\"README.rst\"] }\n",
        ),
        ("src/jaraco/functools/__init__.py", ""),
        ("src/tests/__init__.py", ""),
    ]);
    assert_eq!(cannot(&report), Vec::<String>::new());
    assert!(
        report
            .text
            .contains("packages = [\"src/jaraco/functools\"]"),
        "{}",
        report.text
    );
    assert!(
        report
            .text
            .contains("dynamic = [\"version\"]\nreadme = { file = \"README.rst\" }\n")
    );
}

#[test]
fn setuptools_listed_packages_become_top_level_paths() {
    let dir = [("", "src")].map(|(a, b)| (a.to_owned(), b.to_owned()));
    let names = ["a", "a.b", "c.d", "e"].map(String::from);
    assert_eq!(
        setuptools::listed_packages(&names, &dir),
        ["src/a", "src/c/d", "src/e"]
    );
}

#[test]
fn wildcards_match_like_fnmatch() {
    assert!(wildcard("tests*", "tests.unit"));
    assert!(wildcard("*", "a.b"));
    assert!(wildcard("a?c", "abc"));
    assert!(!wildcard("tests", "tests.unit"));
    assert!(!wildcard("x*y", "xay.z"));
}

const PYSCAFFOLD_CFG: &str = "[metadata]\nname = demo-project\ndescription = Add a short description here!\n\
author = Jane Doe\nauthor_email = jane@example.org\nlicense = MIT\nlicense_files = LICENSE.txt\n\
long_description = file: README.rst\nlong_description_content_type = text/x-rst; charset=UTF-8\n\
url = https://github.com/pyscaffold/pyscaffold/\nproject_urls =\n    Documentation = https://pyscaffold.org/\n\
platforms = any\nclassifiers =\n    Development Status :: 4 - Beta\n    Programming Language :: Python\n\n\
[options]\nzip_safe = False\npackages = find_namespace:\ninclude_package_data = True\npackage_dir =\n    =src\n\
# comment\ninstall_requires =\n    importlib-metadata; python_version<\"3.8\"\n\n\
[options.packages.find]\nwhere = src\nexclude =\n    tests\n\n\
[options.extras_require]\ntesting =\n    setuptools\n    pytest\n\n\
[options.entry_points]\nconsole_scripts =\n     fibonacci = demo_project.skeleton:run\n\n\
[tool:pytest]\naddopts = --verbose\n";

const PYSCAFFOLD_PY: &str = "from setuptools import setup\n\nif __name__ == \"__main__\":\n    try:\n        \
setup(use_scm_version={\"version_scheme\": \"no-guess-dev\"})\n    except:  # noqa\n        raise\n";

#[test]
fn setup_cfg_of_pyscaffold_becomes_project() {
    let (report, _dir) = planned(&[
        (
            "pyproject.toml",
            "[build-system]\n# AVOID CHANGING REQUIRES: IT WILL BE UPDATED BY PYSCAFFOLD!\nrequires = [\"setuptools>=46.1.0\", \"setuptools_scm[toml]>=5\"]\nbuild-backend = \"setuptools.build_meta\"\n\n\
             [tool.setuptools_scm]\n# For smarter version schemes and other configuration options,\nversion_scheme = \"no-guess-dev\"\n",
        ),
        ("setup.cfg", PYSCAFFOLD_CFG),
        ("setup.py", PYSCAFFOLD_PY),
        ("src/demo_project/__init__.py", ""),
        ("LICENSE.txt", "MIT"),
    ]);
    assert_eq!(cannot(&report), Vec::<String>::new());
    assert_eq!(
        report.text.split_once("[project]").unwrap().1,
        "\nname = \"demo-project\"\ndescription = \"Add a short description here!\"\n\
         authors = [{ name = \"Jane Doe\", email = \"jane@example.org\" }]\nlicense = \"MIT\"\n\
         license-files = [\"LICENSE.txt\"]\nreadme = { file = \"README.rst\", content-type = \"text/x-rst; charset=UTF-8\" }\n\
         classifiers = [\"Development Status :: 4 - Beta\", \"Programming Language :: Python\"]\n\
         dependencies = ['importlib-metadata; python_version<\"3.8\"']\n\
         dynamic = [\"version\"]\n\
         scripts = { fibonacci = \"demo_project.skeleton:run\" }\n\n\
         [project.urls]\nHomepage = \"https://github.com/pyscaffold/pyscaffold/\"\nDocumentation = \"https://pyscaffold.org/\"\n\n\
         [project.optional-dependencies]\ntesting = [\"setuptools\", \"pytest\"]\n"
    );
    assert!(report.text.contains(
        "version_scheme = \"no-guess-dev\"\n\n[tool.packkit]\nversion-scheme = \"no-guess-dev\"\npackages = [\"src/demo_project\"]\n"
    ), "{}", report.text);
    assert!(report.text.starts_with(
        "[build-system]\n# AVOID CHANGING REQUIRES: IT WILL BE UPDATED BY PYSCAFFOLD!\nrequires = [\"packkit\"]\nbuild-backend = \"packkit.backend\"\n"
    ));
}

#[test]
fn setup_py_with_real_arguments_cannot_be_translated() {
    let (report, _dir) = planned(&[(
        "setup.py",
        "from setuptools import setup, Extension\nsetup(name='x', ext_modules=[Extension('x', ['x.c'])])\n",
    )]);
    assert_eq!(cannot(&report), ["setup.py: setup()"]);
    // No pyproject.toml: one is made with [build-system].
    assert_eq!(
        report.text,
        "[build-system]\nrequires = [\"packkit\"]\nbuild-backend = \"packkit.backend\"\n"
    );
}

#[test]
fn pdm_and_uv_and_poetry_dynamic_versioning() {
    let (pdm, _a) = planned(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\"pdm-backend\"]\nbuild-backend = \"pdm.backend\"\n[project]\nname = \"unearth\"\ndynamic = [\"version\"]\n\
             [tool.pdm.version]\nsource = \"scm\"\nwrite_to = \"unearth/__version__.py\"\nwrite_template = \"__version__ = \\\"{}\\\"\"\n\
             [tool.pdm.build]\nexcludes = [\"./**/.git\"]\npackage-dir = \"src\"\nincludes = [\"src/unearth\"]\nsource-includes = [\"tests\"]\n",
        ),
        ("src/unearth/__init__.py", ""),
    ]);
    assert_eq!(cannot(&pdm), Vec::<String>::new());
    assert!(pdm.text.ends_with(
        "[tool.packkit]\nversion-file = \"src/unearth/__version__.py\"\nversion-file-template = '__version__ = \"{version}\"'\npackages = [\"src/unearth\"]\nexclude = [\"./**/.git\"]\n"
    ), "{}", pdm.text);

    let (uv, _b) = planned(&[
        (
            "pyproject.toml",
            "[build-system]\nrequires = [\"uv_build>=0.8,<0.9\"]\nbuild-backend = \"uv_build\"\n[project]\nname = \"x\"\nversion = \"1.0\"\n\
             [tool.uv.build-backend]\nmodule-name = \"foo.bar\"\nmodule-root = \"\"\nnamespace = true\ndata = { scripts = \"bin\" }\n",
        ),
        ("foo/bar/__init__.py", ""),
    ]);
    assert_eq!(cannot(&uv), Vec::<String>::new());
    assert!(uv.text.ends_with(
        "[tool.packkit]\nnamespace = true\npackages = [\"foo/bar\"]\n\n[tool.packkit.data]\nscripts = \"bin\"\n"
    ) || uv.text.contains("packages = [\"foo/bar\"]"), "{}", uv.text);

    let (poetry, _c) = planned(&[(
        "pyproject.toml",
        "[build-system]\nrequires = [\"poetry-core\", \"poetry-dynamic-versioning\"]\nbuild-backend = \"poetry_dynamic_versioning.backend\"\n\
         [tool.poetry]\nname = \"x\"\n[tool.poetry-dynamic-versioning]\nenable = true\nvcs = \"git\"\npattern = \"^v(?P<base>.*)\"\n",
    )]);
    assert_eq!(
        cannot(&poetry),
        [
            "pyproject.toml: tool.poetry",
            "pyproject.toml: tool.poetry-dynamic-versioning.pattern"
        ]
    );
}

#[test]
fn existing_packkit_keys_win_and_conflicts_are_reported() {
    let (report, _dir) = planned(&[(
        "pyproject.toml",
        "[project]\nname = \"x\"\ndynamic = [\"version\"]\n[tool.setuptools_scm]\nlocal_scheme = \"dirty-tag\"\n\
         [tool.packkit]\nlocal-scheme = \"no-local-version\"\n",
    )]);
    assert_eq!(
        cannot(&report),
        ["pyproject.toml: tool.packkit.local-scheme"]
    );
}

#[test]
fn hostile_paths_are_not_followed() {
    let (report, _dir) = planned(&[(
        "pyproject.toml",
        "[build-system]\nbuild-backend = \"flit_core.buildapi\"\n[project]\nname = \"x\"\nversion = \"1\"\n\
         [tool.flit.module]\nname = \"..\"\n[tool.uv.build-backend]\nmodule-name = \"x\"\nmodule-root = \"../..\"\n\
         [tool.flit.external-data]\ndirectory = \"/etc\"\n",
    )]);
    assert_eq!(
        cannot(&report),
        [
            "pyproject.toml: tool.flit.module.name",
            "pyproject.toml: tool.flit.external-data.directory",
            "pyproject.toml: tool.uv.build-backend.module-name",
        ]
    );
}

/// Comments, odd spacing and unrelated tables everywhere: only the changed keys differ.
#[test]
fn every_byte_outside_the_changed_keys_is_kept() {
    let original = "# My project   \n\n[build-system]   # build it\n  requires   =   [ \"flit_core >=3.2,<4\" ,  ] # pinned\n\
                    build-backend=\"flit_core.buildapi\"    # old\n\n[project]\nname = \"tool\" # name\n\
                    version = \"1.0\"\n\t# tab comment\n[tool.flit.module]   # module\nname = \"tool\"\n\n\
                    # trailing comment\n[tool.ruff]\nline-length = 100 # keep\n";
    let (report, _dir) = planned(&[("pyproject.toml", original), ("tool.py", "")]);
    let expected = original
        .replace(
            "[ \"flit_core >=3.2,<4\" ,  ] # pinned",
            "[\"packkit\"] # pinned",
        )
        .replace(
            "build-backend=\"flit_core.buildapi\"    # old",
            "build-backend=\"packkit.backend\"    # old",
        )
        + "\n[tool.packkit]\npackages = [\"tool.py\"]\n";
    assert_eq!(report.text, expected);
}

#[test]
fn migrate_writes_only_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pyproject.toml");
    let text = "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"x\"\nversion = \"1\"\n\
                [tool.hatch.build.targets.wheel]\nartifacts = [\"*.so\"]\n";
    std::fs::write(&path, text).unwrap();
    let report = migrate(dir.path(), &Options::default()).unwrap();
    assert!(!report.written && report.untranslatable.len() == 1);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let dry = Options {
        dry_run: true,
        force: true,
        clean: false,
    };
    assert!(!migrate(dir.path(), &dry).unwrap().written);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    let force = Options {
        force: true,
        ..Options::default()
    };
    assert!(migrate(dir.path(), &force).unwrap().written);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("packkit.backend")
    );
    // Migrated already: nothing more to do.
    let again = migrate(dir.path(), &force).unwrap();
    assert!(!again.written, "{:?}", again.changes);
}

#[test]
fn license_classifiers_go_beside_an_spdx_license() {
    let original = "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"x\"\nversion = \"1\"\nlicense = \"MIT\"\n\
                    classifiers = [\n  \"License :: OSI Approved :: MIT License\",\n  \"Programming Language :: Python\",  # keep\n]\n";
    let (report, _dir) = planned(&[("pyproject.toml", original), ("x.py", "")]);
    assert!(
        report
            .text
            .contains("classifiers = [\n  \"Programming Language :: Python\",  # keep\n]\n"),
        "{}",
        report.text
    );
}

#[test]
fn setup_cfg_lists_drop_inline_comments() {
    let (report, _dir) = planned(&[(
        "setup.cfg",
        "[metadata]\nname = x\nversion = 1.0\n[options]\ninstall_requires =\n    tomlkit     # why\n    a>=1\n",
    )]);
    assert!(
        report
            .text
            .contains("dependencies = [\"tomlkit\", \"a>=1\"]"),
        "{}",
        report.text
    );
}

#[test]
fn build_hooks_and_old_flit_metadata_cannot_be_translated() {
    let (report, _dir) = planned(&[(
        "pyproject.toml",
        "[build-system]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"x\"\nversion = \"1\"\n\
         [tool.hatch.build.hooks.custom]\npath = \"hatch_build.py\"\n[tool.hatch.build.hooks.vcs]\nversion-file = \"x/_v.py\"\n\
         [tool.hatch.build.targets.wheel.hooks.mypyc]\ndependencies = [\"mypy\"]\n[tool.flit.metadata]\nmodule = \"x\"\n",
    )]);
    assert_eq!(
        cannot(&report),
        [
            "pyproject.toml: tool.hatch.build.hooks",
            "pyproject.toml: tool.hatch.build.targets.wheel.hooks",
            "pyproject.toml: tool.flit.metadata",
        ]
    );
}
