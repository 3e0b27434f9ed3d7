//! The build backend: PEP 517 wheels and sdists, PEP 660 editable wheels, from PEP 621
//! metadata. Free functions named after the PEP 517 verbs; one file selection shared by the
//! listing and the archives.

mod archive;
mod files;
mod foreign;
mod glob;
mod layout;
mod settings;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sha2::Digest as _;

pub use files::{Excluded, Included, Selection};
pub use foreign::ignored_configuration;
pub use layout::{ImportRoot, Layout};
pub use settings::{BUILD_KEYS, BuildSettings};

use self::archive::{Contents, Listing, Sink, TarSink, ZipSink};
use crate::atomic::AtomicFile;
use crate::error::{ConfigError, Error, Result};
use crate::lines;
use crate::metadata::ProjectMetadata;
use crate::paths;
use crate::pyproject::PyProject;
use crate::release::channel::{self, Channel, Channels, Verdict};
use crate::resolve::{self, Environment, Overrides, Resolved, Settings};
use crate::scm::git;

/// Every `[tool.packkit]` key that is not a version key, the build's and the releases', for
/// the version settings' unknown-key check (which reads the whole table).
pub static OTHER_KEYS: std::sync::LazyLock<Vec<&'static str>> =
    std::sync::LazyLock::new(|| [BUILD_KEYS, crate::release::RELEASE_KEYS].concat());

/// The wheel tag of a pure-Python project.
const WHEEL_TAG: &str = "py3-none-any";
/// Wheel entries carry this date unless SOURCE_DATE_EPOCH says otherwise: a wheel built from
/// the sdist (no git there) must equal the one built from the checkout, byte for byte.
const ZIP_EPOCH: i64 = 315_532_800; // 1980-01-01T00:00:00Z

/// A project ready to build: its validated configuration and metadata. Reading it (its
/// version, metadata, file lists) never writes to the project; only the build verbs do.
pub struct Project {
    pub dir: PathBuf,
    pub pyproject: PyProject,
    pub metadata: ProjectMetadata,
    pub build: BuildSettings,
    pub version_settings: Settings,
    /// `[tool.packkit.channels]`, defaults filled in.
    pub channels: Channels,
    /// The computed version, resolved once (a git walk is not free).
    resolved: OnceLock<Resolved>,
}

impl Project {
    /// Read and validate `dir/pyproject.toml`; every problem is reported at once.
    pub fn load(dir: &Path) -> Result<Self> {
        let parts = Parts::read(dir)?;
        match (
            parts.metadata,
            parts.build,
            parts.version_settings,
            parts.channels,
        ) {
            (Some(metadata), Some(build), Some(version_settings), Some(channels)) => Ok(Project {
                dir: dir.to_owned(),
                pyproject: parts.pyproject,
                metadata,
                build,
                version_settings,
                channels,
                resolved: OnceLock::new(),
            }),
            _ => Err(Error::Config(parts.problems)),
        }
    }

    /// Every problem a build of the project at `dir` would meet, all at once and without
    /// writing anything (`packkit check`): the configuration, then the version, the package
    /// layout and the files of the wheel and the sdist. Empty when a build would succeed as
    /// far as the project can tell.
    pub fn problems(dir: &Path, env: &Environment) -> Result<Vec<ConfigError>> {
        let parts = match Parts::read(dir) {
            Ok(parts) => parts,
            // pyproject.toml itself cannot be read (TOML syntax): that is the one problem.
            Err(Error::Config(problems)) => return Ok(problems),
            Err(other) => return Err(other),
        };
        let mut found = Found {
            pyproject: dir.join("pyproject.toml"),
            problems: parts.problems.clone(),
        };
        if !found.problems.is_empty() {
            // What the valid parts still decide, so that a second run finds nothing new there.
            if let Some(settings) = &parts.version_settings {
                // Read from the file itself: `[project]` may be what failed to load.
                let dynamic = parts
                    .pyproject
                    .item("project.dynamic")
                    .and_then(|d| d.as_array());
                if dynamic.is_some_and(|d| d.iter().any(|v| v.as_str() == Some("version"))) {
                    found.keep(resolve::resolve(settings, env).map(drop))?;
                }
            }
            // The name is read from the file too: another `[project]` key may be what failed.
            let name = parts
                .pyproject
                .item("project.name")
                .and_then(|n| n.as_str());
            if let (Some(name), Some(build)) = (name, &parts.build) {
                if crate::metadata::is_valid_name(name) {
                    let name = crate::metadata::normalize_name(name);
                    found.keep(layout::discover(dir, &name, build).map(drop))?;
                }
            }
            return Ok(found.problems);
        }
        let project = Project::load(dir)?;
        let version = project.version(env);
        let layout = project.layout();
        // The files are checked even when the version is unknown (it only names `.data`).
        let files = match &layout {
            Ok(_) => project.wheel_files(version.as_deref().unwrap_or("0"), None),
            Err(_) => Ok(Default::default()),
        };
        let sdist = project.sdist_files(None);
        found.keep(version.map(drop))?;
        found.keep(layout.map(drop))?;
        found.keep(files.map(drop))?;
        found.keep(sdist.map(drop))?;
        // The wheel and the sdist share one walk: the same problem is said once.
        let mut seen = std::collections::HashSet::new();
        found
            .problems
            .retain(|problem| seen.insert(problem.to_string()));
        Ok(found.problems)
    }

    /// The version: static, or computed from git (or PKG-INFO in an unpacked sdist).
    pub fn version(&self, env: &Environment) -> Result<String> {
        let text = match &self.metadata.version {
            Some(version) => version.clone(),
            None => self.resolved(env)?.version.clone(),
        };
        Ok(crate::version::parse(&text)?.to_string())
    }

    fn resolved(&self, env: &Environment) -> Result<&Resolved> {
        if let Some(resolved) = self.resolved.get() {
            return Ok(resolved);
        }
        let resolved = resolve::resolve(&self.version_settings, env)?;
        Ok(self.resolved.get_or_init(|| resolved))
    }

    /// The git facts behind the version: those it was computed from (after
    /// [`Self::version`]), else — for a static or pretend version — git's own state where
    /// there is a checkout (`None` outside one). Git is read again only in the second case.
    pub fn git_described(&self) -> Option<resolve::Described> {
        match self.resolved.get() {
            Some(resolved) if resolved.described.source != resolve::Source::Pretend => {
                Some(resolved.described.clone())
            }
            _ => resolve::describe(&self.version_settings)
                .ok()
                .filter(|described| described.source == resolve::Source::Git),
        }
    }

    /// The version's channel, its target and every reason it may not be published. The git
    /// facts are those the version was computed from; for a static or pretend version,
    /// git's state where there is a checkout (none outside one).
    pub fn channel(&self, env: &Environment) -> Result<Verdict> {
        self.channel_on(env, None)
    }

    /// [`Self::channel`] for publishing on `channel` (default: the version's own).
    pub fn channel_on(&self, env: &Environment, channel: Option<Channel>) -> Result<Verdict> {
        let version = crate::version::parse(&self.version(env)?)?;
        let facts = self.git_described().map(|described| described.facts);
        let channel = channel.unwrap_or_else(|| Channel::of(&version));
        Ok(channel::assess_on(
            &version,
            facts.as_ref(),
            &self.channels,
            channel,
        ))
    }

    /// What a build should warn about: deprecated license ids, and what the version's
    /// resolution found (no version tag, ...) once it ran.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = match &self.metadata.license {
            Some(crate::metadata::License::Expression(expression)) => {
                crate::metadata::deprecated_ids(expression)
                    .into_iter()
                    .map(|warning| format!("`project.license`: {warning}"))
                    .collect()
            }
            _ => Vec::new(),
        };
        if let Some(resolved) = self.resolved.get() {
            warnings.extend(resolved.described.warnings.iter().cloned());
        }
        warnings.extend(ignored_configuration(&self.pyproject, &self.dir));
        warnings
    }

    /// Write `version-file` (when the version is dynamic and the settings name one): the first
    /// step of every build verb, so that the archives carry it.
    pub fn write_version_file(&self, env: &Environment) -> Result<Option<PathBuf>> {
        if self.metadata.version.is_some() {
            return Ok(None);
        }
        self.resolved(env)?.write_version_file()
    }

    pub fn layout(&self) -> Result<Layout> {
        layout::discover(&self.dir, &self.metadata.normalized_name(), &self.build)
    }

    fn dist_info(&self, version: &str) -> String {
        format!("{}-{version}.dist-info", self.metadata.file_name())
    }

    /// The files of the wheel (archive path → source), and the files left out. `out_dir`,
    /// when inside the project (or the package), is left out.
    pub fn wheel_files(
        &self,
        version: &str,
        out_dir: Option<&Path>,
    ) -> Result<(Selection, Vec<Excluded>)> {
        let data_dir = format!("{}-{version}.data", self.metadata.file_name());
        let data: Vec<(String, String)> = self
            .build
            .data
            .iter()
            .map(|(scheme, folder)| (format!("{data_dir}/{scheme}"), folder.clone()))
            .collect();
        let (mut selection, mut excluded) = files::wheel_files(
            &self.sources()?,
            &self.dir,
            &self.layout()?,
            &data,
            &self.build.include,
        )?;
        self.leave_out_outputs(&mut selection, &mut excluded, out_dir)?;
        Ok((selection, excluded))
    }

    /// The files of the sdist (paths relative to the project), and the files left out.
    /// `out_dir`, when inside the project, is left out (earlier builds are not sources).
    pub fn sdist_files(&self, out_dir: Option<&Path>) -> Result<(Selection, Vec<Excluded>)> {
        let mut required = vec!["pyproject.toml".to_owned()];
        required.extend(
            self.metadata
                .readme_file
                .iter()
                .chain(&self.metadata.license_files)
                .map(|p| paths::slash(p)),
        );
        let (mut selection, mut excluded) =
            files::sdist_files(&self.sources()?, &self.dir, &self.build.include, &required);
        self.leave_out_outputs(&mut selection, &mut excluded, out_dir)?;
        Ok((selection, excluded))
    }

    /// The project's files, one walk for both archives (see [`files::Sources`]).
    fn sources(&self) -> Result<files::Sources> {
        let tracked = match git::enclosing_work_tree(&self.dir) {
            Some(work_tree) => {
                let tracked = git::tracked_files(&work_tree, &self.dir)?;
                // A repository that does not know the project (a home folder kept in git, a
                // new subproject not yet added) cannot say which files are its sources.
                if !tracked.iter().any(|path| path == "pyproject.toml") {
                    return Err(Error::build(
                        format!(
                            "{} is in the git repository {}, which does not track its \
                             pyproject.toml: packkit cannot tell which files are the project's",
                            self.dir.display(),
                            work_tree.display()
                        ),
                        Some(
                            "if the project belongs to that repository, `git add` it there; if \
                             it does not, make it a repository of its own with `git init`"
                                .to_owned(),
                        ),
                    ));
                }
                Some(tracked)
            }
            None => None,
        };
        // The version file is written by the build: it is shipped even when git ignores it
        // (it usually does), so a wheel built from the sdist has it too.
        let generated: Vec<String> =
            match (&self.metadata.version, &self.version_settings.version_file) {
                (None, Some(version_file)) => {
                    let root = self
                        .dir
                        .canonicalize()
                        .map_err(|err| Error::io(&self.dir, err))?;
                    paths::writable_inside(&root, &version_file.to_string_lossy())
                        .map(|target| vec![paths::relative_slash(&target, &root)])
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            };
        files::Sources::scan(
            &self.dir,
            tracked,
            &self.build.exclude,
            &self.build.include,
            &generated,
        )
    }

    /// Remove the files under `out_dir` from a selection, when it is inside the project:
    /// earlier builds (wheels, sdists, anything written there) are never sources.
    fn leave_out_outputs(
        &self,
        selection: &mut Selection,
        excluded: &mut Vec<Excluded>,
        out_dir: Option<&Path>,
    ) -> Result<()> {
        let Some(out) = out_dir.and_then(|o| o.canonicalize().ok()) else {
            return Ok(()); // not written yet: nothing of it can be selected
        };
        let root = self
            .dir
            .canonicalize()
            .map_err(|err| Error::io(&self.dir, err))?;
        let Ok(inside) = out.strip_prefix(&root) else {
            return Ok(());
        };
        let prefix = format!("{}/", paths::slash(inside));
        let outputs: Vec<String> = selection
            .iter()
            .filter(|(_, file)| {
                format!("{}/", paths::relative_slash(&file.source, &self.dir)).starts_with(&prefix)
            })
            .map(|(path, _)| path.clone())
            .collect();
        for path in outputs {
            selection.remove(&path);
            excluded.push(Excluded {
                path,
                reason: "in the output folder".to_owned(),
            });
        }
        Ok(())
    }

    /// `METADATA`, `WHEEL`, `entry_points.txt` and license files of the `.dist-info` folder.
    fn dist_info_files(
        &self,
        version: &str,
        metadata_text: Option<String>,
    ) -> Result<Vec<(String, Contents)>> {
        let dist_info = self.dist_info(version);
        let mut out = vec![
            (
                format!("{dist_info}/METADATA"),
                Contents::Bytes(
                    match metadata_text {
                        Some(text) => text,
                        None => self.metadata.core_metadata(version)?,
                    }
                    .into_bytes(),
                ),
            ),
            (
                format!("{dist_info}/WHEEL"),
                Contents::Bytes(
                    format!(
                        "Wheel-Version: 1.0\nGenerator: packkit {}\nRoot-Is-Purelib: true\nTag: {WHEEL_TAG}\n",
                        env!("CARGO_PKG_VERSION")
                    )
                    .into_bytes(),
                ),
            ),
        ];
        if let Some(entry_points) = self.metadata.entry_points_txt()? {
            out.push((
                format!("{dist_info}/entry_points.txt"),
                Contents::Bytes(entry_points.into_bytes()),
            ));
        }
        for license in &self.metadata.license_files {
            out.push((
                format!("{dist_info}/licenses/{}", paths::slash(license)),
                Contents::File(self.dir.join(license)),
            ));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}

/// `SOURCE_DATE_EPOCH`, if set: the one timestamp of every archive entry.
fn source_date_epoch(env: &Environment) -> Result<Option<i64>> {
    /// 2107-12-31T23:59:58Z: a zip entry's date cannot be later (two-second steps).
    const ZIP_LAST: i64 = 4_354_819_198;
    match env.vars.iter().find(|(k, _)| k == "SOURCE_DATE_EPOCH") {
        None => Ok(None),
        Some((_, value)) => {
            let seconds = env.build_time()?.as_second();
            if seconds > ZIP_LAST {
                // Silently writing 1980 instead would look reproducible and be wrong.
                return Err(Error::build(
                    format!(
                        "SOURCE_DATE_EPOCH={value:?} is after 2107-12-31, the last date a zip \
                         archive (a wheel) can hold"
                    ),
                    Some("use the date of the last commit: `git log -1 --format=%ct`".to_owned()),
                ));
            }
            Ok(Some(seconds.max(ZIP_EPOCH)))
        }
    }
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// An archive's entry: its path, what it holds, whether it is executable.
type Entry = (String, Contents, bool);

/// The readers' results for a project: each part, or the problems that stopped it.
struct Parts {
    pyproject: PyProject,
    metadata: Option<ProjectMetadata>,
    build: Option<BuildSettings>,
    version_settings: Option<Settings>,
    channels: Option<Channels>,
    /// In file order, whichever reader found them.
    problems: Vec<ConfigError>,
}

impl Parts {
    fn read(dir: &Path) -> Result<Self> {
        let path = dir.join("pyproject.toml");
        // Anything there is read (and refused if it is not a regular file), not skipped.
        if std::fs::symlink_metadata(&path).is_err() {
            return Err(Error::build(
                format!("{} has no pyproject.toml", dir.display()),
                Some(
                    "create one with a [project] table (name, version or dynamic = [\"version\"])"
                        .to_owned(),
                ),
            ));
        }
        let pyproject = PyProject::read(&path)?;
        let mut problems: Vec<ConfigError> = Vec::new();
        let mut keep = |found: Vec<ConfigError>| problems.extend(found);
        let metadata = ProjectMetadata::load(&pyproject, dir)
            .map_err(&mut keep)
            .ok();
        let build = BuildSettings::read(&pyproject, dir).map_err(&mut keep).ok();
        let version_settings = Settings::from_pyproject(
            dir,
            Some(&pyproject),
            &Overrides::from_process_environment(),
            &OTHER_KEYS,
        )
        .map_err(&mut keep)
        .ok();
        let channels = Channels::read(&pyproject).map_err(&mut keep).ok();
        problems.sort_by_key(|p| (p.line, p.column));
        Ok(Parts {
            pyproject,
            metadata,
            build,
            version_settings,
            channels,
            problems,
        })
    }
}

/// Problems found by `Project::problems`: a build's errors said as problems of the project.
struct Found {
    pyproject: PathBuf,
    problems: Vec<ConfigError>,
}

impl Found {
    /// Keep `result`'s problem, if any; an error that is not the project's (I/O, a bug, Ctrl-C)
    /// stops the check.
    fn keep(&mut self, result: Result<()>) -> Result<()> {
        let (message, hint) = match result {
            Ok(()) => return Ok(()),
            Err(Error::Config(found)) => {
                self.problems.extend(found);
                return Ok(());
            }
            Err(Error::Build { message, hint } | Error::Scm { message, hint }) => (message, hint),
            Err(Error::InvalidVersion { message }) => (message, None),
            Err(other) => return Err(other),
        };
        self.problems.push(ConfigError {
            path: Some(self.pyproject.clone()),
            line: None,
            column: None,
            key: None,
            message,
            hint,
        });
        Ok(())
    }
}

/// Write `entries` (sorted package files first, then `.dist-info`) and RECORD into the wheel;
/// each entry's hash and size are taken while it is written.
fn write_wheel(sink: &mut dyn Sink, entries: &[Entry], dist_info: &str) -> Result<()> {
    let mut record = String::new();
    for (path, contents, executable) in entries {
        // The row's path first: a path it refuses is not archived either.
        lines::record_row(path, "", "")?;
        let mut digest = sha2::Sha256::new();
        let size = archive::add(sink, path, contents, *executable, Some(&mut digest))?;
        record.push_str(&lines::record_row(
            path,
            &archive::record_hash(digest),
            &size.to_string(),
        )?);
    }
    let record_path = format!("{dist_info}/RECORD");
    record.push_str(&lines::record_row(&record_path, "", "")?);
    let record = Contents::Bytes(record.into_bytes());
    archive::add(sink, &record_path, &record, false, None).map(drop)
}

/// What a wheel build needs to know beyond the project.
pub struct WheelRequest<'a> {
    pub out_dir: &'a Path,
    pub editable: bool,
    /// A `.dist-info` folder from `prepare_metadata_for_build_wheel`: its METADATA is reused.
    pub metadata_dir: Option<&'a Path>,
}

/// Build the wheel (or editable wheel) and return its path.
pub fn build_wheel(
    project: &Project,
    request: &WheelRequest<'_>,
    env: &Environment,
) -> Result<PathBuf> {
    let version = project.version(env)?;
    project.write_version_file(env)?;
    let dist_info = project.dist_info(&version);
    let metadata_text = match request.metadata_dir {
        Some(dir) => Some(prepared_metadata(dir, &version)?),
        None => None,
    };
    let mut entries: Vec<Entry> = Vec::new();
    if request.editable {
        // Every folder that holds a package, one line each.
        let layout = project.layout()?;
        let mut folders = Vec::new();
        for folder in &layout.path_entries {
            let real = folder
                .canonicalize()
                .map_err(|err| Error::io(folder, err))?;
            if !folders.contains(&real) {
                folders.push(real);
            }
        }
        let folders: Vec<&Path> = folders.iter().map(PathBuf::as_path).collect();
        entries.push((
            format!("{}.pth", project.metadata.file_name()),
            Contents::Bytes(lines::pth_file(&folders)?.into_bytes()),
            false,
        ));
    } else {
        let (selection, _) = project.wheel_files(&version, Some(request.out_dir))?;
        for (path, file) in selection {
            let executable = is_executable(&file.source);
            entries.push((path, Contents::File(file.source), executable));
        }
    }
    for (path, contents) in project.dist_info_files(&version, metadata_text)? {
        entries.push((path, contents, false));
    }
    let name = format!("{}-{version}-{WHEEL_TAG}.whl", project.metadata.file_name());
    std::fs::create_dir_all(request.out_dir).map_err(|err| Error::io(request.out_dir, err))?;
    let pending = AtomicFile::create(&request.out_dir.join(&name))?;
    let mut sink = ZipSink::new(
        pending.file()?,
        source_date_epoch(env)?.unwrap_or(ZIP_EPOCH),
    );
    write_wheel(&mut sink, &entries, &dist_info)?;
    sink.finish(&request.out_dir.join(&name))?;
    pending.commit()
}

/// The METADATA that `prepare_metadata_for_build_wheel` wrote into `dir`, if it is for
/// `version`: git may have moved in between (a commit, an edit), and a wheel whose METADATA
/// and file name disagree with what the frontend resolved would be installed under a wrong
/// version.
fn prepared_metadata(dir: &Path, version: &str) -> Result<String> {
    let path = dir.join("METADATA");
    let text = crate::read::text(&path)?;
    let prepared = text
        .lines()
        .take_while(|line| !line.is_empty())
        .find_map(|line| line.strip_prefix("Version:"))
        .map(str::trim);
    let same = prepared
        .and_then(|p| crate::version::parse(p).ok())
        .zip(crate::version::parse(version).ok())
        .is_some_and(|(prepared, now)| prepared == now);
    if !same {
        return Err(Error::build(
            format!(
                "the version changed during the build: the prepared metadata ({}) says {}, \
                 the project now says {version}",
                path.display(),
                prepared.unwrap_or("no version")
            ),
            Some(
                "something changed the git state between the frontend's metadata and wheel \
                 steps (a commit, a checkout, an edit); build again"
                    .to_owned(),
            ),
        ));
    }
    Ok(text)
}

/// Write the `.dist-info` folder a wheel will carry; return its name.
pub fn prepare_metadata(project: &Project, out_dir: &Path, env: &Environment) -> Result<String> {
    let version = project.version(env)?;
    let dist_info = project.dist_info(&version);
    for (path, contents) in project.dist_info_files(&version, None)? {
        let target = out_dir.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|err| Error::io(parent, err))?;
        }
        let data = match contents {
            Contents::Bytes(data) => data,
            // A license file (small): copied.
            Contents::File(source) => {
                std::fs::read(&source).map_err(|err| Error::io(&source, err))?
            }
        };
        std::fs::write(&target, data).map_err(|err| Error::io(&target, err))?;
    }
    Ok(dist_info)
}

/// Build the sdist and return its path.
pub fn build_sdist(project: &Project, out_dir: &Path, env: &Environment) -> Result<PathBuf> {
    let version = project.version(env)?;
    project.write_version_file(env)?;
    let top = format!("{}-{version}", project.metadata.file_name());
    let (selection, _) = project.sdist_files(Some(out_dir))?;
    let mtime = match source_date_epoch(env)? {
        Some(epoch) => epoch,
        None => git::enclosing_work_tree(&project.dir)
            .and_then(|work_tree| git::head_commit_time(&work_tree).ok().flatten())
            .unwrap_or(ZIP_EPOCH)
            .max(ZIP_EPOCH),
    };
    let name = format!("{top}.tar.gz");
    std::fs::create_dir_all(out_dir).map_err(|err| Error::io(out_dir, err))?;
    let pending = AtomicFile::create(&out_dir.join(&name))?;
    let mut sink = TarSink::new(pending.file()?, &out_dir.join(&name), mtime);
    let pkg_info = project.metadata.pkg_info(&version)?;
    let mut entries: Vec<Entry> = vec![(
        format!("{top}/PKG-INFO"),
        Contents::Bytes(pkg_info.into_bytes()),
        false,
    )];
    for (path, file) in selection {
        if path == "PKG-INFO" {
            continue; // ours replaces a stale one
        }
        let executable = is_executable(&file.source);
        entries.push((
            format!("{top}/{path}"),
            Contents::File(file.source),
            executable,
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, contents, executable) in &entries {
        archive::add(&mut sink, path, contents, *executable, None)?;
    }
    sink.finish()?;
    pending.commit()
}

/// The wheel's contents (paths and sizes, RECORD included) without writing it.
pub fn list_wheel(project: &Project, env: &Environment) -> Result<Vec<(String, u64)>> {
    let version = project.version(env)?;
    let mut listing = Listing::default();
    let mut entries: Vec<Entry> = Vec::new();
    for (path, file) in project.wheel_files(&version, None)?.0 {
        let executable = is_executable(&file.source);
        entries.push((path, Contents::File(file.source), executable));
    }
    for (path, contents) in project.dist_info_files(&version, None)? {
        entries.push((path, contents, false));
    }
    write_wheel(&mut listing, &entries, &project.dist_info(&version))?;
    Ok(listing.entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const PYPROJECT: &str = "[project]\nname = \"Demo.Pkg\"\nversion = \"1.0\"\n[project.scripts]\ndemo = \"demo_pkg:main\"\n[tool.packkit.data]\nscripts = \"bin\"\n";

    fn wheel(dir: &Path, out: &Path) -> PathBuf {
        let project = Project::load(dir).unwrap();
        let request = WheelRequest {
            out_dir: out,
            editable: false,
            metadata_dir: None,
        };
        build_wheel(&project, &request, &Environment::default()).unwrap()
    }

    #[test]
    fn wheels_are_reproducible_with_dist_info_last() {
        let dir = project(&[
            ("pyproject.toml", PYPROJECT),
            ("src/demo_pkg/__init__.py", "def main(): pass\n"),
            ("src/demo_pkg/py.typed", ""),
            ("src/demo_pkg/__pycache__/x.pyc", "junk"),
            ("bin/run.sh", "#!/bin/sh\n"),
        ]);
        let out = tempfile::tempdir().unwrap();
        let first = wheel(dir.path(), &out.path().join("a"));
        let second = wheel(dir.path(), &out.path().join("b"));
        assert_eq!(first.file_name().unwrap(), "demo_pkg-1.0-py3-none-any.whl");
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );

        let project = Project::load(dir.path()).unwrap();
        let listing: Vec<String> = list_wheel(&project, &Environment::default())
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(
            listing,
            [
                "demo_pkg-1.0.data/scripts/run.sh",
                "demo_pkg/__init__.py",
                "demo_pkg/py.typed",
                "demo_pkg-1.0.dist-info/METADATA",
                "demo_pkg-1.0.dist-info/WHEEL",
                "demo_pkg-1.0.dist-info/entry_points.txt",
                "demo_pkg-1.0.dist-info/RECORD",
            ]
        );
    }

    #[test]
    fn record_hashes_are_urlsafe_sha256_without_padding() {
        // sha256("") in urlsafe base64 without padding, as pip checks it.
        assert_eq!(
            archive::record_hash(sha2::Sha256::new()),
            "sha256=47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
        );
    }

    /// Build a wheel that must fail; return the message, checking nothing was left behind.
    fn failed_wheel(dir: &Path) -> String {
        let out = tempfile::tempdir().unwrap();
        let project = Project::load(dir).unwrap();
        let request = WheelRequest {
            out_dir: out.path(),
            editable: false,
            metadata_dir: None,
        };
        let err = build_wheel(&project, &request, &Environment::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            std::fs::read_dir(out.path()).unwrap().count(),
            0,
            "a failed build leaves no file"
        );
        err
    }

    #[test]
    fn a_failed_build_leaves_no_file() {
        let dir = project(&[("pyproject.toml", PYPROJECT)]);
        let err = failed_wheel(dir.path());
        assert!(
            err.contains("no Python package or module named `demo_pkg`"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_the_project_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let dir = project(&[
            ("pyproject.toml", PYPROJECT),
            ("src/demo_pkg/__init__.py", ""),
            ("bin/run.sh", ""),
        ]);
        std::os::unix::fs::symlink(
            outside.path().join("secret.txt"),
            dir.path().join("src/demo_pkg/secret.txt"),
        )
        .unwrap();
        let err = failed_wheel(dir.path());
        assert!(
            err.starts_with("refusing src/demo_pkg/secret.txt: it is a symlink to"),
            "{err}"
        );
    }

    #[test]
    fn large_sdists_are_several_gzip_members_read_as_one_stream() {
        use std::io::Read as _;
        // 3 MiB of varied bytes: more than one 1 MiB compression piece.
        let big: String = (0..3 * 1024 * 1024 / 8)
            .map(|i: u32| format!("{:07x}\n", i.wrapping_mul(2_654_435_761)))
            .collect();
        let dir = project(&[
            ("pyproject.toml", PYPROJECT),
            ("src/demo_pkg/__init__.py", ""),
            ("bin/run.sh", ""),
            ("data.txt", &big),
        ]);
        let out = tempfile::tempdir().unwrap();
        let project = Project::load(dir.path()).unwrap();
        let first = build_sdist(&project, &out.path().join("a"), &Environment::default()).unwrap();
        let second = build_sdist(&project, &out.path().join("b"), &Environment::default()).unwrap();
        let bytes = std::fs::read(&first).unwrap();
        assert_eq!(bytes, std::fs::read(second).unwrap());
        let mut tar = Vec::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut tar)
            .unwrap();
        let mut archive = tar::Archive::new(&tar[..]);
        let mut found = None;
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            if entry.path().unwrap().ends_with("data.txt") {
                let mut text = String::new();
                entry.read_to_string(&mut text).unwrap();
                found = Some(text);
            }
        }
        assert_eq!(found.as_deref(), Some(big.as_str()));
    }

    /// The files a wheel and an sdist of a rich project carry, byte for byte: read the
    /// snapshot diffs when one changes.
    #[test]
    fn snapshots_of_generated_files_and_file_lists() {
        use std::io::Read as _;
        let dir = project(&[
            (
                "pyproject.toml",
                "[project]\nname = \"Snap.Shot\"\nversion = \"2.1.0rc1\"\ndescription = \"Snapshots\"\n\
                 readme = \"README.md\"\nlicense = \"MIT OR Apache-2.0\"\nrequires-python = \">=3.10\"\n\
                 authors = [{ name = \"Ada Lovelace\", email = \"ada@example.com\" }]\n\
                 dependencies = [\"numpy>=1.26\", \"tomli; python_version < '3.11'\"]\n\
                 [project.optional-dependencies]\nPlot_Extra = [\"matplotlib\"]\n\
                 [project.scripts]\nsnap = \"snap_shot.cli:main\"\n\
                 [project.entry-points.\"snap.plugins\"]\nbasic = \"snap_shot.plugins:basic\"\n\
                 [project.urls]\nSource = \"https://example.com/snap\"\n",
            ),
            ("README.md", "# Snap shot\n"),
            ("LICENSE", "MIT or Apache\n"),
            ("src/snap_shot/__init__.py", "\"\"\"Snap.\"\"\"\n"),
            ("src/snap_shot/cli.py", "def main():\n    pass\n"),
            ("src/snap_shot/py.typed", ""),
            ("src/snap_shot/templates/page.html", "<p>hi</p>\n"),
            (
                "notes.txt",
                "in the folder, and no git here: shipped in the sdist\n",
            ),
        ]);
        let out = tempfile::tempdir().unwrap();
        let project = Project::load(dir.path()).unwrap();
        let env = Environment {
            vars: vec![("SOURCE_DATE_EPOCH".into(), "1718452800".into())],
        };
        let request = WheelRequest {
            out_dir: out.path(),
            editable: false,
            metadata_dir: None,
        };
        let wheel = build_wheel(&project, &request, &env).unwrap();
        let mut archive = zip::ZipArchive::new(std::fs::File::open(&wheel).unwrap()).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            archive
                .by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let dist_info = "snap_shot-2.1.0rc1.dist-info";
        insta::assert_snapshot!("metadata", read(&format!("{dist_info}/METADATA")));
        insta::assert_snapshot!("wheel", read(&format!("{dist_info}/WHEEL")));
        insta::assert_snapshot!(
            "entry_points",
            read(&format!("{dist_info}/entry_points.txt"))
        );
        insta::assert_snapshot!("record", read(&format!("{dist_info}/RECORD")));
        let sdist = build_sdist(&project, out.path(), &env).unwrap();
        let mut tar = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&sdist).unwrap())
            .read_to_end(&mut tar)
            .unwrap();
        let names: Vec<String> = tar::Archive::new(&tar[..])
            .entries()
            .unwrap()
            .map(|e| e.unwrap().path().unwrap().display().to_string())
            .collect();
        insta::assert_snapshot!("sdist_files", names.join("\n"));
        let (wheel_files, _) = project.wheel_files("2.1.0rc1", None).unwrap();
        let listing: Vec<String> = wheel_files
            .iter()
            .map(|(path, file)| format!("{path}  ({})", file.reason))
            .collect();
        insta::assert_snapshot!("wheel_files", listing.join("\n"));
    }
}
