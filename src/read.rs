//! Files packkit reads but does not own (`pyproject.toml`, the readme and license files,
//! `PKG-INFO`, `.git_archival.txt`, ...): regular files only, after following symlinks.
//!
//! A named pipe or a device where a file is expected would block a plain `open` or `read`
//! forever (an sdist can ship a FIFO named `README.md`), so the file is opened without
//! blocking and its type checked on the open handle (no window between the check and the
//! read) before a byte is read. Every reader of such a file goes through here.

use std::fs::File;
use std::io::{self, Read as _};
use std::path::Path;

use crate::error::{Error, Result};

/// The bytes of the regular file at `path`. A missing file is `NotFound`; anything that is
/// not a regular file (a named pipe, a socket, a device, a folder) is `InvalidInput` with a
/// message that says what it is and what to do.
pub fn bytes(path: &Path) -> io::Result<Vec<u8>> {
    let mut file = open_regular(path)?;
    let mut data = Vec::new();
    file.read_to_end(&mut data)?;
    Ok(data)
}

/// The UTF-8 text of the regular file at `path`; every failure names the file.
pub fn text(path: &Path) -> Result<String> {
    let data = bytes(path).map_err(|err| Error::io(path, err))?;
    String::from_utf8(data).map_err(|_| {
        Error::io(
            path,
            io::Error::new(
                io::ErrorKind::InvalidData,
                "not UTF-8 text; save the file as UTF-8",
            ),
        )
    })
}

/// [`text`], or `None` when there is no file at `path` (an optional file such as `PKG-INFO`).
pub fn optional_text(path: &Path) -> Result<Option<String>> {
    match text(path) {
        Ok(text) => Ok(Some(text)),
        Err(Error::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Open `path` for reading if it is a regular file (after symlinks), without blocking on a FIFO.
#[cfg(unix)]
pub fn open_regular(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer. It changes
    // nothing for a regular file, the only kind read below.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)?;
    check_regular(file.metadata()?.file_type())?;
    Ok(file)
}

/// Open `path` for reading if it is a regular file (after symlinks).
#[cfg(not(unix))]
pub fn open_regular(path: &Path) -> io::Result<File> {
    check_regular(std::fs::metadata(path)?.file_type())?;
    File::open(path)
}

fn check_regular(kind: std::fs::FileType) -> io::Result<()> {
    if kind.is_file() {
        return Ok(());
    }
    let what = if kind.is_dir() {
        "a folder"
    } else {
        special_kind(kind)
    };
    Err(io::Error::new(
        io::ErrorKind::InvalidInput,
        format!(
            "not a regular file ({what}); packkit reads only regular files: replace it with one"
        ),
    ))
}

#[cfg(unix)]
fn special_kind(kind: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: std::fs::FileType) -> &'static str {
    "a special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_and_names_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("README.md");
        std::fs::write(&file, "hello").unwrap();
        assert_eq!(text(&file).unwrap(), "hello");
        assert!(
            optional_text(&dir.path().join("missing"))
                .unwrap()
                .is_none()
        );
        let err = text(dir.path()).unwrap_err().to_string();
        assert!(err.contains("not a regular file (a folder)"), "{err}");
        std::fs::write(&file, b"\xff").unwrap();
        let err = text(&file).unwrap_err().to_string();
        assert!(err.contains("README.md: not UTF-8"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("PKG-INFO");
        let status = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
        let err = optional_text(&fifo).unwrap_err().to_string();
        assert!(
            err.contains("PKG-INFO: not a regular file (a named pipe)"),
            "{err}"
        );
        // Through a symlink too: the type checked is the target's.
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        assert!(text(&link).is_err());
    }
}
