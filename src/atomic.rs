//! Files packkit writes: a unique temporary file beside the target (created with `O_EXCL`,
//! never through a symlink, so another build or a planted link cannot share or redirect it),
//! renamed over the target only when complete, removed otherwise. A reader never sees half a
//! file, and two builds of the same file into one folder each write their own.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// A file being written; it replaces `target` on [`AtomicFile::commit`], and disappears if
/// dropped before.
pub struct AtomicFile {
    temporary: tempfile::NamedTempFile,
    target: PathBuf,
}

impl AtomicFile {
    /// A new temporary file in `target`'s folder (which must exist).
    pub fn create(target: &Path) -> Result<Self> {
        let folder = match target.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".part");
        // Archives and version files are read by others (web servers, CI users): 0644, as
        // `File::create` would give under the usual umask, not tempfile's private 0600.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let temporary = builder
            .tempfile_in(folder)
            .map_err(|err| Error::io(folder, err))?;
        Ok(AtomicFile {
            temporary,
            target: target.to_owned(),
        })
    }

    /// A handle on the temporary file, for writers that own their file.
    pub fn file(&self) -> Result<File> {
        self.temporary
            .as_file()
            .try_clone()
            .map_err(|err| Error::io(self.temporary.path(), err))
    }

    /// Rename the complete file over the target (replacing a symlink there, not following
    /// it); the target's path.
    pub fn commit(self) -> Result<PathBuf> {
        let target = self.target;
        self.temporary
            .persist(&target)
            .map_err(|err| Error::io(&target, err.error))?;
        Ok(target)
    }
}

/// Write `contents` to `target` through an [`AtomicFile`].
pub fn write(target: &Path, contents: &[u8]) -> Result<PathBuf> {
    use std::io::Write as _;
    let file = AtomicFile::create(target)?;
    file.file()?
        .write_all(contents)
        .map_err(|err| Error::io(target, err))?;
    file.commit()
}

/// Replace the file at `target` with `contents`, as [`write`] does, keeping its permissions
/// (a group-writable `pyproject.toml` stays group-writable).
pub fn replace(target: &Path, contents: &[u8]) -> Result<PathBuf> {
    use std::io::Write as _;
    let permissions = std::fs::metadata(target)
        .map(|meta| meta.permissions())
        .ok();
    let file = AtomicFile::create(target)?;
    let mut handle = file.file()?;
    handle
        .write_all(contents)
        .map_err(|err| Error::io(target, err))?;
    if let Some(permissions) = permissions {
        handle
            .set_permissions(permissions)
            .map_err(|err| Error::io(target, err))?;
    }
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_left_when_the_file_is_not_committed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.whl");
        let pending = AtomicFile::create(&target).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        drop(pending);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_at_the_target_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let victim = outside.path().join("victim");
        std::fs::write(&victim, "keep").unwrap();
        let target = dir.path().join("_version.py");
        std::os::unix::fs::symlink(&victim, &target).unwrap();
        write(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep");
        assert!(!target.symlink_metadata().unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("pyproject.toml");
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o664)).unwrap();
        replace(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        let mode = std::fs::metadata(&target).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o664);
    }

    #[test]
    fn concurrent_writers_of_one_target_each_write_their_own_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("same.whl");
        std::thread::scope(|scope| {
            for n in 0..8u8 {
                let target = &target;
                scope.spawn(move || write(target, &vec![n; 100_000]).unwrap());
            }
        });
        let written = std::fs::read(&target).unwrap();
        assert_eq!(written.len(), 100_000);
        assert!(
            written.iter().all(|b| *b == written[0]),
            "one writer's bytes"
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
