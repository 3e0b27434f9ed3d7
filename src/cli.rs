//! The `packkit` command line. Data goes to stdout, diagnostics to stderr; the exit code is
//! 0 on success, 1 for a user-facing error and 2 for a usage error.

// The command line is the one place that prints: data to stdout, diagnostics to stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::build::OTHER_KEYS;
use crate::error::{Error, Result};
use crate::interpreter::Interpreter;
use crate::release::commits;
use crate::resolve::{self, Environment, Overrides, Record, Settings};

#[derive(Parser)]
#[command(
    name = "packkit",
    version,
    about = "Versions from git tags, and wheels and sdists, for Python projects.",
    long_about = "Versions from git tags for Python projects, computed in-process (setuptools_scm's \
                  schemes and outputs), and a build backend that makes wheels and sdists from \
                  pyproject.toml, with clear errors instead of silently wrong results."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the version of the project, computed from git tags.
    Version(VersionArgs),
    /// Build the wheel and the sdist into dist/ (no frontend needed).
    Build(BuildArgs),
    /// Report every problem a build would meet, at once, with file:line:column and a fix.
    Check(PathArgs),
    /// List what goes into the wheel and the sdist, and why each file is in or out.
    Files(FilesArgs),
    /// Create a new project: packaging, package, tests, docs, license, CI and a git repository.
    New(NewArgs),
    /// The project at a glance: the version now and the installed one (stale?), the git
    /// facts and the release channel.
    Status(StatusArgs),
    /// Tag the next release: the last version tag's version bumped by PART, as an
    /// annotated tag at HEAD.
    Bump(BumpArgs),
    /// Print the version's release channel (unstable, testing, stable), its index, and
    /// whether it may be published.
    Channel(ChannelArgs),
    /// Upload the wheel and sdist of the current version (default: those in dist/) to the
    /// index of its channel, checking every file first.
    Publish(PublishArgs),
    /// Switch a project from setuptools, setuptools_scm, hatchling, flit, pdm or uv_build to
    /// packkit: translate its build and version configuration into pyproject.toml.
    Migrate(MigrateArgs),
    /// Suggest the next version from the Conventional Commits since the last version tag.
    Next(NextArgs),
    /// The Conventional Commits since a tag (default: the last version tag), as Markdown.
    Changelog(ChangelogArgs),
}

#[derive(clap::Args)]
struct NextArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// List every commit (short id, type, scope, breaking, bump, subject) and the rule that
    /// decided.
    #[arg(long)]
    explain: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::Args)]
struct ChangelogArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// The tag to start from (its commit and its history are left out); default: the
    /// version tag `packkit version` counts from.
    #[arg(long, value_name = "TAG")]
    since: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ChangelogFormat::Md)]
    format: ChangelogFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChangelogFormat {
    Md,
    Json,
}

#[derive(clap::Args)]
#[allow(clippy::struct_excessive_bools)] // one per command-line flag
struct MigrateArgs {
    /// The project directory (where pyproject.toml, setup.cfg or setup.py is); default: the
    /// current directory.
    path: Option<PathBuf>,
    /// Print the changes, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the translated part even when something cannot be translated.
    #[arg(long)]
    force: bool,
    /// Remove the old backends' tables that were translated.
    #[arg(long)]
    clean: bool,
    /// Build the wheel with the old backend (when this Python can import it) before migrating
    /// and with packkit after, and print how their METADATA and file lists differ.
    #[arg(long, conflicts_with = "dry_run")]
    verify: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::Args)]
struct StatusArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::Args)]
struct BumpArgs {
    /// What to bump: major, minor, patch (a release), alpha, beta, rc (a pre-release), final
    /// (the pre-release's release) or post (a post-release).
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::release::bump::PARTS))]
    part: String,
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// Say what would be tagged, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// The tag's message (default: "Release VERSION").
    #[arg(long, short = 'm')]
    message: Option<String>,
    /// Tag even when HEAD is not on a branch.
    #[arg(long)]
    allow_detached: bool,
    /// Put the release's section (the Conventional Commits since the last tag) into
    /// CHANGELOG.md, every other byte kept, and commit it before tagging.
    #[arg(long)]
    changelog: bool,
}

#[derive(clap::Args)]
struct ChannelArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit with 1, each reason on stderr, when the version may not be published.
    #[arg(long)]
    check: bool,
}

#[derive(clap::Args)]
struct PublishArgs {
    /// The wheels and sdists to upload (default: the files in the project's dist/ whose names
    /// give the project's name and current version).
    #[arg(value_name = "DIST")]
    dists: Vec<PathBuf>,
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    #[arg(long, value_name = "DIR")]
    project: Option<PathBuf>,
    /// Publish to this channel's index instead of the version's own channel.
    #[arg(long, value_enum)]
    channel: Option<ChannelChoice>,
    /// Check the version, the files and the credentials; upload nothing.
    #[arg(long)]
    dry_run: bool,
    /// Leave a file that is already on the index (and say so) instead of failing.
    #[arg(long)]
    skip_existing: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChannelChoice {
    Unstable,
    Testing,
    Stable,
}

#[derive(clap::Args)]
#[allow(clippy::struct_excessive_bools)] // one command-line flag each
struct NewArgs {
    /// The project name (PEP 508); the package imports as its normalized form (`my-project`:
    /// `my_project`). With --update: the project folder (default: the nearest project at or
    /// above the current directory).
    #[arg(required_unless_present = "update")]
    name: Option<String>,
    /// The folder to create (default: ./NAME); it must not exist, or be empty.
    #[arg(conflicts_with = "update")]
    path: Option<PathBuf>,
    /// The license (SPDX identifier): MIT (default), Apache-2.0, BSD-3-Clause,
    /// GPL-3.0-or-later, MPL-2.0 or LicenseRef-Proprietary.
    #[arg(long, conflicts_with = "update")]
    license: Option<String>,
    /// The CI configuration to write (default: github; with --update: none).
    #[arg(long, value_enum)]
    ci: Option<CiChoice>,
    /// Write README.rst (reStructuredText) instead of README.md.
    #[arg(long, conflicts_with_all = ["markdown", "update"])]
    rst: bool,
    /// Write README.md (Markdown): the default.
    #[arg(long, conflicts_with = "update")]
    markdown: bool,
    /// Put the package inside PEP 420 namespace packages: with `--namespace acme.tools`, the
    /// code is in src/acme/tools/NAME/ and imports as `acme.tools.NAME` (no __init__.py in
    /// src/acme or src/acme/tools).
    #[arg(long, value_name = "A.B", conflicts_with = "update")]
    namespace: Option<String>,
    /// Add notebooks/ (an example notebook), data/raw, data/processed and models/ (their
    /// contents git-ignored), a `notebook` extra and nbstripout in pre-commit.
    #[arg(long)]
    data_science: bool,
    /// Do not create a git repository and first commit.
    #[arg(long, conflicts_with = "update")]
    no_git: bool,
    /// Accept a name that is also a module of Python's standard library.
    #[arg(long, conflicts_with = "update")]
    force_name: bool,
    /// The author's name (default: GIT_AUTHOR_NAME, else git's user.name).
    #[arg(long, conflicts_with = "update")]
    author: Option<String>,
    /// The author's email (default: GIT_AUTHOR_EMAIL, else git's user.email).
    #[arg(long, conflicts_with = "update")]
    email: Option<String>,
    #[command(flatten)]
    update: UpdateArgs,
}

/// `packkit new --update`: add pieces to a project that exists.
#[derive(clap::Args)]
#[allow(clippy::struct_excessive_bools)] // one flag per command-line option
struct UpdateArgs {
    /// Add the pieces named (--ci, --data-science, --docs, --pre-commit, --nox) to the project
    /// that exists at NAME, editing its pyproject.toml and never overwriting a file that
    /// differs from packkit's (its diff is printed instead).
    #[arg(long)]
    update: bool,
    /// With --update: the Sphinx docs/ folder and the `docs` extra.
    #[arg(long, requires = "update")]
    docs: bool,
    /// With --update: .pre-commit-config.yaml and [tool.ruff].
    #[arg(long, requires = "update")]
    pre_commit: bool,
    /// With --update: noxfile.py (tests and docs sessions) and the extras it installs.
    #[arg(long, requires = "update")]
    nox: bool,
    /// With --update: print every change, write nothing.
    #[arg(long, requires = "update")]
    dry_run: bool,
    /// With --update: accept a git tree with uncommitted changes.
    #[arg(long, requires = "update")]
    allow_dirty: bool,
    /// With --update: write packkit's version of each file that differs as <file>.packkit-new.
    #[arg(long, requires = "update")]
    write_conflicts: bool,
    /// With --update: output format.
    #[arg(long, value_enum, default_value_t = Format::Text, requires = "update")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum CiChoice {
    Github,
    Gitlab,
    None,
}

#[derive(clap::Args)]
struct PathArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
}

#[derive(clap::Args)]
struct BuildArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// Build the wheel (both are built when neither --wheel nor --sdist is given).
    #[arg(long)]
    wheel: bool,
    /// Build the sdist.
    #[arg(long)]
    sdist: bool,
    /// Output directory (default: dist/ in the project).
    #[arg(short = 'o', long = "outdir")]
    outdir: Option<PathBuf>,
}

#[derive(clap::Args)]
struct FilesArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// List only what each archive takes, not what is left out.
    #[arg(long)]
    included_only: bool,
}

#[derive(clap::Args)]
struct VersionArgs {
    /// The project directory (where pyproject.toml is); default: the nearest one at or above
    /// the current directory.
    path: Option<PathBuf>,
    /// Version scheme (overrides pyproject.toml), e.g. guess-next-dev, post-release.
    #[arg(long)]
    version_scheme: Option<String>,
    /// Local scheme (overrides pyproject.toml), e.g. node-and-date, no-local-version.
    #[arg(long)]
    local_scheme: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Also write `version-file` from pyproject.toml.
    #[arg(long)]
    write_version_file: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Run the CLI with `args` (the first is the program name) and return the exit code.
pub fn run(mut args: Vec<String>, interpreter: &Interpreter) -> i32 {
    // Usage lines say `packkit` whatever started it (`python -m packkit` has `__main__.py`).
    if let Some(program) = args.first_mut() {
        "packkit".clone_into(program);
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return err.exit_code();
        }
    };
    let result = match cli.command {
        Command::Version(args) => version(&args),
        Command::Build(args) => build(&args),
        Command::Check(args) => check(&project_path(args.path.as_deref())),
        Command::Files(args) => files(&args),
        Command::New(args) => new(args),
        Command::Channel(args) => channel(&args),
        Command::Publish(args) => publish(&args),
        Command::Bump(args) => bump(&args),
        Command::Status(args) => status(&args, interpreter),
        Command::Migrate(args) => return migrate(&args, interpreter.executable()),
        Command::Next(args) => next(&args),
        Command::Changelog(args) => changelog(&args),
    };
    match result {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            match writeln!(stdout, "{output}").and_then(|()| stdout.flush()) {
                Ok(()) => 0,
                // `packkit version > /dev/full` must not look like a success.
                Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => 1,
                Err(err) => {
                    diagnostic(&format!("error: cannot write the output: {err}"));
                    1
                }
            }
        }
        // Python reports the KeyboardInterrupt (see `python::engine`).
        Err(Error::Interrupted) => 130,
        Err(err) => {
            diagnostic(&format!("error: {err}"));
            1
        }
    }
}

/// The project a command means: `path` as given, else the nearest project at or above the
/// current directory (`.` when that is the current directory, for short paths in messages).
fn project_path(path: Option<&std::path::Path>) -> PathBuf {
    if let Some(path) = path {
        return path.to_path_buf();
    }
    let found = resolve::project_root_above(std::path::Path::new("."));
    match std::env::current_dir().and_then(|cwd| cwd.canonicalize()) {
        Ok(cwd) if cwd == found => PathBuf::from("."),
        _ => found,
    }
}

/// A line on stderr. If stderr itself cannot be written, there is nowhere left to say so: the
/// exit code still does (`eprintln!` would panic instead).
fn diagnostic(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `packkit version --format json`: the version and the facts it was made from.
#[derive(serde::Serialize)]
struct VersionJson {
    version: String,
    #[serde(flatten)]
    facts: Record,
}

fn version(args: &VersionArgs) -> Result<String> {
    let overrides = Overrides {
        version_scheme: args.version_scheme.clone(),
        local_scheme: args.local_scheme.clone(),
        environment: Some(Environment::from_process()),
        ..Overrides::default()
    };
    let settings = Settings::load(&project_path(args.path.as_deref()), &overrides, &OTHER_KEYS)?;
    let resolved = resolve::resolve(&settings, &Environment::from_process())?;
    for warning in &resolved.described.warnings {
        diagnostic(&format!("warning: {warning}"));
    }
    if args.write_version_file {
        if let Some(path) = resolved.write_version_file()? {
            diagnostic(&format!("wrote {}", path.display()));
        }
    }
    Ok(match args.format {
        Format::Text => resolved.version,
        Format::Json => {
            let json = VersionJson {
                facts: resolved.described.record(),
                version: resolved.version,
            };
            serde_json::to_string(&json).expect("JSON of plain values")
        }
    })
}

fn build(args: &BuildArgs) -> Result<String> {
    let env = Environment::from_process();
    let path = project_path(args.path.as_deref());
    let project = crate::build::Project::load(&path)?;
    let out_dir = args
        .outdir
        .clone()
        .unwrap_or_else(|| crate::paths::without_dots(&path.join("dist")));
    if !out_dir.exists() {
        // As uv does: an output folder packkit makes ignores itself, so `git status` stays clean.
        std::fs::create_dir_all(&out_dir).map_err(|err| Error::io(&out_dir, err))?;
        crate::atomic::write(&out_dir.join(".gitignore"), b"*\n")?;
    }
    let both = !args.wheel && !args.sdist;
    if args.wheel || both {
        project.layout()?; // find the code before writing anything
    }
    let mut built = Vec::new();
    if args.sdist || both {
        built.push(crate::build::build_sdist(&project, &out_dir, &env)?);
    }
    if args.wheel || both {
        let request = crate::build::WheelRequest {
            out_dir: &out_dir,
            editable: false,
            metadata_dir: None,
        };
        built.push(crate::build::build_wheel(&project, &request, &env)?);
    }
    for warning in project.warnings() {
        diagnostic(&format!("warning: {warning}"));
    }
    Ok(built
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join("\n"))
}

fn check(path: &std::path::Path) -> Result<String> {
    if let Ok(pyproject) = crate::pyproject::PyProject::read(&path.join("pyproject.toml")) {
        for warning in crate::build::ignored_configuration(&pyproject, path) {
            diagnostic(&format!("warning: {warning}"));
        }
    }
    let problems = crate::build::Project::problems(path, &Environment::from_process())?;
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    Ok(format!(
        "{}: no problems found",
        crate::paths::without_dots(&path.join("pyproject.toml")).display()
    ))
}

fn status(args: &StatusArgs, interpreter: &Interpreter) -> Result<String> {
    let path = project_path(args.path.as_deref());
    let status = crate::status::status(
        &path,
        &Environment::from_process(),
        interpreter.search_path()?,
    )?;
    Ok(match args.format {
        Format::Text => status.text(),
        Format::Json => serde_json::to_string_pretty(&status).expect("JSON of plain values"),
    })
}

fn bump(args: &BumpArgs) -> Result<String> {
    let path = project_path(args.path.as_deref());
    let settings = Settings::load(&path, &Overrides::from_process_environment(), &OTHER_KEYS)?;
    let work_tree = resolve::work_tree(&settings).ok_or_else(|| {
        Error::build(
            format!(
                "{} is not in a git checkout: there is nothing to tag",
                path.display()
            ),
            Some("run `git init` and commit first".to_owned()),
        )
    })?;
    let scope = resolve::project_scope(&settings, &work_tree)?;
    let bumped = crate::release::bump::bump(&crate::release::bump::Request {
        work_tree: &work_tree,
        tags: &settings.tag,
        tag_prefix: settings.tag.prefix(),
        part: &args.part,
        message: args.message.as_deref(),
        allow_detached: args.allow_detached,
        dry_run: args.dry_run,
        changelog_in: args.changelog.then_some(path.as_path()),
        scope: scope.as_ref(),
    })?;
    let after = bumped.previous.as_ref().map_or_else(
        || "the first version tag".to_owned(),
        |tag| format!("after {tag}"),
    );
    let mut out = String::new();
    match (&bumped.changelog, &bumped.changelog_commit) {
        (Some(_), Some(commit)) => out.push_str(&format!(
            "committed CHANGELOG.md (chore(release): {}) as {}\n",
            bumped.version,
            &commit[..commit.len().min(9)]
        )),
        (Some(section), None) => out.push_str(&format!(
            "would add to CHANGELOG.md and commit:\n{}\n",
            section.trim_end()
        )),
        _ => {}
    }
    // The commit holding the changelog goes with the tag.
    let branch = if bumped.changelog_commit.is_some() {
        "HEAD "
    } else {
        ""
    };
    out.push_str(&if bumped.created {
        format!(
            "tagged {} ({}, {after})\npush it: git push origin {branch}{}",
            bumped.tag, bumped.version, bumped.tag
        )
    } else {
        format!(
            "would tag {} ({}, {after}); nothing written (dry run)",
            bumped.tag, bumped.version
        )
    });
    Ok(out)
}

fn channel(args: &ChannelArgs) -> Result<String> {
    let project = crate::build::Project::load(&project_path(args.path.as_deref()))?;
    let mut verdict = project.channel(&Environment::from_process())?;
    // Asking the index is worth it only for a version that may otherwise be published.
    if args.check && verdict.refusals.is_empty() {
        let name = &project.metadata.name;
        match crate::release::publish::already_published(&verdict.target, name, &verdict.version) {
            Ok(refusal) => verdict.refusals.extend(refusal),
            Err(warning) => diagnostic(&format!("warning: {warning}")),
        }
    }
    let output = match args.format {
        Format::Json => serde_json::to_string(&json!({
            "channel": verdict.channel,
            "version": verdict.version,
            "index": verdict.target.index,
            "simple": verdict.target.simple,
            "conda_label": verdict.target.conda_label,
            "configured": verdict.target.configured,
            "publishable": verdict.refusals.is_empty(),
            "refusals": verdict.refusals.iter().map(|r| json!({"message": r.message, "hint": r.hint})).collect::<Vec<_>>(),
        }))
        .expect("JSON of plain values"),
        Format::Text => {
            let mut out = format!(
                "{:<9} {}  ->  {}",
                verdict.channel.name(),
                verdict.version,
                verdict.target.index
            );
            for refusal in &verdict.refusals {
                out.push_str(&format!(
                    "\nnot publishable: {}\n  hint: {}",
                    refusal.message, refusal.hint
                ));
            }
            out
        }
    };
    if let Some(refused) = verdict.refusal_error("").filter(|_| args.check) {
        // The verdict still goes to stdout, for scripts reading it; the error to stderr.
        println!("{output}");
        return Err(refused);
    }
    Ok(output)
}

fn publish(args: &PublishArgs) -> Result<String> {
    use crate::release::channel::Channel;
    use crate::release::publish;
    let env = Environment::from_process();
    let project = crate::build::Project::load(&project_path(args.project.as_deref()))?;
    let channel = args.channel.map(|choice| match choice {
        ChannelChoice::Unstable => Channel::Unstable,
        ChannelChoice::Testing => Channel::Testing,
        ChannelChoice::Stable => Channel::Stable,
    });
    let verdict = project.channel_on(&env, channel)?;
    if let Some(refused) = verdict.refusal_error(" (nothing was uploaded)") {
        return Err(refused);
    }
    let (version, channel, index) = (verdict.version, verdict.channel, verdict.target.index);
    let name = project.metadata.name.clone();
    let dist_dir = crate::paths::without_dots(&project.dir.join("dist"));
    let paths = if args.dists.is_empty() {
        publish::default_files(&dist_dir, &name, &version)
    } else {
        args.dists.clone()
    };
    if paths.is_empty() {
        return Err(Error::build(
            format!(
                "{} holds no wheel or sdist of {name} {version}",
                dist_dir.display()
            ),
            Some("build them first: `packkit build`".to_owned()),
        ));
    }
    let (files, problems) = publish::check_files(&paths, &name, &version);
    if !problems.is_empty() {
        return Err(Error::build(
            format!(
                "nothing was uploaded, {} file(s) may not be published:\n  {}",
                problems.len(),
                problems.join("\n  ")
            ),
            Some(
                "build the current version again (`packkit build`) and publish its files"
                    .to_owned(),
            ),
        ));
    }
    let var = |key: &str| {
        env.vars
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };
    let pypirc = var("HOME")
        .map(|home| PathBuf::from(home).join(".pypirc"))
        .and_then(|path| std::fs::read_to_string(path).ok());
    let credentials = publish::credentials(&index, &var, pypirc.as_deref());
    let names: Vec<&str> = files.iter().map(|f| f.filename.as_str()).collect();
    if args.dry_run {
        let from = credentials.as_ref().map_or_else(
            || "no credentials found: an upload would fail".to_owned(),
            |c| format!("credentials from {}", c.source),
        );
        return Ok(format!(
            "would upload {} -> {index} ({} {version}; {from}); nothing uploaded (dry run)",
            names.join(", "),
            channel.name()
        ));
    }
    let credentials = credentials.ok_or_else(|| {
        Error::build(
            format!("no credentials for {index} (nothing was uploaded)"),
            Some(
                "set PACKKIT_PUBLISH_USERNAME and PACKKIT_PUBLISH_PASSWORD (or TWINE_USERNAME \
                 and TWINE_PASSWORD), or add a ~/.pypirc section whose repository is this index"
                    .to_owned(),
            ),
        )
    })?;
    let mut uploaded = Vec::new();
    for file in &files {
        match publish::upload(&index, &credentials, file, args.skip_existing) {
            Ok(publish::Outcome::Uploaded) => uploaded.push(file.filename.as_str()),
            Ok(publish::Outcome::Skipped(said)) => {
                diagnostic(&format!(
                    "skipped {}: already on {index} ({said})",
                    file.filename
                ));
            }
            Ok(publish::Outcome::Identical(said)) => {
                diagnostic(&format!(
                    "{} is already on {index} (identical): {said}",
                    file.filename
                ));
            }
            Err(err) => {
                let done = if uploaded.is_empty() {
                    "nothing was uploaded".to_owned()
                } else {
                    format!("uploaded before it: {}", uploaded.join(", "))
                };
                return Err(Error::build(
                    format!("{} ({done})", err.message),
                    Some(err.hint),
                ));
            }
        }
    }
    Ok(if uploaded.is_empty() {
        format!("nothing uploaded: every file is already on {index}")
    } else {
        format!("uploaded {} -> {index}", uploaded.join(", "))
    })
}

fn files(args: &FilesArgs) -> Result<String> {
    let project = crate::build::Project::load(&project_path(args.path.as_deref()))?;
    let version = project.version(&Environment::from_process())?;
    let (wheel, mut wheel_out) = project.wheel_files(&version, None)?;
    let (sdist, mut sdist_out) = project.sdist_files(None)?;
    if args.included_only {
        wheel_out.clear();
        sdist_out.clear();
    }
    Ok(match args.format {
        Format::Json => {
            let side = |selection: &crate::build::Selection,
                        excluded: &[crate::build::Excluded]| {
                json!({
                    "included": selection.iter().map(|(path, file)| json!({"path": path, "reason": file.reason})).collect::<Vec<_>>(),
                    "excluded": excluded.iter().map(|e| json!({"path": e.path, "reason": e.reason})).collect::<Vec<_>>(),
                })
            };
            serde_json::to_string_pretty(
                &json!({"wheel": side(&wheel, &wheel_out), "sdist": side(&sdist, &sdist_out)}),
            )
            .expect("JSON of plain values")
        }
        Format::Text => {
            let mut out = String::new();
            for (title, selection, excluded) in
                [("wheel", &wheel, &wheel_out), ("sdist", &sdist, &sdist_out)]
            {
                out.push_str(&format!("{title}:\n"));
                for (path, file) in selection {
                    out.push_str(&format!("  + {path}  ({})\n", file.reason));
                }
                for item in excluded {
                    out.push_str(&format!("  - {}  ({})\n", item.path, item.reason));
                }
            }
            out.trim_end().to_owned()
        }
    })
}

fn next(args: &NextArgs) -> Result<String> {
    let (history, settings) =
        commits::load(&project_path(args.path.as_deref()), None, &OTHER_KEYS)?;
    let next = commits::next_version(&history, settings);
    if let Format::Json = args.format {
        return Ok(serde_json::to_string_pretty(&next).expect("JSON of plain values"));
    }
    if next.version.is_none() {
        if args.explain {
            print!("{}", next.explanation());
        }
        let since = next.since.as_deref().unwrap_or("the first commit");
        return Err(Error::scm(
            format!("nothing to release since {since}: {}", next.counts_text()),
            Some(
                "a release needs a feat, fix or perf commit, or a breaking change \
                 (`packkit next --explain` lists the commits)"
                    .to_owned(),
            ),
        ));
    }
    Ok(if args.explain {
        next.explanation().trim_end().to_owned()
    } else {
        next.summary()
    })
}

fn changelog(args: &ChangelogArgs) -> Result<String> {
    let (history, _) = commits::load(
        &project_path(args.path.as_deref()),
        args.since.as_deref(),
        &OTHER_KEYS,
    )?;
    let log = commits::changelog(&history);
    Ok(match args.format {
        ChangelogFormat::Md => log.markdown().trim_end().to_owned(),
        ChangelogFormat::Json => serde_json::to_string_pretty(&log).expect("JSON of plain values"),
    })
}

impl CiChoice {
    fn ci(self) -> crate::scaffold::Ci {
        match self {
            CiChoice::Github => crate::scaffold::Ci::Github,
            CiChoice::Gitlab => crate::scaffold::Ci::Gitlab,
            CiChoice::None => crate::scaffold::Ci::None,
        }
    }
}

fn new(args: NewArgs) -> Result<String> {
    if args.update.update {
        return update(&args);
    }
    let options = crate::scaffold::Options {
        license: crate::scaffold::License::parse(args.license.as_deref().unwrap_or("MIT"))?,
        ci: args.ci.unwrap_or(CiChoice::Github).ci(),
        readme: if args.rst {
            crate::scaffold::ReadmeFormat::Rst
        } else {
            crate::scaffold::ReadmeFormat::Markdown
        },
        namespace: args.namespace,
        data_science: args.data_science,
        name: args.name,
        path: args.path,
        git: !args.no_git,
        force_name: args.force_name,
        author_name: args.author,
        author_email: args.email,
    };
    let created = crate::scaffold::create(&options)?;
    let shown = created.path.display();
    let repository = if created.commit.is_some() {
        " and a git repository with a first commit"
    } else {
        ""
    };
    diagnostic(&format!(
        "created {shown}/ ({} files){repository}",
        created.files.len()
    ));
    // The notebook needs its kernel: the `notebook` extra.
    let extras = if options.data_science {
        "test,notebook"
    } else {
        "test"
    };
    diagnostic(&format!(
        "next: cd {shown} && pip install -e '.[{extras}]' && pytest"
    ));
    Ok(created.path.display().to_string())
}

/// `packkit new --update`: the report on stdout (text or JSON).
fn update(args: &NewArgs) -> Result<String> {
    use crate::scaffold::update::{Piece, UpdateOptions};
    let flags = &args.update;
    let mut pieces: Vec<Piece> = args.ci.map(|ci| Piece::Ci(ci.ci())).into_iter().collect();
    for (wanted, piece) in [
        (args.data_science, Piece::DataScience),
        (flags.docs, Piece::Docs),
        (flags.pre_commit, Piece::PreCommit),
        (flags.nox, Piece::Nox),
    ] {
        if wanted {
            pieces.push(piece);
        }
    }
    let options = UpdateOptions {
        path: project_path(args.name.as_deref().map(std::path::Path::new)),
        pieces,
        dry_run: flags.dry_run,
        allow_dirty: flags.allow_dirty,
        write_conflicts: flags.write_conflicts,
    };
    let report = crate::scaffold::update::update(&options)?;
    Ok(match flags.format {
        Format::Text => report.text(),
        Format::Json => serde_json::to_string_pretty(&report).map_err(|err| Error::Internal {
            message: format!("cannot write the update report as JSON: {err}"),
        })?,
    })
}

/// `packkit migrate`: the changes on stdout, what cannot be translated on stderr; exit 1 when
/// something cannot be translated and `--force` is not given (nothing is written then).
fn migrate(args: &MigrateArgs, python: Option<&std::path::Path>) -> i32 {
    let path = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let scratch = match args.verify.then(tempfile::tempdir).transpose() {
        Ok(scratch) => scratch,
        Err(err) => {
            diagnostic(&format!("error: cannot make a temporary folder: {err}"));
            return 1;
        }
    };
    let old_wheel = scratch
        .as_ref()
        .and_then(|dir| build_with_old_backend(&path, python, &dir.path().join("old")));
    let options = crate::migrate::Options {
        dry_run: args.dry_run,
        force: args.force,
        clean: args.clean,
    };
    let report = match crate::migrate::migrate(&path, &options) {
        Ok(report) => report,
        Err(Error::Interrupted) => return 130,
        Err(err) => {
            diagnostic(&format!("error: {err}"));
            return 1;
        }
    };
    let blocked = !report.untranslatable.is_empty() && !args.force;
    // The changes first (stdout), then what could not be done and the outcome (stderr).
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).expect("JSON of plain values") + "\n",
        Format::Text => report.changes.iter().map(|c| format!("{c}\n")).collect(),
    };
    let mut stdout = std::io::stdout().lock();
    if write!(stdout, "{out}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return 1;
    }
    drop(stdout);
    if matches!(args.format, Format::Text) {
        for item in &report.untranslatable {
            diagnostic(&format!("cannot translate: {item}"));
        }
    }
    if let Some(dir) = &scratch {
        let migrated = report.written || report.changes.is_empty() || !blocked;
        if let (Some(old), true) = (&old_wheel, migrated) {
            match verify(&path, old, &dir.path().join("new")) {
                Ok(lines) if lines.is_empty() => {
                    diagnostic("verify: the two wheels agree on every METADATA field and file");
                }
                Ok(lines) => {
                    for line in lines {
                        diagnostic(&format!("verify: {line}"));
                    }
                }
                Err(err) => diagnostic(&format!("verify: packkit's build failed: {err}")),
            }
        }
    }
    let shown = report.path.display();
    if report.dry_run {
        diagnostic(
            "(dry run: nothing written; `packkit migrate` applies it, comments and formatting kept)",
        );
    } else if blocked {
        diagnostic(&format!(
            "error: {} item(s) cannot be translated; {shown} was not changed (fix them by hand, or \
             run with --force to write the rest)",
            report.untranslatable.len()
        ));
    } else if report.written {
        diagnostic(&format!(
            "wrote {shown}; next: packkit check, then packkit build"
        ));
    } else {
        diagnostic(&format!("{shown}: nothing to change"));
    }
    i32::from(blocked)
}

/// The old backend's wheel of the project in `path` (before migrating), built by `python`;
/// `None`, said on stderr, when there is no Python or it cannot import the backend.
fn build_with_old_backend(
    path: &std::path::Path,
    python: Option<&std::path::Path>,
    out: &std::path::Path,
) -> Option<PathBuf> {
    let Some(python) = python else {
        diagnostic("verify: no Python interpreter known, the old backend is not built");
        return None;
    };
    let backend = crate::pyproject::PyProject::read(&path.join("pyproject.toml"))
        .ok()
        .and_then(|p| {
            p.item("build-system.build-backend")
                .and_then(toml_edit::Item::as_str)
                .map(str::to_owned)
        })
        .unwrap_or_else(|| "setuptools.build_meta:__legacy__".to_owned());
    if backend == "packkit.backend" {
        return None;
    }
    if std::fs::create_dir_all(out).is_err() {
        return None;
    }
    // The user asked for this build: it runs the old backend, as `pip wheel .` would.
    let done = std::process::Command::new(python)
        .arg("-c")
        .arg(crate::migrate::verify::PYTHON_BUILD_SCRIPT)
        .arg(&backend)
        .arg(out)
        .current_dir(path)
        .stdin(std::process::Stdio::null())
        .output();
    match done {
        Ok(done) if done.status.success() => {
            let stdout = String::from_utf8_lossy(&done.stdout);
            let name = stdout.lines().last().unwrap_or("").trim().to_owned();
            let wheel = out.join(name);
            wheel.is_file().then_some(wheel)
        }
        Ok(done) if done.status.code() == Some(3) => {
            diagnostic(&format!(
                "verify: {backend} is not importable by {}, so only packkit's build is checked \
                 (install the old backend there to compare)",
                python.display()
            ));
            None
        }
        Ok(done) => {
            let stderr = String::from_utf8_lossy(&done.stderr);
            let last: Vec<&str> = stderr.lines().rev().take(5).collect();
            diagnostic(&format!(
                "verify: the old backend's build failed: {}",
                last.into_iter().rev().collect::<Vec<_>>().join("\n")
            ));
            None
        }
        Err(err) => {
            diagnostic(&format!("verify: cannot run {}: {err}", python.display()));
            None
        }
    }
}

/// packkit's wheel of the migrated project, compared with the old one.
fn verify(
    path: &std::path::Path,
    old: &std::path::Path,
    out: &std::path::Path,
) -> Result<Vec<String>> {
    let env = Environment::from_process();
    let project = crate::build::Project::load(path)?;
    std::fs::create_dir_all(out).map_err(|err| Error::io(out, err))?;
    let request = crate::build::WheelRequest {
        out_dir: out,
        editable: false,
        metadata_dir: None,
    };
    let new = crate::build::build_wheel(&project, &request, &env)?;
    crate::migrate::verify::compare(old, &new)
}
