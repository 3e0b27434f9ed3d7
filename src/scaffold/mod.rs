//! `packkit new`: a complete project (packaging, package, tests, docs, license, CI) from
//! templates compiled into packkit, in a git repository with a first commit.
//!
//! Everything is checked before anything is written; the project is then made in a temporary
//! sibling folder and renamed into place, so the target is either absent or complete.

pub mod git;
pub mod name;
pub mod template;
pub mod update;

use std::path::{Path, PathBuf};

use crate::error::{ConfigError, Error, Result};
pub use git::Identity;
pub use name::{Namespace, ProjectName};

/// The ruff the generated `.pre-commit-config.yaml` pins (`rev: v...` of ruff-pre-commit):
/// packkit's own, as pinned in its requirements-dev.txt (a test keeps them equal), so the
/// generated code, which packkit's tests lint with that ruff, passes the hook.
pub const RUFF_VERSION: &str = "0.17.6";
/// The rev of pre-commit/pre-commit-hooks in the generated `.pre-commit-config.yaml`.
pub const PRE_COMMIT_HOOKS_VERSION: &str = "6.0.0";
/// The rev of kynan/nbstripout in the generated `.pre-commit-config.yaml` (`--data-science`).
pub const NBSTRIPOUT_VERSION: &str = "0.9.1";

/// The licenses `packkit new` can write, by SPDX identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum License {
    Mit,
    Apache2,
    Bsd3Clause,
    Gpl3OrLater,
    Mpl2,
    Proprietary,
}

impl License {
    pub const ALL: [License; 6] = [
        License::Mit,
        License::Apache2,
        License::Bsd3Clause,
        License::Gpl3OrLater,
        License::Mpl2,
        License::Proprietary,
    ];

    /// The SPDX license expression written into `[project] license`.
    pub fn spdx(self) -> &'static str {
        match self {
            License::Mit => "MIT",
            License::Apache2 => "Apache-2.0",
            License::Bsd3Clause => "BSD-3-Clause",
            License::Gpl3OrLater => "GPL-3.0-or-later",
            License::Mpl2 => "MPL-2.0",
            License::Proprietary => "LicenseRef-Proprietary",
        }
    }

    /// The license text: SPDX license list 3.29.0 (`licenses/README.md`), the copyright line
    /// made a `{{year}} {{holder}}` template where the SPDX text has a placeholder.
    pub fn text(self) -> &'static str {
        match self {
            License::Mit => include_str!("licenses/MIT.txt"),
            License::Apache2 => include_str!("licenses/Apache-2.0.txt"),
            License::Bsd3Clause => include_str!("licenses/BSD-3-Clause.txt"),
            License::Gpl3OrLater => include_str!("licenses/GPL-3.0-or-later.txt"),
            License::Mpl2 => include_str!("licenses/MPL-2.0.txt"),
            License::Proprietary => include_str!("templates/proprietary.txt"),
        }
    }

    /// The license named `id` (SPDX identifiers, compared without case as SPDX does).
    pub fn parse(id: &str) -> Result<License> {
        License::ALL
            .into_iter()
            .find(|license| license.spdx().eq_ignore_ascii_case(id))
            .ok_or_else(|| {
                let known: Vec<&str> = License::ALL.iter().map(|l| l.spdx()).collect();
                refusal(
                    "license",
                    format!("packkit has no text for the license {id:?}"),
                    format!("choose one of {}", known.join(", ")),
                )
            })
    }
}

/// Where the generated project's CI runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ci {
    Github,
    Gitlab,
    None,
}

impl Ci {
    pub fn parse(text: &str) -> Result<Ci> {
        match text {
            "github" => Ok(Ci::Github),
            "gitlab" => Ok(Ci::Gitlab),
            "none" => Ok(Ci::None),
            _ => Err(refusal(
                "ci",
                format!("unknown CI {text:?}"),
                "choose github, gitlab or none".to_owned(),
            )),
        }
    }
}

/// The README's markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadmeFormat {
    /// `README.md`.
    Markdown,
    /// `README.rst` (reStructuredText, as Sphinx and PyPI render it).
    Rst,
}

/// What `packkit new` is asked to make.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project name (`None`: the target folder's name).
    pub name: Option<String>,
    /// The folder to create (`None`: `./NAME`).
    pub path: Option<PathBuf>,
    pub license: License,
    pub ci: Ci,
    pub readme: ReadmeFormat,
    /// `a.b`: the package is `a.b.<package>`, in `src/a/b/<package>/`, where `a` and `a.b`
    /// are PEP 420 namespace packages (folders without `__init__.py`).
    pub namespace: Option<String>,
    /// `notebooks/` with an example notebook, `data/`, `models/`, nbstripout.
    pub data_science: bool,
    pub git: bool,
    /// Accept a name that is a stdlib module's.
    pub force_name: bool,
    /// The author's name and email; `None` each: from git (environment, then configuration).
    pub author_name: Option<String>,
    pub author_email: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            name: None,
            path: None,
            license: License::Mit,
            ci: Ci::Github,
            readme: ReadmeFormat::Markdown,
            namespace: None,
            data_science: false,
            git: true,
            force_name: false,
            author_name: None,
            author_email: None,
        }
    }
}

/// What was made.
#[derive(Debug, Clone)]
pub struct Created {
    pub path: PathBuf,
    pub name: ProjectName,
    /// The files written, as slash paths relative to `path` (the repository not included).
    pub files: Vec<String>,
    /// The first commit's hex id, when a repository was made.
    pub commit: Option<String>,
}

/// A refusal of an option's value: a configuration error naming the option, with the fix.
fn refusal(key: &str, message: String, hint: String) -> Error {
    Error::from(ConfigError {
        path: None,
        line: None,
        column: None,
        key: Some(key.to_owned()),
        message,
        hint: Some(hint),
    })
}

/// A value that lands in TOML and Python strings: one line, no quote, backslash or brace
/// (which could end the string or start a placeholder), no comma (PEP 621: an author's name
/// must fit an email header).
fn check_author_part(key: &str, value: &str, source: &str) -> Result<String> {
    let value = value.trim();
    let bad = value
        .chars()
        .find(|c| c.is_control() || matches!(c, '"' | '\\' | '{' | '}' | ',' | '<' | '>'));
    let malformed_email = key == "email"
        && (value.split('@').count() != 2
            || value.starts_with('@')
            || value.ends_with('@')
            || value.contains(char::is_whitespace));
    if value.is_empty() || value.chars().count() > 200 || bad.is_some() || malformed_email {
        let why = match bad {
            Some(c) => format!("it contains {c:?}"),
            None if value.is_empty() => "it is empty".to_owned(),
            None if malformed_email => "it is not of the form name@domain".to_owned(),
            None => "it is longer than 200 characters".to_owned(),
        };
        return Err(refusal(
            key,
            format!("the author {key} {value:?} (from {source}) cannot be used: {why}"),
            format!(
                "pass --{} with another value (without quotes, backslashes, braces, commas or \
                 angle brackets)",
                if key == "email" { "email" } else { "author" }
            ),
        ));
    }
    Ok(value.to_owned())
}

/// The author (given, else `GIT_AUTHOR_*`, else git's `user.*`), each part checked.
fn author(options: &Options) -> Result<(Option<String>, Option<String>)> {
    let env = |key: &str| std::env::var(key).ok().filter(|v| !v.trim().is_empty());
    let (config_name, config_email) = git::user_config();
    let pick = |given: &Option<String>, variable: &str, config: Option<String>, key: &str| {
        let (value, source) = if let Some(value) = given {
            (Some(value.clone()), "the command line")
        } else if let Some(value) = env(variable) {
            (Some(value), variable)
        } else {
            (
                config,
                if key == "email" {
                    "git config user.email"
                } else {
                    "git config user.name"
                },
            )
        };
        value
            .map(|value| check_author_part(key, &value, source))
            .transpose()
    };
    Ok((
        pick(
            &options.author_name,
            "GIT_AUTHOR_NAME",
            config_name,
            "author",
        )?,
        pick(
            &options.author_email,
            "GIT_AUTHOR_EMAIL",
            config_email,
            "email",
        )?,
    ))
}

/// The `authors = [...]` line of pyproject.toml (a commented example when nobody is known).
fn authors_line(name: Option<&str>, email: Option<&str>) -> String {
    match (name, email) {
        (Some(name), Some(email)) => {
            format!("authors = [{{ name = \"{name}\", email = \"{email}\" }}]")
        }
        (Some(name), None) => format!("authors = [{{ name = \"{name}\" }}]"),
        (None, Some(email)) => format!("authors = [{{ email = \"{email}\" }}]"),
        (None, None) => {
            "# authors = [{ name = \"Your Name\", email = \"you@example.com\" }]".to_owned()
        }
    }
}

/// What a namespace adds to pyproject.toml: `[tool.packkit] packages`, as discovery looks
/// for `src/<name>/` only, and a `[tool.mypy]` table, as mypy otherwise takes
/// `src/a/b/my_project/` for a top-level `my_project` (it stops at a folder without
/// `__init__.py`).
fn namespace_settings(
    namespace: &Namespace,
    package: &str,
    package_path: &str,
) -> (String, &'static str) {
    let folders = namespace.folders();
    let parents: Vec<String> = folders
        .match_indices('/')
        .map(|(at, _)| format!("src/{}/", &folders[..at]))
        .chain([format!("src/{folders}/")])
        .collect();
    let packages = format!(
        "\n# `{package}` is inside the PEP 420 namespace `{}` ({} without __init__.py),\n\
         # where discovery does not look: it is named here.\n\
         packages = [\"src/{package_path}\"]",
        namespace.dotted,
        parents.join(", "),
    );
    let mypy = "\n[tool.mypy]\n# The namespace folders have no __init__.py: module names start at src/.\n\
                mypy_path = \"src\"\nexplicit_package_bases = true\n";
    (packages, mypy)
}

/// The project's files (slash path, contents), in the order they are written: the one
/// definition of what a set of options makes. Pure: the same arguments give the same bytes.
/// Of `options`, it reads what shapes the files (license, CI, README format, namespace, data
/// science; `force_name` for the namespace's check), not the name, folder or author.
pub fn render_files(
    name: &ProjectName,
    options: &Options,
    author: (Option<&str>, Option<&str>),
    year: i16,
) -> Result<Vec<(String, String)>> {
    let namespace = options
        .namespace
        .as_deref()
        .map(|namespace| name::check_namespace(namespace, options.force_name))
        .transpose()?;
    // The import name (`a.b.my_project`) and its folder under `src/` (`a/b/my_project`).
    let (package, package_path) = match &namespace {
        Some(namespace) => (
            format!("{}.{}", namespace.dotted, name.package),
            format!("{}/{}", namespace.folders(), name.package),
        ),
        None => (name.package.clone(), name.package.clone()),
    };
    let holder = author
        .0
        .map_or_else(|| format!("The {} authors", name.name), ToOwned::to_owned);
    let description = format!("{}: a Python package.", name.name);
    let year = year.to_string();
    let rule = "=".repeat(name.name.len());
    let authors = authors_line(author.0, author.1);
    let (readme_path, readme_template) = match options.readme {
        ReadmeFormat::Markdown => ("README.md", include_str!("templates/README.md")),
        ReadmeFormat::Rst => ("README.rst", include_str!("templates/README.rst")),
    };
    let (packkit_settings, extra_tables) = namespace
        .as_ref()
        .map(|namespace| namespace_settings(namespace, &package, &package_path))
        .unwrap_or_default();
    let (extra_dependencies, extra_hooks, extra_ignores) = if options.data_science {
        (
            "\n# The example notebook's kernel and `packkit.describe()`; nbclient runs notebooks \
             headless.\nnotebook = [\"ipykernel>=6\", \"nbclient>=0.10\", \"packkit\"]"
                .to_owned(),
            template::render(
                include_str!("templates/pre_commit_nbstripout.yaml"),
                &[("nbstripout_version", NBSTRIPOUT_VERSION)],
            )?,
            include_str!("templates/gitignore_data_science").to_owned(),
        )
    } else {
        (String::new(), String::new(), String::new())
    };
    let values: [(&str, &str); 19] = [
        ("name", &name.name),
        ("package", &package),
        ("package_path", &package_path),
        ("description", &description),
        ("license", options.license.spdx()),
        ("holder", &holder),
        ("year", &year),
        ("title", &name.name),
        ("title_rule", &rule),
        ("authors", &authors),
        ("readme", readme_path),
        ("packkit_settings", &packkit_settings),
        ("extra_tables", extra_tables),
        ("extra_dependencies", &extra_dependencies),
        ("extra_hooks", &extra_hooks),
        ("extra_ignores", &extra_ignores),
        ("ruff_version", RUFF_VERSION),
        ("pre_commit_hooks_version", PRE_COMMIT_HOOKS_VERSION),
        ("nbstripout_version", NBSTRIPOUT_VERSION),
    ];

    let mut templates: Vec<(String, &str)> = vec![
        (
            "pyproject.toml".into(),
            include_str!("templates/pyproject.toml"),
        ),
        (readme_path.into(), readme_template),
        (
            "CHANGELOG.md".into(),
            include_str!("templates/CHANGELOG.md"),
        ),
        ("LICENSE".into(), options.license.text()),
        (".gitignore".into(), include_str!("templates/gitignore")),
        (
            ".gitattributes".into(),
            include_str!("templates/gitattributes"),
        ),
        (
            ".git_archival.txt".into(),
            include_str!("templates/git_archival.txt"),
        ),
        (
            ".pre-commit-config.yaml".into(),
            include_str!("templates/pre_commit_config.yaml"),
        ),
        ("noxfile.py".into(), include_str!("templates/noxfile.py")),
        (
            format!("src/{package_path}/__init__.py"),
            include_str!("templates/__init__.py"),
        ),
        (
            format!("src/{package_path}/core.py"),
            include_str!("templates/core.py"),
        ),
        (format!("src/{package_path}/py.typed"), ""),
        (
            "tests/conftest.py".into(),
            include_str!("templates/conftest.py"),
        ),
        (
            "tests/test_core.py".into(),
            include_str!("templates/test_core.py"),
        ),
        (
            "docs/conf.py".into(),
            include_str!("templates/docs_conf.py"),
        ),
        (
            "docs/index.rst".into(),
            include_str!("templates/docs_index.rst"),
        ),
        (
            "docs/api.rst".into(),
            include_str!("templates/docs_api.rst"),
        ),
        (
            "docs/changelog.rst".into(),
            include_str!("templates/docs_changelog.rst"),
        ),
    ];
    match options.ci {
        Ci::Github => templates.push((
            ".github/workflows/ci.yml".into(),
            include_str!("templates/github_ci.yml"),
        )),
        Ci::Gitlab => templates.push((
            ".gitlab-ci.yml".into(),
            include_str!("templates/gitlab_ci.yml"),
        )),
        Ci::None => {}
    }
    if options.data_science {
        templates.extend([
            (
                "notebooks/example.ipynb".into(),
                include_str!("templates/example.ipynb"),
            ),
            // Empty folders git keeps (their other files are ignored).
            ("data/raw/.gitkeep".into(), ""),
            ("data/processed/.gitkeep".into(), ""),
            ("models/.gitkeep".into(), ""),
        ]);
    }
    templates
        .into_iter()
        .map(|(path, text)| Ok((path, template::render(text, &values)?)))
        .collect()
}

/// The files `options` make for `name` (what `create` writes): the one place where the
/// options meet [`render_files`], so that `--update` sees every option `create` does.
pub fn render_options(
    options: &Options,
    name: &ProjectName,
    author: (Option<&str>, Option<&str>),
    year: i16,
) -> Result<Vec<(String, String)>> {
    render_files(name, options, author, year)
}

/// The folder `options` names, and the name: both given, or one from the other.
fn target_and_name(options: &Options) -> Result<(PathBuf, String)> {
    match (&options.name, &options.path) {
        (Some(name), Some(path)) => Ok((path.clone(), name.clone())),
        (Some(name), None) => Ok((PathBuf::from(name), name.clone())),
        (None, Some(path)) => {
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            let absolute = crate::paths::without_dots(&absolute);
            let name = absolute
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .ok_or_else(|| {
                    refusal(
                        "name",
                        format!(
                            "{} has no folder name to take the project name from",
                            path.display()
                        ),
                        "give the project name as well".to_owned(),
                    )
                })?;
            Ok((path.clone(), name))
        }
        (None, None) => Err(refusal(
            "name",
            "neither a project name nor a folder is given".to_owned(),
            "give the project name: `packkit new my-project`".to_owned(),
        )),
    }
}

/// Refuse a target that exists and is not an empty folder, or whose parent is missing; the
/// parent folder.
fn check_target(target: &Path) -> Result<PathBuf> {
    let shown = target.display();
    let absolute = std::path::absolute(target).map_err(|err| Error::io(target, err))?;
    let absolute = crate::paths::without_dots(&absolute);
    if let Ok(cwd) = std::env::current_dir() {
        let same = match (cwd.canonicalize(), absolute.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => cwd == absolute,
        };
        if same {
            return Err(refusal(
                "path",
                format!(
                    "{shown} is the current folder, which cannot be replaced by the new project"
                ),
                "run `packkit new` from the parent folder, naming this one as the PATH".to_owned(),
            ));
        }
    }
    match std::fs::symlink_metadata(&absolute) {
        Ok(meta) if meta.is_dir() => {
            let mut entries = std::fs::read_dir(&absolute).map_err(|err| Error::io(target, err))?;
            if entries.next().is_some() {
                return Err(refusal(
                    "path",
                    format!("the folder {shown} already exists and is not empty"),
                    "choose another PATH, or remove or empty that folder first".to_owned(),
                ));
            }
        }
        Ok(_) => {
            return Err(refusal(
                "path",
                format!("{shown} already exists and is not a folder"),
                "choose another PATH".to_owned(),
            ));
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(Error::io(target, err)),
    }
    let parent = absolute.parent().map(Path::to_path_buf).ok_or_else(|| {
        refusal(
            "path",
            format!("{shown} has no parent folder"),
            "choose another PATH".to_owned(),
        )
    })?;
    if !parent.is_dir() {
        return Err(refusal(
            "path",
            format!("the folder {} does not exist", parent.display()),
            format!(
                "create it first (`mkdir -p {}`) or choose another PATH",
                parent.display()
            ),
        ));
    }
    Ok(parent)
}

/// A folder being filled; removed with its contents unless [`Staging::keep`] is called.
struct Staging {
    path: PathBuf,
    keep: bool,
}

impl Staging {
    /// A new folder beside `target`, created exclusively (so nobody else's), with the
    /// permissions a plain `mkdir` gives (the umask's), unlike a private temporary folder.
    fn beside(parent: &Path, target_name: &str) -> Result<Staging> {
        let mut attempt = 0u32;
        loop {
            let path = parent.join(format!(
                ".{target_name}.packkit-new-{}-{attempt}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(Staging { path, keep: false }),
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                    attempt += 1;
                }
                Err(err) => return Err(Error::io(&path, err)),
            }
        }
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Make the project `options` describe.
pub fn create(options: &Options) -> Result<Created> {
    let (target, name) = target_and_name(options)?;
    let name = name::check(&name, options.force_name)?;
    let (author_name, author_email) = author(options)?;
    let identity = if options.git {
        let (Some(name), Some(email)) = (&author_name, &author_email) else {
            return Err(refusal(
                "author",
                "the first commit needs an author name and email, and git's user.name or user.email is not set".to_owned(),
                "pass --author NAME --email EMAIL, or set them with `git config --global user.name ...` \
                 and `user.email`, or pass --no-git".to_owned(),
            ));
        };
        Some(Identity {
            name: name.clone(),
            email: email.clone(),
        })
    } else {
        None
    };
    let committer = match (
        std::env::var("GIT_COMMITTER_NAME").ok(),
        std::env::var("GIT_COMMITTER_EMAIL").ok(),
    ) {
        (Some(name), Some(email)) => Some(Identity {
            name: check_author_part("author", &name, "GIT_COMMITTER_NAME")?,
            email: check_author_part("email", &email, "GIT_COMMITTER_EMAIL")?,
        }),
        _ => identity.clone(),
    };
    let year = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year();
    let files = render_options(
        options,
        &name,
        (author_name.as_deref(), author_email.as_deref()),
        year,
    )?;
    let parent = check_target(&target)?;
    let target_name = std::path::absolute(&target)
        .ok()
        .and_then(|p| {
            crate::paths::without_dots(&p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| name.name.clone());

    // Everything is checked: from here on, every failure removes what was written.
    let mut staging = Staging::beside(&parent, &target_name)?;
    for (path, text) in &files {
        crate::interrupt::check()?;
        let file = staging.path.join(path);
        if let Some(folder) = file.parent() {
            std::fs::create_dir_all(folder).map_err(|err| Error::io(folder, err))?;
        }
        std::fs::write(&file, text).map_err(|err| Error::io(&file, err))?;
    }
    let paths: Vec<String> = files.into_iter().map(|(path, _)| path).collect();
    let commit = match (&identity, &committer) {
        (Some(author), Some(committer)) => Some(git::init_and_commit(
            &staging.path,
            &paths,
            author,
            committer,
            "Create the project with packkit new\n",
        )?),
        _ => None,
    };
    crate::interrupt::check()?;
    // rename(2) replaces an empty folder and fails on a non-empty one (made since the check).
    std::fs::rename(&staging.path, &target).map_err(|err| {
        let exists = target.exists();
        if exists {
            refusal(
                "path",
                format!(
                    "{} appeared while the project was being made: {err}",
                    target.display()
                ),
                "choose another PATH, or remove that folder first".to_owned(),
            )
        } else {
            Error::io(&target, err)
        }
    })?;
    staging.keep = true;
    Ok(Created {
        path: target,
        name,
        files: paths,
        commit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> ProjectName {
        name::check("my-demo.Project", false).unwrap()
    }

    fn shaped(license: License, ci: Ci) -> Options {
        Options {
            license,
            ci,
            ..Options::default()
        }
    }

    fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
        &files.iter().find(|(p, _)| p == path).expect(path).1
    }

    #[test]
    fn license_texts_are_the_spdx_list_texts() {
        for license in License::ALL {
            if license == License::Proprietary {
                continue;
            }
            let spdx: &dyn license::License = license.spdx().parse().unwrap();
            // Back to the SPDX placeholders the vendored copy replaced.
            let ours = license.text().replace(
                "{{year}} {{holder}}",
                match license {
                    License::Mit => "<year> <copyright holders>",
                    _ => "<year> <owner>",
                },
            );
            assert_eq!(ours, spdx.text(), "{}", license.spdx());
        }
    }

    #[test]
    fn every_placeholder_of_every_variant_is_filled() {
        let shapes = [
            (ReadmeFormat::Markdown, None, false),
            (ReadmeFormat::Rst, Some("acme.tools"), true),
        ];
        for license in License::ALL {
            for ci in [Ci::Github, Ci::Gitlab, Ci::None] {
                for author in [
                    (Some("Ada Lovelace"), Some("ada@example.org")),
                    (None, None),
                ] {
                    for (readme, namespace, data_science) in shapes {
                        let options = Options {
                            readme,
                            namespace: namespace.map(str::to_owned),
                            data_science,
                            ..shaped(license, ci)
                        };
                        let files = render_files(&demo(), &options, author, 2026).unwrap();
                        for (path, text) in &files {
                            let leftover = text.match_indices("{{").any(|(at, _)| {
                                text[at + 2..].starts_with(|c: char| c.is_ascii_lowercase())
                            });
                            assert!(!leftover, "{path}: {text}");
                        }
                        let license_text = file(&files, "LICENSE");
                        if matches!(license, License::Mit | License::Bsd3Clause) {
                            assert!(license_text.contains("Copyright (c) 2026 "), "{license:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_files_of_each_option() {
        let paths = |options: &Options| -> Vec<String> {
            render_files(&demo(), options, (None, None), 2026)
                .unwrap()
                .into_iter()
                .map(|(path, _)| path)
                .collect()
        };
        let github = paths(&Options::default());
        for expected in [
            "src/my_demo_project/__init__.py",
            ".github/workflows/ci.yml",
            "README.md",
            ".pre-commit-config.yaml",
            "noxfile.py",
        ] {
            assert!(github.contains(&expected.to_owned()), "{expected}");
        }
        assert!(!github.contains(&".gitlab-ci.yml".to_owned()));
        assert!(paths(&shaped(License::Mit, Ci::Gitlab)).contains(&".gitlab-ci.yml".to_owned()));
        assert_eq!(
            paths(&shaped(License::Mit, Ci::None)).len() + 1,
            github.len()
        );

        // Each option replaces or adds files, and changes nothing else.
        let without = |paths: Vec<String>, gone: &[&str]| -> Vec<String> {
            paths
                .into_iter()
                .filter(|p| !gone.contains(&p.as_str()))
                .collect()
        };
        let rst = paths(&Options {
            readme: ReadmeFormat::Rst,
            ..Options::default()
        });
        assert_eq!(
            without(rst, &["README.rst"]),
            without(github.clone(), &["README.md"])
        );
        let namespaced = paths(&Options {
            namespace: Some("acme.tools".into()),
            ..Options::default()
        });
        let moved =
            |p: &String| p.replace("src/my_demo_project/", "src/acme/tools/my_demo_project/");
        assert_eq!(namespaced, github.iter().map(moved).collect::<Vec<_>>());
        let science = paths(&Options {
            data_science: true,
            ..Options::default()
        });
        assert_eq!(science.len(), github.len() + 4, "{science:?}");
        for expected in [
            "notebooks/example.ipynb",
            "data/raw/.gitkeep",
            "data/processed/.gitkeep",
            "models/.gitkeep",
        ] {
            assert!(science.contains(&expected.to_owned()), "{expected}");
        }
    }

    #[test]
    fn the_options_shape_pyproject_gitignore_and_pre_commit() {
        let plain = render_files(&demo(), &Options::default(), (None, None), 2026).unwrap();
        let pyproject: toml_edit::DocumentMut = file(&plain, "pyproject.toml").parse().unwrap();
        assert_eq!(pyproject["project"]["readme"].as_str(), Some("README.md"));
        assert!(pyproject["tool"]["packkit"].get("packages").is_none());
        assert!(pyproject["tool"].get("mypy").is_none());
        assert!(
            pyproject["project"]["optional-dependencies"]
                .get("notebook")
                .is_none()
        );
        let hooks = file(&plain, ".pre-commit-config.yaml");
        assert!(hooks.contains(&format!("rev: v{RUFF_VERSION} ")), "{hooks}");
        assert!(hooks.contains("id: ruff-check") && hooks.contains("id: ruff-format"));
        assert!(!hooks.contains("nbstripout"));
        assert!(hooks.ends_with("trailing-whitespace\n"), "{hooks:?}");
        assert!(!file(&plain, ".gitignore").contains("data"));

        let options = Options {
            readme: ReadmeFormat::Rst,
            namespace: Some("acme.tools".into()),
            data_science: true,
            ..Options::default()
        };
        let files = render_files(&demo(), &options, (None, None), 2026).unwrap();
        let pyproject: toml_edit::DocumentMut = file(&files, "pyproject.toml").parse().unwrap();
        assert_eq!(pyproject["project"]["readme"].as_str(), Some("README.rst"));
        let packages = pyproject["tool"]["packkit"]["packages"].as_array().unwrap();
        assert_eq!(
            packages
                .iter()
                .map(|p| p.as_str().unwrap())
                .collect::<Vec<_>>(),
            ["src/acme/tools/my_demo_project"]
        );
        assert_eq!(pyproject["tool"]["mypy"]["mypy_path"].as_str(), Some("src"));
        let notebook = pyproject["project"]["optional-dependencies"]["notebook"]
            .as_array()
            .unwrap();
        assert!(notebook.iter().any(|d| d.as_str() == Some("packkit")));
        assert!(
            file(&files, "src/acme/tools/my_demo_project/__init__.py")
                .contains("from acme.tools.my_demo_project.core import greet")
        );
        assert!(file(&files, "docs/api.rst").contains("automodule:: acme.tools.my_demo_project\n"));
        let hooks = file(&files, ".pre-commit-config.yaml");
        assert!(
            hooks.contains(&format!("rev: {NBSTRIPOUT_VERSION}\n")),
            "{hooks}"
        );
        let ignored = file(&files, ".gitignore");
        assert!(
            ignored.contains("/data/raw/*\n!/data/raw/.gitkeep\n"),
            "{ignored}"
        );
        let notebook: serde_json::Value =
            serde_json::from_str(file(&files, "notebooks/example.ipynb")).unwrap();
        assert_eq!(notebook["nbformat"], 4);
        let sources: Vec<String> = notebook["cells"]
            .as_array()
            .unwrap()
            .iter()
            .map(|cell| {
                assert!(cell["outputs"].as_array().is_none_or(Vec::is_empty));
                cell["source"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|line| line.as_str().unwrap())
                    .collect()
            })
            .collect();
        assert!(sources[1].contains("import acme.tools.my_demo_project\n"));
        assert_eq!(sources[2], "packkit.describe()");
    }

    #[test]
    fn a_bad_namespace_is_refused_before_anything_is_made() {
        let options = Options {
            namespace: Some("acme.class".into()),
            ..Options::default()
        };
        let err = render_files(&demo(), &options, (None, None), 2026).unwrap_err();
        assert!(err.to_string().contains("keyword"), "{err}");
    }

    #[test]
    fn pyproject_is_valid_toml_with_the_values() {
        let files = render_files(
            &demo(),
            &shaped(License::Apache2, Ci::None),
            (Some("O'Brien Ünal"), Some("ob@example.org")),
            2026,
        )
        .unwrap();
        let text = &files.iter().find(|(p, _)| p == "pyproject.toml").unwrap().1;
        let doc: toml_edit::DocumentMut = text.parse().unwrap();
        assert_eq!(doc["project"]["name"].as_str(), Some("my-demo.Project"));
        assert_eq!(doc["project"]["license"].as_str(), Some("Apache-2.0"));
        assert_eq!(
            doc["project"]["authors"][0]["name"].as_str(),
            Some("O'Brien Ünal")
        );
        assert_eq!(
            doc["build-system"]["build-backend"].as_str(),
            Some("packkit.backend")
        );
    }

    #[test]
    fn hostile_authors_are_refused() {
        for (key, value) in [
            ("author", "a\"b"),
            ("author", "a\nb"),
            ("author", "x, y"),
            ("author", "{{name}}"),
            ("email", "no-at-sign"),
            ("email", "a@b@c"),
            ("email", "a b@c"),
            ("author", " "),
        ] {
            let err = check_author_part(key, value, "test").unwrap_err();
            assert!(err.to_string().contains("\nhint: "), "{value:?}");
        }
        assert_eq!(check_author_part("author", " Ada ", "test").unwrap(), "Ada");
    }

    #[test]
    fn licenses_and_ci_parse() {
        assert_eq!(License::parse("apache-2.0").unwrap(), License::Apache2);
        let err = License::parse("WTFPL").unwrap_err();
        assert!(err.to_string().contains("MPL-2.0"));
        assert_eq!(Ci::parse("gitlab").unwrap(), Ci::Gitlab);
        assert!(Ci::parse("travis").is_err());
    }

    fn options_in(dir: &Path, name: &str) -> Options {
        Options {
            name: Some(name.to_owned()),
            path: Some(dir.join(name)),
            author_name: Some("Ada Lovelace".to_owned()),
            author_email: Some("ada@example.org".to_owned()),
            ..Options::default()
        }
    }

    #[test]
    fn a_project_with_a_repository_appears_whole() {
        let dir = tempfile::tempdir().unwrap();
        let created = create(&options_in(dir.path(), "demo")).unwrap();
        assert_eq!(created.commit.as_ref().map(String::len), Some(40));
        let root = dir.path().join("demo");
        for file in &created.files {
            assert!(root.join(file).is_file(), "{file}");
        }
        assert!(root.join(".git/index").is_file());
        let repo = crate::scm::git::open(&root).unwrap().to_thread_local();
        let head = repo.head_name().unwrap().unwrap();
        assert_eq!(head.as_bstr(), "refs/heads/main");
        // Only the project is left: no staging folder beside it.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("demo")]);
    }

    #[test]
    fn refusals_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let busy = dir.path().join("busy");
        std::fs::create_dir(&busy).unwrap();
        std::fs::write(busy.join("keep.txt"), "mine").unwrap();
        let before = || -> Vec<_> {
            let mut names: Vec<_> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            names.sort();
            names
        };
        let snapshot = before();
        let err = create(&options_in(dir.path(), "busy")).unwrap_err();
        assert!(err.to_string().contains("not empty"), "{err}");
        for bad in ["json", "1up", "class", "a b"] {
            let err = create(&options_in(dir.path(), bad)).unwrap_err();
            assert!(err.to_string().contains("hint:"), "{err}");
        }
        let mut missing_parent = options_in(dir.path(), "x");
        missing_parent.path = Some(dir.path().join("no/such/x"));
        assert!(
            create(&missing_parent)
                .unwrap_err()
                .to_string()
                .contains("does not exist")
        );
        assert_eq!(before(), snapshot);
        assert_eq!(
            std::fs::read_to_string(busy.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn an_empty_folder_is_filled_and_no_git_makes_no_repository() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        let mut options = options_in(dir.path(), "empty");
        options.git = false;
        let created = create(&options).unwrap();
        assert!(created.commit.is_none());
        assert!(dir.path().join("empty/pyproject.toml").is_file());
        assert!(!dir.path().join("empty/.git").exists());
    }
}
