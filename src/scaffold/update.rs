//! `packkit new --update`: add pieces of what `packkit new` makes (CI, docs, nox, pre-commit,
//! data science) to a project that exists, never overwriting a file or a key that is there.
//!
//! The pieces' files come from [`super::render_options`], the same rendering `packkit new`
//! writes, so a new option of `packkit new` reaches `--update` with it. A piece is the
//! files under its paths, and the `pyproject.toml` keys it needs, taken from the rendered
//! `pyproject.toml`. Everything is planned (and every path checked) before anything is
//! written.

use std::path::{Path, PathBuf};

use toml_edit::{DocumentMut, Item};

use super::{Ci, Options, ProjectName, refusal};
use crate::error::{ConfigError, Error, Result};
use crate::pyproject::edit::Editor;

/// A piece of a project `--update` can add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// The CI configuration (`--ci github|gitlab`).
    Ci(Ci),
    /// `notebooks/`, `data/`, `models/` (`--data-science`).
    DataScience,
    /// The Sphinx `docs/` folder (`--docs`).
    Docs,
    /// `.pre-commit-config.yaml` and `[tool.ruff]` (`--pre-commit`).
    PreCommit,
    /// `noxfile.py` (`--nox`).
    Nox,
}

/// The `pyproject.toml` keys the pieces need, as dotted paths into the rendered file.
const TEST_EXTRA: &[&str] = &["project", "optional-dependencies", "test"];
const DOCS_EXTRA: &[&str] = &["project", "optional-dependencies", "docs"];
const PYTEST: &[&str] = &["tool", "pytest", "ini_options"];
const RUFF: &[&str] = &["tool", "ruff"];

impl Piece {
    /// The option that asks for the piece, as the command line spells it.
    pub fn option(self) -> &'static str {
        match self {
            Piece::Ci(Ci::Github) => "--ci github",
            Piece::Ci(Ci::Gitlab) => "--ci gitlab",
            Piece::Ci(Ci::None) => "--ci none",
            Piece::DataScience => "--data-science",
            Piece::Docs => "--docs",
            Piece::PreCommit => "--pre-commit",
            Piece::Nox => "--nox",
        }
    }

    /// Turn the piece on in the options the project is rendered with.
    fn enable(self, options: &mut Options) {
        match self {
            Piece::Ci(ci) => options.ci = ci,
            Piece::DataScience => options.data_science = true,
            // Always rendered by `packkit new`.
            Piece::Docs | Piece::PreCommit | Piece::Nox => {}
        }
    }

    /// Is the rendered file at `path` part of the piece?
    fn owns(self, path: &str) -> bool {
        let under = |folders: &[&str]| folders.iter().any(|folder| path.starts_with(folder));
        match self {
            Piece::Ci(Ci::Github) => under(&[".github/"]),
            Piece::Ci(Ci::Gitlab) => path == ".gitlab-ci.yml",
            Piece::Ci(Ci::None) => false,
            Piece::DataScience => under(&["notebooks/", "data/", "models/"]),
            Piece::Docs => under(&["docs/"]),
            Piece::PreCommit => path == ".pre-commit-config.yaml",
            Piece::Nox => path == "noxfile.py",
        }
    }

    /// The `pyproject.toml` keys the piece's files rely on: CI and nox install `.[test]` and
    /// run pytest, nox builds the docs from `.[docs]`, pre-commit runs ruff.
    fn keys(self) -> &'static [&'static [&'static str]] {
        match self {
            Piece::Ci(Ci::Github | Ci::Gitlab) => &[TEST_EXTRA, PYTEST],
            Piece::Ci(Ci::None) | Piece::DataScience => &[],
            Piece::Docs => &[DOCS_EXTRA],
            Piece::PreCommit => &[RUFF],
            Piece::Nox => &[TEST_EXTRA, DOCS_EXTRA, PYTEST],
        }
    }
}

/// What `--update` is asked to do.
#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// The project folder (where `pyproject.toml` is).
    pub path: PathBuf,
    pub pieces: Vec<Piece>,
    /// Plan and report, write nothing.
    pub dry_run: bool,
    /// Accept a git tree with uncommitted changes.
    pub allow_dirty: bool,
    /// Write `<file>.packkit-new` beside each file that differs from packkit's.
    pub write_conflicts: bool,
}

/// What became of one file of the pieces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum FileOutcome {
    /// It was missing, and is created.
    Created,
    /// It is there, byte for byte what packkit would write.
    Unchanged,
    /// It is there and differs: it is left alone. `diff` is the unified diff from it to
    /// packkit's version; `aside` the `<file>.packkit-new` written with `--write-conflicts`.
    Conflict { diff: String, aside: Option<String> },
}

/// One file of the pieces: its slash path in the project, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileChange {
    pub path: String,
    #[serde(flatten)]
    pub outcome: FileOutcome,
}

/// One `pyproject.toml` key of the pieces.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct KeyChange {
    /// Dotted (`project.optional-dependencies.test`).
    pub key: String,
    /// `true`: added; `false`: it was there and is kept as it is, whatever its value.
    pub added: bool,
}

/// What `--update` did (or, with `dry_run`, would do).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Report {
    pub root: PathBuf,
    pub dry_run: bool,
    pub files: Vec<FileChange>,
    pub keys: Vec<KeyChange>,
    /// The unified diff of `pyproject.toml`, when keys are added.
    pub pyproject_diff: Option<String>,
    /// Whether anything is written (with `dry_run`: would be): a file, a `.packkit-new`
    /// that is missing or differs, `pyproject.toml`.
    pub changed: bool,
    /// The options asked for whose pieces packkit's templates have nothing of yet.
    pub empty: Vec<String>,
}

impl Report {
    /// The files with `outcome`'s kind.
    pub fn paths(&self, kind: fn(&FileOutcome) -> bool) -> Vec<String> {
        self.files
            .iter()
            .filter(|file| kind(&file.outcome))
            .map(|file| file.path.clone())
            .collect()
    }

    /// The `<file>.packkit-new` beside each conflict, when there is one.
    pub fn asides(&self) -> Vec<String> {
        self.files
            .iter()
            .filter_map(|file| match &file.outcome {
                FileOutcome::Conflict {
                    aside: Some(aside), ..
                } => Some(aside.clone()),
                _ => None,
            })
            .collect()
    }

    /// The dotted keys added (`added`), or found there and kept.
    pub fn keys_where(&self, added: bool) -> Vec<String> {
        self.keys
            .iter()
            .filter(|key| key.added == added)
            .map(|key| key.key.clone())
            .collect()
    }

    /// The report as printed: a line per file and key, then the diffs of the conflicts and of
    /// `pyproject.toml`, then what to do about the conflicts.
    pub fn text(&self) -> String {
        let (create, aside_is) = if self.dry_run {
            ("would create", "would be in")
        } else {
            ("created", "is in")
        };
        let mut lines = Vec::new();
        for file in &self.files {
            lines.push(match &file.outcome {
                FileOutcome::Created => format!("{create} {}", file.path),
                FileOutcome::Unchanged => format!("unchanged {}", file.path),
                FileOutcome::Conflict { aside: None, .. } => {
                    format!("conflict {}: yours differs, left as it is", file.path)
                }
                FileOutcome::Conflict {
                    aside: Some(aside), ..
                } => format!(
                    "conflict {}: yours differs, left as it is; packkit's version {aside_is} \
                     {aside}",
                    file.path
                ),
            });
        }
        let added = if self.dry_run { "would add" } else { "added" };
        for key in &self.keys {
            lines.push(if key.added {
                format!("pyproject.toml: {added} `{}`", key.key)
            } else {
                format!("pyproject.toml: `{}` is there, kept as it is", key.key)
            });
        }
        let mut text = lines.join("\n");
        for file in &self.files {
            if let FileOutcome::Conflict { diff, .. } = &file.outcome {
                text.push_str(&format!(
                    "\n\n{} differs from what packkit would write:\n{}",
                    file.path,
                    diff.trim_end()
                ));
            }
        }
        if let Some(diff) = &self.pyproject_diff {
            text.push_str(&format!("\n\n{}", diff.trim_end()));
        }
        for option in &self.empty {
            text.push_str(&format!(
                "\nnote: {option} adds nothing: packkit's templates have no files for it yet"
            ));
        }
        if !self.changed {
            text.push_str("\n\nnothing to do: the project has every piece asked for");
            if self
                .files
                .iter()
                .any(|f| f.outcome != FileOutcome::Unchanged)
            {
                text.push_str(" (but for the conflicts above)");
            }
        } else if self.dry_run {
            text.push_str("\n\n(dry run: nothing written)");
        }
        if self
            .files
            .iter()
            .any(|f| matches!(f.outcome, FileOutcome::Conflict { aside: None, .. }))
        {
            text.push_str(
                "\nhint: merge the diffs above by hand, or run again with --write-conflicts to \
                 get packkit's version of each beside it as <file>.packkit-new",
            );
        }
        text.trim_start().to_owned()
    }
}

impl Report {
    /// The rows of the notebook view: each kind of outcome with its files, and the keys.
    fn rows(&self) -> Vec<(&'static str, String)> {
        let joined = |paths: Vec<String>| {
            if paths.is_empty() {
                "-".to_owned()
            } else {
                paths.join(", ")
            }
        };
        let keys = |added: bool| joined(self.keys_where(added));
        vec![
            (
                if self.dry_run {
                    "would create"
                } else {
                    "created"
                },
                joined(self.paths(|o| *o == FileOutcome::Created)),
            ),
            (
                "unchanged",
                joined(self.paths(|o| *o == FileOutcome::Unchanged)),
            ),
            (
                "conflicts",
                joined(self.paths(|o| matches!(o, FileOutcome::Conflict { .. }))),
            ),
            ("packkit-new", joined(self.asides())),
            (
                if self.dry_run {
                    "keys to add"
                } else {
                    "keys added"
                },
                keys(true),
            ),
            ("keys kept", keys(false)),
        ]
    }

    /// The notebook view: a table of the outcomes, then each diff, folded.
    pub fn html(&self) -> String {
        let rows = self.rows();
        let title = if self.dry_run {
            "packkit new --update (dry run)"
        } else {
            "packkit new --update"
        };
        let mut html = crate::report::html_table(
            title,
            &self.root.display().to_string(),
            &rows,
            if self
                .files
                .iter()
                .any(|f| matches!(f.outcome, FileOutcome::Conflict { .. }))
            {
                &["conflicts"]
            } else {
                &[]
            },
        );
        let diffs = self.files.iter().filter_map(|file| match &file.outcome {
            FileOutcome::Conflict { diff, .. } => Some((file.path.as_str(), diff)),
            _ => None,
        });
        for (path, diff) in diffs.chain(self.pyproject_diff.as_ref().map(|d| ("pyproject.toml", d)))
        {
            html.push_str(&format!(
                "<details><summary><code>{}</code></summary><pre>{}</pre></details>",
                crate::report::escape_html(path),
                crate::report::escape_html(diff)
            ));
        }
        html
    }
}

/// A planned write: the slash path in the project, what, and whether it replaces a file
/// whose permissions are kept.
struct Write {
    path: String,
    contents: Vec<u8>,
    replace: bool,
}

/// Add `options.pieces` to the project at `options.path`.
pub fn update(options: &UpdateOptions) -> Result<Report> {
    let root = &options.path;
    let pieces: Vec<Piece> = options
        .pieces
        .iter()
        .copied()
        .filter(|piece| *piece != Piece::Ci(Ci::None))
        .collect();
    if pieces.is_empty() {
        return Err(refusal(
            "update",
            "no piece to add is named".to_owned(),
            "name what to add: --ci github|gitlab, --data-science, --docs, --pre-commit, --nox"
                .to_owned(),
        ));
    }
    let pyproject_path = root.join("pyproject.toml");
    let Some(text) = crate::read::optional_text(&pyproject_path)? else {
        return Err(Error::build(
            format!("{} has no pyproject.toml", root.display()),
            Some(
                "`packkit new --update` adds to a project; `packkit new NAME` creates one"
                    .to_owned(),
            ),
        ));
    };
    let mut editor = Editor::parse(&pyproject_path, &text)?;
    check_backend(&editor, &pyproject_path)?;
    if !options.allow_dirty && !options.dry_run {
        check_clean(root)?;
    }
    let rendered = render(root, &pieces)?;

    let mut writes = Vec::new();
    let mut files = Vec::new();
    for (path, contents) in &rendered {
        if path != "pyproject.toml" && pieces.iter().any(|piece| piece.owns(path)) {
            crate::interrupt::check()?;
            let outcome = plan_file(root, path, contents, options.write_conflicts, &mut writes)?;
            files.push(FileChange {
                path: path.clone(),
                outcome,
            });
        }
    }
    let empty = pieces
        .iter()
        .filter(|piece| {
            piece.keys().is_empty() && !rendered.iter().any(|(path, _)| piece.owns(path))
        })
        .map(|piece| piece.option().to_owned())
        .collect();

    let template = rendered
        .iter()
        .find(|(path, _)| path == "pyproject.toml")
        .map(|(_, text)| text.parse::<DocumentMut>())
        .transpose()
        .map_err(|err| Error::Internal {
            message: format!("packkit's pyproject.toml template is not TOML: {err}"),
        })?;
    let keys = add_keys(&mut editor, template.as_ref(), &pieces)?;
    let edited = editor.to_string();
    let pyproject_diff = if edited == text {
        None
    } else {
        writable(root, "pyproject.toml")?;
        writes.push(Write {
            path: "pyproject.toml".to_owned(),
            contents: edited.clone().into_bytes(),
            replace: true,
        });
        Some(unified_diff(&text, &edited, "pyproject.toml"))
    };

    if !options.dry_run {
        apply(root, &writes)?;
    }
    Ok(Report {
        root: root.clone(),
        dry_run: options.dry_run,
        files,
        keys,
        pyproject_diff,
        changed: !writes.is_empty(),
        empty,
    })
}

/// The files `packkit new` renders for this project with `pieces` on: its name from
/// `[project] name`, its package as the build finds it, its author.
fn render(root: &Path, pieces: &[Piece]) -> Result<Vec<(String, String)>> {
    let project = crate::build::Project::load(root)?;
    let name = ProjectName {
        name: project.metadata.name.clone(),
        package: import_package(&project)?,
    };
    let author = project_author(&project.metadata.authors);
    let mut options = Options {
        ci: Ci::None,
        ..Options::default()
    };
    for piece in pieces {
        piece.enable(&mut options);
    }
    let year = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .year();
    super::render_options(
        &options,
        &name,
        (author.0.as_deref(), author.1.as_deref()),
        year,
    )
}

/// What becomes of the rendered file `path`: created if missing, unchanged if identical, a
/// conflict if it differs (packkit's version planned beside it with `write_conflicts`).
fn plan_file(
    root: &Path,
    path: &str,
    contents: &str,
    write_conflicts: bool,
    writes: &mut Vec<Write>,
) -> Result<FileOutcome> {
    let target = writable(root, path)?;
    let planned = |path: String| Write {
        path,
        contents: contents.as_bytes().to_vec(),
        replace: false,
    };
    Ok(match existing(&target, path)? {
        None => {
            writes.push(planned(path.to_owned()));
            FileOutcome::Created
        }
        Some(ours) if ours == contents.as_bytes() => FileOutcome::Unchanged,
        Some(theirs) => {
            let aside = if write_conflicts {
                let aside = format!("{path}.packkit-new");
                let target = writable(root, &aside)?;
                // Written again only when packkit's version changed since.
                if existing(&target, &aside)?.as_deref() != Some(contents.as_bytes()) {
                    writes.push(planned(aside.clone()));
                }
                Some(aside)
            } else {
                None
            };
            FileOutcome::Conflict {
                diff: unified_diff(&String::from_utf8_lossy(&theirs), contents, path),
                aside,
            }
        }
    })
}

/// Add the keys `pieces` need that `editor`'s file lacks, from the rendered `template`;
/// those it has are kept, whatever their value.
fn add_keys(
    editor: &mut Editor,
    template: Option<&DocumentMut>,
    pieces: &[Piece],
) -> Result<Vec<KeyChange>> {
    let mut wanted: Vec<&[&str]> = Vec::new();
    for key in pieces.iter().flat_map(|piece| piece.keys()) {
        if !wanted.contains(key) {
            wanted.push(key);
        }
    }
    let mut keys = Vec::new();
    for key in wanted {
        let dotted = key.join(".");
        if editor.get(key).is_some() {
            keys.push(KeyChange {
                key: dotted,
                added: false,
            });
            continue;
        }
        let Some(item) = template.and_then(|doc| item_at(doc, key)) else {
            // The templates no longer have the key: nothing to add.
            continue;
        };
        match item.clone() {
            Item::Table(table) => editor.insert_table(key, table)?,
            Item::Value(value) => editor.set(key, value.decorated(" ", ""))?,
            _ => {
                return Err(Error::Internal {
                    message: format!("packkit's template has an unexpected item at `{dotted}`"),
                });
            }
        }
        keys.push(KeyChange {
            key: dotted,
            added: true,
        });
    }
    Ok(keys)
}

/// Write what was planned, each file atomically; each path is checked again just before,
/// since folders are created on the way.
fn apply(root: &Path, writes: &[Write]) -> Result<()> {
    for write in writes {
        crate::interrupt::check()?;
        let target = writable(root, &write.path)?;
        if let Some(folder) = target.parent() {
            std::fs::create_dir_all(folder).map_err(|err| Error::io(folder, err))?;
        }
        let target = writable(root, &write.path)?;
        if write.replace {
            crate::atomic::replace(&target, &write.contents)?;
        } else {
            crate::atomic::write(&target, &write.contents)?;
        }
    }
    Ok(())
}

/// The item at `keys` of a parsed document.
fn item_at<'a>(document: &'a DocumentMut, keys: &[&str]) -> Option<&'a Item> {
    let (first, rest) = keys.split_first()?;
    rest.iter()
        .try_fold(document.get(first)?, |item, key| item.get(key))
}

/// Refuse a project built by another backend: the pieces (docs that ask packkit for the
/// version, CI that builds with it) assume packkit, and switching is `packkit migrate`'s job.
fn check_backend(editor: &Editor, path: &Path) -> Result<()> {
    let backend = editor
        .get(&["build-system", "build-backend"])
        .and_then(Item::as_str);
    if backend == Some("packkit.backend") {
        return Ok(());
    }
    let what = match backend {
        Some(other) => format!("the project is built by {other:?}, not packkit"),
        None => "the project names no build backend (pip then uses setuptools)".to_owned(),
    };
    Err(Error::from(ConfigError {
        path: Some(path.to_owned()),
        line: None,
        column: None,
        key: Some("build-system.build-backend".to_owned()),
        message: format!(
            "{what}; the pieces `packkit new --update` adds (docs, CI, nox) expect packkit"
        ),
        hint: Some(
            "switch the project to packkit first with `packkit migrate` (it edits \
             [build-system] and carries the version configuration over), then run the update"
                .to_owned(),
        ),
    }))
}

/// Refuse a git tree with uncommitted changes to tracked files: after the update, `git diff`
/// and `git status` should show exactly what it did.
fn check_clean(root: &Path) -> Result<()> {
    let Some(work_tree) = crate::scm::git::enclosing_work_tree(root) else {
        return Ok(());
    };
    let modified = crate::scm::git::modified_files(&work_tree, 6)?;
    if modified.is_empty() {
        return Ok(());
    }
    let mut shown = modified.iter().take(5).cloned().collect::<Vec<_>>();
    if modified.len() > 5 {
        shown.push("...".to_owned());
    }
    Err(Error::scm(
        format!(
            "the git tree at {} has uncommitted changes ({})",
            work_tree.display(),
            shown.join(", ")
        ),
        Some(
            "commit or stash them first, so that `git diff` shows what the update changes; or \
             pass --allow-dirty (or look first with --dry-run)"
                .to_owned(),
        ),
    ))
}

/// Where `path` (a slash path of the rendered project) is written: inside the project, and
/// neither a symlink nor under one that leads out.
fn writable(root: &Path, path: &str) -> Result<PathBuf> {
    crate::paths::writable_inside(root, path).map_err(|why| {
        Error::from(ConfigError {
            path: Some(root.join(path)),
            line: None,
            column: None,
            key: None,
            message: format!(
                "packkit will not write here: {}; nothing was written",
                why.message()
            ),
            hint: Some(format!(
                "replace {path} (or the folder above it) by a regular file or folder, or leave \
                 out the option that adds it"
            )),
        })
    })
}

/// The bytes of the file at `target`, `None` when there is none.
fn existing(target: &Path, path: &str) -> Result<Option<Vec<u8>>> {
    match crate::read::bytes(target) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(Error::io(
            target,
            std::io::Error::new(err.kind(), format!("{path}: {err}")),
        )),
    }
}

/// The unified diff from `theirs` (the file in the project) to `ours` (packkit's).
fn unified_diff(theirs: &str, ours: &str, path: &str) -> String {
    similar::TextDiff::from_lines(theirs, ours)
        .unified_diff()
        .context_radius(3)
        .header(&format!("{path} (yours)"), &format!("{path} (packkit)"))
        .to_string()
}

/// The import name of the project's package, as the build finds it (`src/pkg`, `pkg.py`, a
/// namespace `a/b`).
fn import_package(project: &crate::build::Project) -> Result<String> {
    let layout = project.layout()?;
    let normalized = project.metadata.file_name();
    let roots: Vec<String> = layout
        .roots
        .iter()
        .map(|root| {
            root.target
                .trim_end_matches(".py")
                .trim_end_matches('/')
                .replace('/', ".")
        })
        .collect();
    Ok(roots
        .iter()
        .find(|name| **name == normalized)
        .or_else(|| roots.first())
        .cloned()
        .unwrap_or(normalized))
}

/// The author for the templates: the first of `[project] authors` whose name fits a template
/// value, else git's (environment, then configuration), else nobody.
fn project_author(authors: &[crate::metadata::Person]) -> (Option<String>, Option<String>) {
    for person in authors {
        let name = person
            .name
            .as_deref()
            .and_then(|name| super::check_author_part("author", name, "pyproject.toml").ok());
        if name.is_some() {
            let email = person
                .email
                .as_deref()
                .and_then(|email| super::check_author_part("email", email, "pyproject.toml").ok());
            return (name, email);
        }
    }
    // Git's identity; one that does not fit is left out rather than refused, since the
    // author only fills a copyright line here.
    super::author(&Options::default()).unwrap_or((None, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-written project: comments, odd spacing, an inline table, no optional
    /// dependencies, an unrelated tool table.
    const ODD: &str = r#"# My project, my formatting.
[build-system]
requires = [ "packkit" ]   # the backend
build-backend   = "packkit.backend"

[project]
name = "Odd-Thing"
dynamic = [ "version" ]
authors = [ { name = "Grace Hopper", email = "grace@example.org" } ]   # me

	# an indented comment
[tool.black]
line-length=88  # not ruff
"#;

    fn odd_project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pyproject.toml"), ODD).unwrap();
        std::fs::create_dir_all(dir.path().join("src/odd_thing")).unwrap();
        std::fs::write(dir.path().join("src/odd_thing/__init__.py"), "").unwrap();
        dir
    }

    fn options(dir: &Path, pieces: &[Piece]) -> UpdateOptions {
        UpdateOptions {
            path: dir.to_owned(),
            pieces: pieces.to_vec(),
            dry_run: false,
            allow_dirty: false,
            write_conflicts: false,
        }
    }

    fn read(dir: &Path, path: &str) -> String {
        std::fs::read_to_string(dir.join(path)).unwrap()
    }

    #[test]
    fn keys_are_added_and_every_other_byte_of_pyproject_is_kept() {
        let dir = odd_project();
        let report = update(&options(dir.path(), &[Piece::Docs, Piece::PreCommit])).unwrap();
        let added: Vec<_> = report
            .keys
            .iter()
            .filter(|k| k.added)
            .map(|k| &k.key)
            .collect();
        assert_eq!(
            added,
            ["project.optional-dependencies.docs", "tool.ruff"],
            "{}",
            report.text()
        );
        let after = read(dir.path(), "pyproject.toml");
        // The original text, cut where the new tables go: nothing of it moved or changed.
        let (head, tail) = ODD.split_once("\n\t# an indented comment\n").unwrap();
        let extras = format!("{head}\n[project.optional-dependencies]\ndocs = [\"sphinx>=7\"]\n");
        assert!(after.starts_with(&extras), "{after}");
        let tail = format!("\n\t# an indented comment\n{tail}");
        assert!(after[extras.len()..].starts_with(&tail), "{after}");
        let rest = &after[extras.len() + tail.len()..];
        assert!(
            rest.starts_with("\n[tool.ruff]\nline-length = 100\n"),
            "{rest}"
        );
        let doc: DocumentMut = after.parse().unwrap();
        assert_eq!(
            doc["project"]["optional-dependencies"]["docs"][0].as_str(),
            Some("sphinx>=7")
        );
        assert_eq!(doc["tool"]["ruff"]["line-length"].as_integer(), Some(100));
        assert!(rest.contains("[tool.ruff.lint]"), "{rest}");
        // docs/ is created, with the project's name and package.
        assert!(read(dir.path(), "docs/conf.py").contains("project = \"Odd-Thing\""));
        assert!(read(dir.path(), "docs/conf.py").contains("Grace Hopper"));
        assert!(read(dir.path(), "docs/api.rst").contains(".. automodule:: odd_thing\n"));

        // A second run changes nothing.
        let again = update(&options(dir.path(), &[Piece::Docs, Piece::PreCommit])).unwrap();
        assert!(!again.changed);
        assert!(again.keys.iter().all(|k| !k.added));
        assert!(again.text().contains("nothing to do"), "{}", again.text());
        assert_eq!(read(dir.path(), "pyproject.toml"), after);
    }

    #[test]
    fn a_pyproject_with_windows_line_ends_keeps_them() {
        let dir = odd_project();
        let crlf = ODD.replace('\n', "\r\n");
        std::fs::write(dir.path().join("pyproject.toml"), &crlf).unwrap();
        update(&options(dir.path(), &[Piece::PreCommit])).unwrap();
        let after = read(dir.path(), "pyproject.toml");
        assert!(after.starts_with(&crlf), "{after:?}");
        assert!(after.ends_with("[tool.ruff.lint]\r\nselect = [\"E\", \"F\", \"W\", \"I\", \"B\", \"UP\", \"SIM\", \"RUF\"]\r\n"), "{after:?}");
        assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
    }

    #[test]
    fn a_changed_file_is_never_overwritten_and_its_diff_is_shown() {
        let dir = odd_project();
        update(&options(dir.path(), &[Piece::Nox])).unwrap();
        let mine = read(dir.path(), "noxfile.py").replace("\"3.10\", ", "");
        std::fs::write(dir.path().join("noxfile.py"), &mine).unwrap();
        let report = update(&options(dir.path(), &[Piece::Nox])).unwrap();
        assert_eq!(read(dir.path(), "noxfile.py"), mine);
        let FileOutcome::Conflict { diff, aside: None } = &report.files[0].outcome else {
            panic!("{report:?}");
        };
        assert!(diff.contains("+@nox.session(python=[\"3.10\", "), "{diff}");
        assert!(report.text().contains("--write-conflicts"));
        assert!(!report.changed);

        let mut aside = options(dir.path(), &[Piece::Nox]);
        aside.write_conflicts = true;
        let report = update(&aside).unwrap();
        assert!(report.changed);
        assert_eq!(read(dir.path(), "noxfile.py"), mine);
        assert!(read(dir.path(), "noxfile.py.packkit-new").contains("\"3.10\", "));
        // Once there, packkit's version is not written again.
        let again = update(&aside).unwrap();
        assert!(!again.changed, "{again:?}");
        assert!(
            again
                .text()
                .contains("version is in noxfile.py.packkit-new")
        );
    }

    #[test]
    fn a_dry_run_writes_nothing() {
        let dir = odd_project();
        let mut dry = options(dir.path(), &[Piece::Ci(Ci::Gitlab), Piece::Docs]);
        dry.dry_run = true;
        let report = update(&dry).unwrap();
        assert!(report.changed);
        assert!(report.text().contains("would create .gitlab-ci.yml"));
        assert!(report.text().contains("+test = [\"pytest>=8\"]"));
        assert!(report.text().ends_with("(dry run: nothing written)"));
        assert_eq!(read(dir.path(), "pyproject.toml"), ODD);
        assert!(!dir.path().join(".gitlab-ci.yml").exists());
        assert!(!dir.path().join("docs").exists());
    }

    #[test]
    fn a_piece_the_templates_have_nothing_of_yet_says_so() {
        let dir = odd_project();
        let report = update(&options(dir.path(), &[Piece::DataScience])).unwrap();
        // Until the data-science templates exist, the report says so rather than "done".
        if report.files.is_empty() {
            assert_eq!(report.empty, ["--data-science"]);
            assert!(
                report.text().contains("note: --data-science adds nothing"),
                "{}",
                report.text()
            );
        } else {
            assert!(report.empty.is_empty());
            assert!(
                report
                    .files
                    .iter()
                    .all(|f| Piece::DataScience.owns(&f.path))
            );
        }
    }

    #[test]
    fn another_backend_is_sent_to_migrate() {
        let dir = odd_project();
        let hatch = ODD.replace("packkit.backend", "hatchling.build");
        std::fs::write(dir.path().join("pyproject.toml"), &hatch).unwrap();
        let err = update(&options(dir.path(), &[Piece::Docs]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("\"hatchling.build\""), "{err}");
        assert!(err.contains("packkit migrate"), "{err}");
        assert!(!dir.path().join("docs").exists());
        let err = update(&options(dir.path(), &[])).unwrap_err().to_string();
        assert!(err.contains("--docs"), "{err}");
        let err = update(&options(dir.path(), &[Piece::Ci(Ci::None)]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("--docs"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_out_of_the_project_is_refused_and_nothing_is_written() {
        let dir = odd_project();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("victim"), "keep").unwrap();
        std::os::unix::fs::symlink(outside.path().join("victim"), dir.path().join("noxfile.py"))
            .unwrap();
        let err = update(&options(dir.path(), &[Piece::Docs, Piece::Nox]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("noxfile.py"), "{err}");
        assert!(err.contains("symbolic link"), "{err}");
        assert_eq!(read(outside.path(), "victim"), "keep");
        assert_eq!(read(dir.path(), "pyproject.toml"), ODD);
        assert!(!dir.path().join("docs").exists());
    }

    #[test]
    fn a_dirty_tree_is_refused_unless_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let created = super::super::create(&Options {
            name: Some("demo".to_owned()),
            path: Some(dir.path().join("demo")),
            ci: Ci::None,
            author_name: Some("Ada Lovelace".to_owned()),
            author_email: Some("ada@example.org".to_owned()),
            ..Options::default()
        })
        .unwrap();
        let root = created.path;
        let github = [Piece::Ci(Ci::Github)];
        std::fs::write(root.join("README.md"), "changed\n").unwrap();
        let err = update(&options(&root, &github)).unwrap_err().to_string();
        assert!(err.contains("uncommitted changes (README.md)"), "{err}");
        assert!(err.contains("--allow-dirty"), "{err}");
        let mut allowed = options(&root, &github);
        allowed.allow_dirty = true;
        let report = update(&allowed).unwrap();
        // Only the new option's file: the keys it needs are there already.
        assert_eq!(
            report.paths(|o| *o == FileOutcome::Created),
            [".github/workflows/ci.yml"]
        );
        assert!(report.pyproject_diff.is_none());
        assert!(report.keys.iter().all(|k| !k.added));
    }
}
