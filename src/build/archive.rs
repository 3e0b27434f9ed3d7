//! One writer interface, three sinks: a listing (for dry runs: `list_wheel`), a zip
//! (wheels) and a gzipped tar (sdists). Archives are reproducible: entries in the order given
//! (callers sort them), one timestamp, modes 644/755, no owner names, and written to a
//! temporary file that is renamed into place only when complete.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

pub(super) trait Sink {
    fn add(&mut self, path: &str, data: &[u8], executable: bool) -> Result<()>;
}

/// Collects paths and sizes only.
#[derive(Default)]
pub(super) struct Listing {
    pub entries: Vec<(String, u64)>,
}

impl Sink for Listing {
    fn add(&mut self, path: &str, data: &[u8], _executable: bool) -> Result<()> {
        self.entries.push((path.to_owned(), data.len() as u64));
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
}

impl ZipSink {
    pub(super) fn new(file: std::fs::File, mtime: i64) -> Self {
        ZipSink {
            writer: zip::ZipWriter::new(std::io::BufWriter::new(file)),
            time: zip_time(mtime),
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

impl Sink for ZipSink {
    fn add(&mut self, path: &str, data: &[u8], executable: bool) -> Result<()> {
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(self.time)
            .unix_permissions(if executable { 0o755 } else { 0o644 });
        let fail = |err: &dyn std::fmt::Display| {
            Error::build(format!("cannot add {path} to the wheel: {err}"), None)
        };
        self.writer
            .start_file(path, options)
            .map_err(|err| fail(&err))?;
        self.writer.write_all(data).map_err(|err| fail(&err))
    }
}

/// A gzipped tar. The tar is assembled in memory, then compressed in 1 MiB pieces on every
/// core, each piece a complete gzip member: concatenated members are one valid gzip stream
/// (RFC 1952; `gzip -d`, Python's `tarfile` and pip read them), and the fixed piece size keeps
/// the bytes the same on every machine.
pub(super) struct TarSink {
    builder: tar::Builder<Vec<u8>>,
    file: std::fs::File,
    mtime: u64,
}

const GZIP_PIECE: usize = 1 << 20;

impl TarSink {
    pub(super) fn new(file: std::fs::File, mtime: i64) -> Self {
        let mut builder = tar::Builder::new(Vec::new());
        builder.mode(tar::HeaderMode::Deterministic);
        TarSink {
            builder,
            file,
            mtime: u64::try_from(mtime.max(0)).unwrap_or(0),
        }
    }

    pub(super) fn finish(self, path: &Path) -> Result<()> {
        let tar = self
            .builder
            .into_inner()
            .map_err(|err| Error::io(path, err))?;
        let pieces: Vec<&[u8]> = tar.chunks(GZIP_PIECE).collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .min(pieces.len())
            .max(1);
        let mut members: Vec<Vec<u8>> = vec![Vec::new(); pieces.len()];
        std::thread::scope(|scope| {
            let per_thread = pieces.len().div_ceil(threads);
            let workers: Vec<_> = members
                .chunks_mut(per_thread)
                .zip(pieces.chunks(per_thread))
                .map(|(outputs, inputs)| {
                    scope.spawn(move || -> std::io::Result<()> {
                        for (output, input) in outputs.iter_mut().zip(inputs) {
                            // No file name and a zero time in the header: same bytes every time.
                            let mut gzip = flate2::GzBuilder::new()
                                .mtime(0)
                                .write(Vec::new(), flate2::Compression::default());
                            gzip.write_all(input)?;
                            *output = gzip.finish()?;
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
        let mut file = std::io::BufWriter::new(self.file);
        for member in &members {
            file.write_all(member).map_err(|err| Error::io(path, err))?;
        }
        file.flush().map_err(|err| Error::io(path, err))
    }
}

impl Sink for TarSink {
    fn add(&mut self, path: &str, data: &[u8], executable: bool) -> Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(if executable { 0o755 } else { 0o644 });
        header.set_mtime(self.mtime);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        self.builder
            .append_data(&mut header, path, data)
            .map_err(|err| Error::build(format!("cannot add {path} to the sdist: {err}"), None))
    }
}
