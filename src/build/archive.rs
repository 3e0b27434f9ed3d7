//! One writer interface, three sinks: a listing (for dry runs: `list_wheel`), a zip
//! (wheels) and a gzipped tar (sdists). Archives are reproducible: entries in the order given
//! (callers sort them), one timestamp, modes 644/755, no owner names, and written to a
//! temporary file that is renamed into place only when complete.
//!
//! Every entry is streamed: a file is read in chunks while it is compressed into the archive,
//! and counted and hashed (for the wheel's `RECORD`) on the way, so a build's memory does not
//! grow with the size of the project or of its files.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use sha2::Digest as _;

use crate::error::{Error, Result};

pub(super) trait Sink {
    /// Archive `size` bytes read from `data` (all of them, to its end) as `path`.
    fn add(&mut self, path: &str, data: &mut dyn Read, size: u64, executable: bool) -> Result<()>;
}

/// What an entry holds.
#[derive(Debug)]
pub(super) enum Contents {
    /// A file of the project, read while it is archived.
    File(PathBuf),
    /// Bytes packkit wrote (`METADATA`, `WHEEL`, `PKG-INFO`, the editable `.pth`, ...).
    Bytes(Vec<u8>),
}

/// Archive one entry: the point where a Ctrl-C stops a build (between files, and between the
/// chunks of a file). Its bytes go into `digest` when given (the wheel's `RECORD`); returns
/// their number. A file whose size changes while it is read is an error: a tar header holds
/// the size before the bytes, and the `RECORD` row must describe what was archived.
pub(super) fn add(
    sink: &mut dyn Sink,
    path: &str,
    contents: &Contents,
    executable: bool,
    digest: Option<&mut sha2::Sha256>,
) -> Result<u64> {
    crate::interrupt::check()?;
    let (mut reader, size, source): (Box<dyn Read>, u64, Option<&Path>) = match contents {
        Contents::Bytes(bytes) => (Box::new(bytes.as_slice()), bytes.len() as u64, None),
        Contents::File(source) => {
            // A regular file only (a FIFO swapped in since the walk must not block the build).
            let file = crate::read::open_regular(source).map_err(|err| Error::io(source, err))?;
            let size = file.metadata().map_err(|err| Error::io(source, err))?.len();
            let capacity =
                usize::try_from(size).map_or(READ_CHUNK, |size| size.clamp(1, READ_CHUNK));
            let reader = std::io::BufReader::with_capacity(capacity, file);
            (Box::new(reader), size, Some(source.as_path()))
        }
    };
    let mut streamed = Streamed {
        inner: &mut reader,
        remaining: size,
        digest,
        stop: None,
    };
    let added = sink.add(path, &mut streamed, size, executable);
    let (remaining, stop) = (streamed.remaining, streamed.stop);
    let source = source.unwrap_or(Path::new(path));
    match stop {
        Some(Stop::Interrupted) => return Err(Error::Interrupted),
        Some(Stop::Read(err)) => return Err(Error::io(source, err)),
        Some(Stop::Shorter) => return Err(changed(source, size, size - remaining)),
        None => added?,
    }
    if remaining != 0 {
        return Err(Error::Internal {
            message: format!(
                "{path}: the archive took {} of {size} bytes",
                size - remaining
            ),
        });
    }
    // Nothing more to read: a file that grew would be archived cut short.
    let mut more = [0u8; 1];
    match reader.read(&mut more) {
        Ok(0) => Ok(size),
        Ok(_) => Err(changed(source, size, size + 1)),
        Err(err) => Err(Error::io(source, err)),
    }
}

/// The largest read buffer of a file.
const READ_CHUNK: usize = 256 * 1024;

fn changed(source: &Path, expected: u64, found: u64) -> Error {
    let what = if found < expected {
        format!("only {found} of its {expected} bytes were read")
    } else {
        format!("it grew past its {expected} bytes")
    };
    Error::build(
        format!(
            "{} changed while it was being archived: {what}",
            source.display()
        ),
        Some(
            "build again once nothing writes to the file (a running program, a download, an \
             editor saving it), or leave it out with [tool.packkit] exclude"
                .to_owned(),
        ),
    )
}

/// Why [`Streamed`] stopped an entry.
enum Stop {
    Interrupted,
    Read(std::io::Error),
    /// The file ended before the size it had when the entry began.
    Shorter,
}

/// An entry's bytes on their way into an archive: held to the size the archive was told,
/// counted, hashed when a `RECORD` needs them, and stopped by a Ctrl-C between chunks. What
/// stopped it is kept for [`add`], which turns it into the error (the sinks only see an I/O
/// error).
struct Streamed<'a> {
    inner: &'a mut dyn Read,
    remaining: u64,
    digest: Option<&'a mut sha2::Sha256>,
    stop: Option<Stop>,
}

impl Read for Streamed<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.remaining == 0 || buf.is_empty() {
            return Ok(0);
        }
        if crate::interrupt::check().is_err() {
            return self.stop(Stop::Interrupted, "interrupted".to_owned());
        }
        let limit = usize::try_from(self.remaining).map_or(buf.len(), |left| left.min(buf.len()));
        let count = match self.inner.read(&mut buf[..limit]) {
            Ok(0) => return self.stop(Stop::Shorter, "the file is shorter".to_owned()),
            Ok(count) => count,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => return Err(err),
            Err(err) => {
                let message = err.to_string();
                return self.stop(Stop::Read(err), message);
            }
        };
        if let Some(digest) = self.digest.as_mut() {
            digest.update(&buf[..count]);
        }
        self.remaining -= count as u64;
        Ok(count)
    }
}

impl Streamed<'_> {
    fn stop(&mut self, stop: Stop, message: String) -> std::io::Result<usize> {
        self.stop = Some(stop);
        Err(std::io::Error::other(message))
    }
}

/// A RECORD line's hash: `sha256=` and the urlsafe base64 digest without padding (PEP 376).
pub(super) fn record_hash(digest: sha2::Sha256) -> String {
    format!(
        "sha256={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.finalize())
    )
}

/// Collects paths and sizes only.
#[derive(Default)]
pub(super) struct Listing {
    pub entries: Vec<(String, u64)>,
}

impl Sink for Listing {
    fn add(&mut self, path: &str, data: &mut dyn Read, size: u64, _executable: bool) -> Result<()> {
        // Read to the end all the same: the RECORD row needs the hash.
        std::io::copy(data, &mut std::io::sink())
            .map_err(|err| Error::build(format!("cannot read {path}: {err}"), None))?;
        self.entries.push((path.to_owned(), size));
        Ok(())
    }
}

/// Seconds since 1970 → a zip timestamp (zip cannot go before 1980).
fn zip_time(seconds: i64) -> zip::DateTime {
    let seconds = seconds.max(315_532_800);
    let time = jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let dt = jiff::tz::TimeZone::UTC.to_datetime(time);
    // Every field is in range after the clamp above; a failure would give the 1980 default.
    let byte = |value: i8| u8::try_from(value).unwrap_or_default();
    zip::DateTime::from_date_and_time(
        u16::try_from(dt.year()).unwrap_or_default(),
        byte(dt.month()),
        byte(dt.day()),
        byte(dt.hour()),
        byte(dt.minute()),
        byte(dt.second()),
    )
    .unwrap_or_default()
}

pub(super) struct ZipSink {
    writer: zip::ZipWriter<std::io::BufWriter<std::fs::File>>,
    time: zip::DateTime,
    /// The piece of an entry being compressed (see [`ZIP_PIECE`]).
    piece: Vec<u8>,
}

/// An entry is handed to the compressor in pieces of this size. Deflate's output depends on
/// how its input is cut (zlib-rs, like zlib-ng, decides some matches from the input it has at
/// hand), so the pieces have a fixed size, filled whatever the reads return, and a file of up
/// to this size is one piece: compressed exactly as when whole files were read into memory.
const ZIP_PIECE: usize = 16 << 20;

impl ZipSink {
    pub(super) fn new(file: std::fs::File, mtime: i64) -> Self {
        ZipSink {
            writer: zip::ZipWriter::new(std::io::BufWriter::new(file)),
            time: zip_time(mtime),
            piece: Vec::new(),
        }
    }

    pub(super) fn finish(self, path: &Path) -> Result<()> {
        let mut inner = self
            .writer
            .finish()
            .map_err(|err| Error::build(format!("cannot write {}: {err}", path.display()), None))?;
        inner.flush().map_err(|err| Error::io(path, err))
    }
}

/// Could `size` bytes need ZIP64? An entry holds 32-bit sizes without it, and deflate can make
/// incompressible bytes a little larger (stored blocks: 5 bytes every 64 KiB). So ZIP64 from a
/// few MiB under 4 GiB on, and only there: every other entry is written as it always was.
fn needs_zip64(size: u64) -> bool {
    size.saturating_add(size / 1024).saturating_add(1 << 20) >= u64::from(u32::MAX)
}

impl Sink for ZipSink {
    fn add(&mut self, path: &str, data: &mut dyn Read, size: u64, executable: bool) -> Result<()> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(self.time)
            .unix_permissions(if executable { 0o755 } else { 0o644 })
            .large_file(needs_zip64(size));
        let fail = |err: &dyn std::fmt::Display| {
            Error::build(format!("cannot add {path} to the wheel: {err}"), None)
        };
        self.writer
            .start_file(path, options)
            .map_err(|err| fail(&err))?;
        let piece_size = usize::try_from(size).map_or(ZIP_PIECE, |size| size.min(ZIP_PIECE));
        if self.piece.len() < piece_size {
            self.piece.resize(piece_size, 0);
        }
        let piece = &mut self.piece[..piece_size];
        loop {
            let filled = fill(data, piece).map_err(|err| fail(&err))?;
            if filled == 0 {
                return Ok(());
            }
            self.writer
                .write_all(&piece[..filled])
                .map_err(|err| fail(&err))?;
        }
    }
}

/// Read into all of `piece`, or to the end of `data`; how many bytes were read.
fn fill(data: &mut dyn Read, piece: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < piece.len() {
        match data.read(&mut piece[filled..]) {
            Ok(0) => break,
            Ok(count) => filled += count,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
}

/// A gzipped tar, compressed as it is written: the tar stream is cut into 1 MiB pieces, each
/// compressed on its own as a complete gzip member, several at once on every core: concatenated
/// members are one valid gzip stream (RFC 1952; `gzip -d`, Python's `tarfile.open` and pip read
/// them), and the fixed piece size keeps the bytes the same on every machine. Only a batch of
/// pieces is held in memory at a time.
pub(super) struct TarSink {
    builder: tar::Builder<GzipPieces>,
    mtime: u64,
}

const GZIP_PIECE: usize = 1 << 20;

/// Pieces compressed at once, per thread.
const PIECES_PER_THREAD: usize = 2;

/// At most this many compressing threads (the memory held is twice their pieces).
const MAX_THREADS: usize = 8;

/// The tar's bytes on their way to the file: held until a batch of whole pieces is there, then
/// compressed (in parallel) and written in order.
struct GzipPieces {
    file: std::io::BufWriter<std::fs::File>,
    path: PathBuf,
    pending: Vec<u8>,
    threads: usize,
    /// What stopped writing (an error on the output file, a panic in a thread), for
    /// [`TarSink`] to return as it is; the tar crate sees an I/O error.
    failure: Option<Error>,
}

impl GzipPieces {
    fn batch(&self) -> usize {
        self.threads * PIECES_PER_THREAD * GZIP_PIECE
    }

    /// Compress and write what is pending: whole pieces, and the last piece of the tar when
    /// `finish`ing.
    fn compress(&mut self) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(()); // a tar that ends where a batch ends
        }
        let pieces: Vec<&[u8]> = self.pending.chunks(GZIP_PIECE).collect();
        let mut members: Vec<Vec<u8>> = vec![Vec::new(); pieces.len()];
        let path = &self.path;
        if let [piece] = pieces.as_slice() {
            members[0] = gzip_member(piece).map_err(|err| Error::io(path, err))?;
        } else {
            let threads = self.threads.min(pieces.len()).max(1);
            std::thread::scope(|scope| {
                let per_thread = pieces.len().div_ceil(threads);
                let workers: Vec<_> = members
                    .chunks_mut(per_thread)
                    .zip(pieces.chunks(per_thread))
                    .map(|(outputs, inputs)| {
                        scope.spawn(move || -> std::io::Result<()> {
                            for (output, input) in outputs.iter_mut().zip(inputs) {
                                *output = gzip_member(input)?;
                            }
                            Ok(())
                        })
                    })
                    .collect();
                for worker in workers {
                    worker
                        .join()
                        .map_err(|payload| Error::from_panic(payload.as_ref()))?
                        .map_err(|err| Error::io(path, err))?;
                }
                Ok::<(), Error>(())
            })?;
        }
        for member in &members {
            self.file
                .write_all(member)
                .map_err(|err| Error::io(path, err))?;
        }
        self.pending.clear();
        Ok(())
    }
}

/// One piece as a gzip member: no file name and a zero time in the header, so the same bytes
/// every time.
fn gzip_member(piece: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut gzip = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::default());
    gzip.write_all(piece)?;
    gzip.finish()
}

impl Write for GzipPieces {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Some(failure) = &self.failure {
            return Err(std::io::Error::other(failure.to_string()));
        }
        let room = self.batch() - self.pending.len();
        let taken = buf.len().min(room);
        self.pending.extend_from_slice(&buf[..taken]);
        if self.pending.len() == self.batch() {
            if let Err(failure) = self.compress() {
                let message = failure.to_string();
                self.failure = Some(failure);
                return Err(std::io::Error::other(message));
            }
        }
        Ok(taken)
    }

    /// Nothing: pieces are cut at fixed offsets of the tar, never where a flush happens to be.
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl TarSink {
    pub(super) fn new(file: std::fs::File, path: &Path, mtime: i64) -> Self {
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(MAX_THREADS);
        let pieces = GzipPieces {
            file: std::io::BufWriter::new(file),
            path: path.to_owned(),
            pending: Vec::with_capacity(threads * PIECES_PER_THREAD * GZIP_PIECE),
            threads,
            failure: None,
        };
        let mut builder = tar::Builder::new(pieces);
        builder.mode(tar::HeaderMode::Deterministic);
        TarSink {
            builder,
            mtime: u64::try_from(mtime.max(0)).unwrap_or(0),
        }
    }

    pub(super) fn finish(mut self) -> Result<()> {
        // The end of the tar (two zero blocks), then the last piece.
        if let Err(err) = self.builder.finish() {
            let pieces = self.builder.get_mut();
            return Err(match pieces.failure.take() {
                Some(failure) => failure,
                None => Error::io(&pieces.path, err),
            });
        }
        let mut pieces = self.builder.into_inner().map_err(|err| Error::Internal {
            message: format!("the finished tar: {err}"),
        })?;
        pieces.compress()?;
        let GzipPieces { mut file, path, .. } = pieces;
        file.flush().map_err(|err| Error::io(path, err))
    }
}

impl Sink for TarSink {
    fn add(&mut self, path: &str, data: &mut dyn Read, size: u64, executable: bool) -> Result<()> {
        let mut header = tar::Header::new_gnu();
        // From 8 GiB on, the tar crate writes GNU's base-256 size (GNU tar and `tarfile` read it).
        header.set_size(size);
        header.set_mode(if executable { 0o755 } else { 0o644 });
        header.set_mtime(self.mtime);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        self.builder
            .append_data(&mut header, path, data)
            .map_err(|err| match self.builder.get_mut().failure.take() {
                Some(failure) => failure,
                None => Error::build(format!("cannot add {path} to the sdist: {err}"), None),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text that deflate compresses, varied enough to need real matching.
    fn text(bytes: usize) -> Vec<u8> {
        let mut text = Vec::with_capacity(bytes + 16);
        let mut state: u32 = 1;
        while text.len() < bytes {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.extend_from_slice(format!("word{} ", (state >> 16) % 500).as_bytes());
        }
        text.truncate(bytes);
        text
    }

    /// A sink that changes the file it is given before reading it, like a program writing to
    /// it during the build.
    struct Meddling {
        file: PathBuf,
        grow: bool,
    }

    impl Sink for Meddling {
        fn add(&mut self, _: &str, data: &mut dyn Read, _: u64, _: bool) -> Result<()> {
            if self.grow {
                let mut file = std::fs::OpenOptions::new()
                    .append(true)
                    .open(&self.file)
                    .unwrap();
                file.write_all(b"more").unwrap();
            } else {
                std::fs::File::options()
                    .write(true)
                    .open(&self.file)
                    .unwrap()
                    .set_len(3)
                    .unwrap();
            }
            std::io::copy(data, &mut std::io::sink())
                .map_err(|err| Error::build(err.to_string(), None))?;
            Ok(())
        }
    }

    #[test]
    fn a_file_that_changes_while_it_is_archived_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("data.log");
        for (grow, said) in [
            (false, "only 3 of its 10 bytes were read"),
            (true, "it grew past its 10 bytes"),
        ] {
            std::fs::write(&file, b"0123456789").unwrap();
            let mut sink = Meddling {
                file: file.clone(),
                grow,
            };
            let contents = Contents::File(file.clone());
            let err = add(&mut sink, "pkg/data.log", &contents, false, None).unwrap_err();
            let Error::Build { message, hint } = err else {
                panic!("{err}")
            };
            assert_eq!(
                message,
                format!(
                    "{} changed while it was being archived: {said}",
                    file.display()
                )
            );
            assert!(hint.unwrap().starts_with("build again once nothing writes"));
        }
    }

    #[test]
    fn entries_are_counted_and_hashed_as_they_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let data = text(300_000);
        std::fs::write(dir.path().join("a.txt"), &data).unwrap();
        let mut listing = Listing::default();
        let mut digest = sha2::Sha256::new();
        let contents = Contents::File(dir.path().join("a.txt"));
        let size = add(&mut listing, "a.txt", &contents, false, Some(&mut digest)).unwrap();
        assert_eq!(size, 300_000);
        assert_eq!(listing.entries, [("a.txt".to_owned(), 300_000)]);
        let mut whole = sha2::Sha256::new();
        whole.update(&data);
        assert_eq!(record_hash(digest), record_hash(whole));
    }

    #[test]
    fn zip64_only_for_entries_that_can_reach_4_gib() {
        assert!(!needs_zip64(0));
        assert!(!needs_zip64(1 << 30));
        assert!(!needs_zip64((4 << 30) - (8 << 20)));
        assert!(needs_zip64((4 << 30) - (1 << 20)));
        assert!(needs_zip64(4 << 30));
        assert!(needs_zip64(u64::MAX));
    }

    /// The bytes of a wheel do not depend on how its files are read: each entry is compressed
    /// as when it was written whole from memory (files up to [`ZIP_PIECE`]).
    #[test]
    fn streamed_zip_entries_are_compressed_as_whole_files_were() {
        let dir = tempfile::tempdir().unwrap();
        let files: Vec<(String, Vec<u8>)> = [0, 1, 8_191, 8_193, 65_537, 3 << 20]
            .into_iter()
            .map(|size| (format!("pkg/f{size}.txt"), text(size)))
            .collect();
        let streamed = dir.path().join("streamed.zip");
        let mut sink = ZipSink::new(std::fs::File::create(&streamed).unwrap(), 0);
        for (path, data) in &files {
            let source = dir.path().join(path.replace('/', "_"));
            std::fs::write(&source, data).unwrap();
            add(&mut sink, path, &Contents::File(source), false, None).unwrap();
        }
        sink.finish(&streamed).unwrap();

        let whole = dir.path().join("whole.zip");
        let mut writer = zip::ZipWriter::new(std::fs::File::create(&whole).unwrap());
        for (path, data) in &files {
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(zip_time(0))
                .unix_permissions(0o644);
            writer.start_file(path.as_str(), options).unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap();
        assert_eq!(
            std::fs::read(streamed).unwrap(),
            std::fs::read(whole).unwrap()
        );
    }

    #[test]
    fn a_tar_that_ends_where_a_batch_ends_is_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tar.gz");
        let mut sink = TarSink::new(std::fs::File::create(&path).unwrap(), &path, 0);
        sink.builder.get_mut().threads = 1; // batches of 2 MiB
        // Header, data and the two end blocks: 2 MiB exactly.
        let data = Contents::Bytes(text((2 << 20) - 3 * 512));
        add(&mut sink, "top/f.txt", &data, false, None).unwrap();
        sink.finish().unwrap();
        let mut tar = Vec::new();
        flate2::read::MultiGzDecoder::new(std::fs::File::open(&path).unwrap())
            .read_to_end(&mut tar)
            .unwrap();
        assert_eq!(tar.len(), 2 << 20);
        let names: Vec<String> = tar::Archive::new(&tar[..])
            .entries()
            .unwrap()
            .map(|entry| entry.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["top/f.txt"]);
    }

    /// The sdist's gzip members are 1 MiB pieces of the tar, wherever the batches end: the
    /// same bytes as compressing the whole tar in pieces, on any number of cores.
    #[test]
    fn sdist_pieces_do_not_depend_on_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.tar.gz");
        let mut sink = TarSink::new(std::fs::File::create(&path).unwrap(), &path, 0);
        sink.builder.get_mut().threads = 3; // batches of 6 MiB, 1 MiB pieces
        for index in 0..5 {
            let data = Contents::Bytes(text(1_500_000 + index));
            add(&mut sink, &format!("top/f{index}.txt"), &data, false, None).unwrap();
        }
        sink.finish().unwrap();
        let written = std::fs::read(&path).unwrap();
        let mut tar = Vec::new();
        flate2::read::MultiGzDecoder::new(&written[..])
            .read_to_end(&mut tar)
            .unwrap();
        assert!(tar.len() > 7 << 20, "more than one batch");
        let whole: Vec<u8> = tar
            .chunks(GZIP_PIECE)
            .flat_map(|piece| gzip_member(piece).unwrap())
            .collect();
        assert_eq!(written, whole);
    }
}
