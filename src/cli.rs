//! The `packkit` command line. Data goes to stdout, diagnostics to stderr; the exit code is
//! 0 on success, 1 for a user-facing error and 2 for a usage error.

// The command line is the one place that prints: data to stdout, diagnostics to stderr.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;

use crate::build::BUILD_KEYS;
use crate::error::{Error, Result};
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
struct NewArgs {
    /// The project name (PEP 508); the package imports as its normalized form (`my-project`:
    /// `my_project`).
    name: String,
    /// The folder to create (default: ./NAME); it must not exist, or be empty.
    path: Option<PathBuf>,
    /// The license (SPDX identifier): MIT, Apache-2.0, BSD-3-Clause, GPL-3.0-or-later, MPL-2.0
    /// or LicenseRef-Proprietary.
    #[arg(long, default_value = "MIT")]
    license: String,
    /// The CI configuration to write.
    #[arg(long, value_enum, default_value_t = CiChoice::Github)]
    ci: CiChoice,
    /// Do not create a git repository and first commit.
    #[arg(long)]
    no_git: bool,
    /// Accept a name that is also a module of Python's standard library.
    #[arg(long)]
    force_name: bool,
    /// The author's name (default: GIT_AUTHOR_NAME, else git's user.name).
    #[arg(long)]
    author: Option<String>,
    /// The author's email (default: GIT_AUTHOR_EMAIL, else git's user.email).
    #[arg(long)]
    email: Option<String>,
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
pub fn run(args: Vec<String>) -> i32 {
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
        ..Overrides::default()
    };
    let settings = Settings::load(&project_path(args.path.as_deref()), &overrides, BUILD_KEYS)?;
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
    let problems = crate::build::Project::problems(path, &Environment::from_process())?;
    if !problems.is_empty() {
        return Err(Error::Config(problems));
    }
    Ok(format!(
        "{}: no problems found",
        crate::paths::without_dots(&path.join("pyproject.toml")).display()
    ))
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
    let (history, settings) = commits::load(&project_path(args.path.as_deref()), None, BUILD_KEYS)?;
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
        BUILD_KEYS,
    )?;
    let log = commits::changelog(&history);
    Ok(match args.format {
        ChangelogFormat::Md => log.markdown().trim_end().to_owned(),
        ChangelogFormat::Json => serde_json::to_string_pretty(&log).expect("JSON of plain values"),
    })
}

fn new(args: NewArgs) -> Result<String> {
    let options = crate::scaffold::Options {
        license: crate::scaffold::License::parse(&args.license)?,
        ci: match args.ci {
            CiChoice::Github => crate::scaffold::Ci::Github,
            CiChoice::Gitlab => crate::scaffold::Ci::Gitlab,
            CiChoice::None => crate::scaffold::Ci::None,
        },
        name: Some(args.name),
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
    diagnostic(&format!(
        "next: cd {shown} && pip install -e '.[test]' && pytest"
    ));
    Ok(created.path.display().to_string())
}
