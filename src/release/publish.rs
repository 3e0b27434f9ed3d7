//! `packkit publish`: the files to upload (checked before any upload), the credentials, and
//! the upload itself over the "legacy" upload API that PyPI, TestPyPI and devpi serve (a
//! multipart/form-data POST, as twine sends it). Also whether a version is already on an
//! index (`packkit channel --check`), read from its simple index (PEP 691 JSON or PEP 503 HTML).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use crate::metadata::normalize_name;
use crate::release::channel::{Refusal, Target};

/// METADATA or PKG-INFO larger than this is not a distribution's metadata.
const METADATA_LIMIT: u64 = 16 * 1024 * 1024;
/// How long an upload or an index query may take before it is given up, unless
/// `PACKKIT_PUBLISH_TIMEOUT` (seconds) says otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The timeout: `PACKKIT_PUBLISH_TIMEOUT` seconds when it is a positive number.
pub fn timeout() -> Duration {
    std::env::var("PACKKIT_PUBLISH_TIMEOUT")
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0 && *seconds < 1e7)
        .map_or(TIMEOUT, Duration::from_secs_f64)
}

/// What a distribution file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Wheel,
    Sdist,
}

/// A wheel or sdist, read and checked, ready to upload.
#[derive(Debug, Clone)]
pub struct DistFile {
    pub path: PathBuf,
    pub filename: String,
    pub kind: Kind,
    /// The name and version in its METADATA/PKG-INFO.
    pub name: String,
    pub version: String,
    /// The upload form's `pyversion`: the wheel's Python tag, or `source`.
    pub pyversion: String,
    /// The core metadata headers, in order (a header may repeat), and the description.
    pub headers: Vec<(String, String)>,
    pub description: Option<String>,
    pub sha256: String,
}

/// The name and version a file name gives, and its kind: `name-version-...whl` (PEP 427) or
/// `name-version.tar.gz` (PEP 625; `.zip` as older tools made).
pub fn parse_filename(filename: &str) -> Option<(Kind, String, String, String)> {
    if let Some(stem) = filename.strip_suffix(".whl") {
        let parts: Vec<&str> = stem.split('-').collect();
        if !(5..=6).contains(&parts.len()) || parts.iter().any(|p| p.is_empty()) {
            return None;
        }
        let python_tag = parts[parts.len() - 3].to_owned();
        return Some((
            Kind::Wheel,
            parts[0].to_owned(),
            parts[1].to_owned(),
            python_tag,
        ));
    }
    let stem = filename
        .strip_suffix(".tar.gz")
        .or_else(|| filename.strip_suffix(".zip"))?;
    let (name, version) = stem.rsplit_once('-')?;
    (!name.is_empty() && !version.is_empty()).then(|| {
        (
            Kind::Sdist,
            name.to_owned(),
            version.to_owned(),
            "source".to_owned(),
        )
    })
}

/// Read a distribution file: its name, version and metadata; an error says what is wrong.
pub fn inspect(path: &Path) -> Result<DistFile, String> {
    let filename = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a file name", path.display()))?
        .to_owned();
    let (kind, named, named_version, pyversion) = parse_filename(&filename).ok_or_else(|| {
        format!(
            "{}: not a wheel (name-version-python-abi-platform.whl) or an sdist \
             (name-version.tar.gz)",
            path.display()
        )
    })?;
    let bytes = std::fs::read(path).map_err(|err| format!("{}: {err}", path.display()))?;
    let metadata = match kind {
        Kind::Wheel => wheel_metadata(&bytes),
        Kind::Sdist => sdist_metadata(&bytes, &filename),
    }
    .map_err(|err| format!("{}: {err}", path.display()))?;
    let (headers, description) = parse_metadata(&metadata);
    let field = |key: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    };
    let (Some(name), Some(version)) = (field("Name"), field("Version")) else {
        return Err(format!(
            "{}: its metadata has no Name or no Version",
            path.display()
        ));
    };
    if normalize_name(&name) != normalize_name(&named) || !same_version(&version, &named_version) {
        return Err(format!(
            "{}: the file name says {named} {named_version} but its metadata says \
             {name} {version}",
            path.display()
        ));
    }
    Ok(DistFile {
        path: path.to_owned(),
        filename,
        kind,
        name,
        version,
        pyversion,
        headers,
        description,
        sha256: hex(&Sha256::digest(&bytes)),
    })
}

/// Whether two version strings are the same PEP 440 version (`1.0` and `1.0.0` are).
pub fn same_version(a: &str, b: &str) -> bool {
    match (crate::version::parse(a), crate::version::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The wheel's METADATA: the one `*.dist-info/METADATA` at its top (its name is compared with
/// the file name's afterwards, so that a renamed wheel is said to be one).
fn wheel_metadata(bytes: &[u8]) -> Result<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|err| format!("not a zip archive ({err})"))?;
    let found: Vec<String> = archive
        .file_names_raw()
        .filter_map(|raw| std::str::from_utf8(raw).ok())
        .filter(|entry| {
            entry
                .strip_suffix(".dist-info/METADATA")
                .is_some_and(|dir| !dir.is_empty() && !dir.contains('/'))
        })
        .map(str::to_owned)
        .collect();
    let [entry] = found.as_slice() else {
        return Err(format!(
            "a wheel has one NAME-VERSION.dist-info/METADATA; this one has {}",
            found.len()
        ));
    };
    let file = archive
        .by_name(entry)
        .map_err(|err| format!("{entry}: {err}"))?;
    read_limited(file, entry)
}

fn sdist_metadata(bytes: &[u8], filename: &str) -> Result<String, String> {
    let Some(base) = filename.strip_suffix(".tar.gz") else {
        return Err("a .zip sdist is not read by packkit; build a .tar.gz sdist (PEP 625)".into());
    };
    let wanted = format!("{base}/PKG-INFO");
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let entries = archive
        .entries()
        .map_err(|err| format!("not a .tar.gz archive ({err})"))?;
    for entry in entries {
        let entry = entry.map_err(|err| format!("not a .tar.gz archive ({err})"))?;
        let is_pkg_info = entry
            .path()
            .is_ok_and(|p| p.to_str() == Some(wanted.as_str()));
        if is_pkg_info {
            return read_limited(entry, &wanted);
        }
    }
    Err(format!("the sdist has no {wanted}"))
}

fn read_limited(reader: impl Read, entry: &str) -> Result<String, String> {
    let mut text = String::new();
    reader
        .take(METADATA_LIMIT)
        .read_to_string(&mut text)
        .map_err(|err| format!("{entry}: cannot be read as UTF-8 text ({err})"))?;
    Ok(text)
}

/// RFC 822 headers (continuation lines joined) and the body, which is the description.
fn parse_metadata(text: &str) -> (Vec<(String, String)>, Option<String>) {
    let text = text.replace("\r\n", "\n");
    let (head, body) = text.split_once("\n\n").unwrap_or((&text, ""));
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        if line.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push('\n');
                value.push_str(line.trim_start_matches(['\t', ' ']));
            }
        } else if let Some((key, value)) = line.split_once(':') {
            headers.push((key.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let description = (!body.is_empty()).then(|| body.to_owned());
    (headers, description)
}

/// The upload form's field for a core metadata header, as twine names them.
fn form_field(header: &str) -> String {
    let lower = header.to_ascii_lowercase().replace('-', "_");
    match lower.as_str() {
        "classifier" => "classifiers".into(),
        "project_url" => "project_urls".into(),
        "provides_extra" => "provides_extras".into(),
        _ => lower,
    }
}

/// The multipart/form-data body of one upload and its boundary.
pub fn form(file: &DistFile, content: &[u8]) -> (String, Vec<u8>) {
    let boundary = format!("packkit-{}", &file.sha256[..32]);
    let mut fields: Vec<(String, String)> = vec![
        (":action".into(), "file_upload".into()),
        ("protocol_version".into(), "1".into()),
        ("name".into(), file.name.clone()),
        ("version".into(), file.version.clone()),
        (
            "filetype".into(),
            match file.kind {
                Kind::Wheel => "bdist_wheel",
                Kind::Sdist => "sdist",
            }
            .into(),
        ),
        ("pyversion".into(), file.pyversion.clone()),
        ("sha256_digest".into(), file.sha256.clone()),
    ];
    for (key, value) in &file.headers {
        let field = form_field(key);
        if !matches!(field.as_str(), "name" | "version") {
            fields.push((field, value.clone()));
        }
    }
    if let Some(description) = &file.description {
        fields.push(("description".into(), description.clone()));
    }
    let mut body = Vec::with_capacity(content.len() + 4096);
    for (name, value) in &fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n",
                quoted(name)
            )
            .as_bytes(),
        );
        body.extend_from_slice(value.as_bytes());
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"content\"; \
             filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            quoted(&file.filename)
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (boundary, body)
}

/// A name inside a Content-Disposition quoted string (no quote, no line break).
fn quoted(text: &str) -> String {
    text.replace(['"', '\r', '\n'], "_")
}

/// A user name and password for an index.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
    /// Where they came from, to be named in messages (never the values).
    pub source: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Credentials(from {})", self.source)
    }
}

/// The credentials for `index`: PACKKIT_PUBLISH_USERNAME/PASSWORD, then TWINE_USERNAME/
/// PASSWORD, then the `~/.pypirc` section whose `repository` is the index. `var` reads the
/// environment; `pypirc` is that file's text, when there is one.
pub fn credentials(
    index: &str,
    var: &dyn Fn(&str) -> Option<String>,
    pypirc: Option<&str>,
) -> Option<Credentials> {
    for prefix in ["PACKKIT_PUBLISH", "TWINE"] {
        if let Some(password) = var(&format!("{prefix}_PASSWORD")) {
            return Some(Credentials {
                // An API token (PyPI, TestPyPI) goes with the user name `__token__`.
                username: var(&format!("{prefix}_USERNAME")).unwrap_or_else(|| "__token__".into()),
                password,
                source: format!("{prefix}_USERNAME/{prefix}_PASSWORD"),
            });
        }
    }
    let wanted = index.trim_end_matches('/');
    for (section, keys) in ini_sections(pypirc?) {
        let get = |key: &str| keys.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let repository = get("repository").or_else(|| match section.as_str() {
            "pypi" => Some("https://upload.pypi.org/legacy/".into()),
            "testpypi" => Some("https://test.pypi.org/legacy/".into()),
            _ => None,
        });
        if repository.is_some_and(|r| r.trim_end_matches('/') == wanted) {
            if let Some(password) = get("password") {
                return Some(Credentials {
                    username: get("username").unwrap_or_else(|| "__token__".into()),
                    password,
                    source: format!("~/.pypirc [{section}]"),
                });
            }
        }
    }
    None
}

/// The sections of an INI file, each with its `key = value` pairs (comments and blank lines
/// dropped), as Python's configparser reads `.pypirc`.
fn ini_sections(text: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut sections: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            sections.push((name.trim().to_owned(), Vec::new()));
        } else if let Some((key, value)) = trimmed.split_once(['=', ':']) {
            if let Some((_, keys)) = sections.last_mut() {
                keys.push((key.trim().to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
    }
    sections
}

/// What became of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Uploaded,
    /// Already on the index (with `--skip-existing`); the server's words.
    Skipped(String),
    /// The index already had these very bytes and kept them; the server's words.
    Identical(String),
}

/// Why an upload failed, with a message and a hint; never holds the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadError {
    pub message: String,
    pub hint: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(timeout()))
        .http_status_as_error(false)
        // The upload API answers a POST; a redirect would drop the body (and leak nothing).
        .max_redirects(0)
        .user_agent(concat!("packkit/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Upload one file to `index`.
pub fn upload(
    index: &str,
    credentials: &Credentials,
    file: &DistFile,
    skip_existing: bool,
) -> Result<Outcome, UploadError> {
    let content = std::fs::read(&file.path).map_err(|err| UploadError {
        message: format!("{}: {err}", file.path.display()),
        hint: "build again (`packkit build`)".into(),
    })?;
    let (boundary, body) = form(file, &content);
    let token = base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        format!("{}:{}", credentials.username, credentials.password),
    );
    let response = agent()
        .post(index)
        .header("Authorization", &format!("Basic {token}"))
        .header(
            "Content-Type",
            &format!("multipart/form-data; boundary={boundary}"),
        )
        .send(&body[..])
        .map_err(|err| transport_error(index, &err))?;
    let status = response.status().as_u16();
    let reason = response
        .status()
        .canonical_reason()
        .unwrap_or("")
        .to_owned();
    let text = response
        .into_body()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .unwrap_or_default();
    let said = server_words(&text, &reason);
    classify(
        status,
        &reason,
        &said,
        index,
        credentials,
        &file.filename,
        skip_existing,
    )
}

/// The meaning of the server's answer to one upload: `said` is its body's text.
fn classify(
    status: u16,
    reason: &str,
    said: &str,
    index: &str,
    credentials: &Credentials,
    name: &str,
    skip_existing: bool,
) -> Result<Outcome, UploadError> {
    let lower = said.to_ascii_lowercase();
    if (200..300).contains(&status) {
        // devpi accepts the same bytes again on a non-volatile index, and says so.
        return Ok(if lower.contains("identical") {
            Outcome::Identical(said.to_owned())
        } else {
            Outcome::Uploaded
        });
    }
    let exists = status == 409 || lower.contains("already exist");
    if exists && skip_existing {
        return Ok(Outcome::Skipped(said.to_owned()));
    }
    Err(match status {
        401 => UploadError {
            message: format!(
                "{index} refused the credentials from {} (401 Unauthorized): {said}",
                credentials.source
            ),
            hint: "check the user name and password (or token) for this index".into(),
        },
        403 => UploadError {
            message: format!(
                "{index} does not let this user upload {name} (403 Forbidden): {said}"
            ),
            hint: "check that the user may upload to this index and project (devpi: \
                   the index's acl_upload; PyPI: the token's scope)"
                .into(),
        },
        _ if exists => UploadError {
            message: format!("{name} is already on {index} ({status}): {said}"),
            hint: "an index keeps a file once uploaded: publish a new version, or pass \
                   --skip-existing to leave the files already there"
                .into(),
        },
        400 => UploadError {
            message: format!("{index} rejected {name} (400 Bad Request): {said}"),
            hint: "the server's reason says what to fix in the file or its metadata".into(),
        },
        _ => UploadError {
            message: format!("{index} answered {status} {reason} for {name}: {said}"),
            hint: "check the index URL (`packkit channel`) and the server's state".into(),
        },
    })
}

/// The server's words about a failure: the body's text, tags dropped, short.
fn server_words(body: &str, reason: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let words = if words.is_empty() {
        reason.to_owned()
    } else {
        words
    };
    if words.chars().count() > 300 {
        format!("{}...", words.chars().take(300).collect::<String>())
    } else {
        words
    }
}

fn transport_error(url: &str, err: &ureq::Error) -> UploadError {
    let refused = matches!(err, ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused)
        || matches!(err, ureq::Error::ConnectionFailed);
    match err {
        ureq::Error::Timeout(_) => UploadError {
            message: format!(
                "{url} did not answer within {} s (timeout)",
                timeout().as_secs_f64()
            ),
            hint: "check that the server is up and reachable, then try again (a longer \
                   wait: PACKKIT_PUBLISH_TIMEOUT=SECONDS)"
                .into(),
        },
        _ if refused => UploadError {
            message: format!(
                "cannot connect to {url}: the connection was refused (is the server down?)"
            ),
            hint: "start the server or check the host and port of the index (`packkit channel`)"
                .into(),
        },
        ureq::Error::HostNotFound => UploadError {
            message: format!("cannot connect to {url}: the host is not found"),
            hint: "check the host name of the index (`packkit channel`)".into(),
        },
        other => UploadError {
            message: format!("cannot reach {url}: {other}"),
            hint: "check the index URL and the network".into(),
        },
    }
}

/// Where `packkit channel --check` looks for a project's files: the target's `simple` URL,
/// else `<index>/+simple/`, devpi's simple index next to its upload URL.
pub fn simple_url(index: &str, simple: Option<&str>) -> String {
    simple.map_or_else(
        || format!("{}/+simple/", index.trim_end_matches('/')),
        str::to_owned,
    )
}

/// Whether the simple index at `simple` lists a file of `name` at `version`. An error says
/// why the index could not be read.
pub fn on_index(simple: &str, name: &str, version: &str) -> Result<bool, UploadError> {
    let url = format!("{}/{}/", simple.trim_end_matches('/'), normalize_name(name));
    let response = agent()
        .get(&url)
        .header(
            "Accept",
            "application/vnd.pypi.simple.v1+json, text/html;q=0.1",
        )
        .call()
        .map_err(|err| transport_error(&url, &err))?;
    let status = response.status().as_u16();
    if status == 404 {
        return Ok(false);
    }
    if !(200..300).contains(&status) {
        return Err(UploadError {
            message: format!("{url} answered {status}"),
            hint: "check the `simple` URL of the channel".into(),
        });
    }
    let text = response
        .into_body()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_string()
        .map_err(|err| transport_error(&url, &err))?;
    Ok(listed_files(&text)
        .iter()
        .filter_map(|file| parse_filename(file))
        .any(|(_, file_name, file_version, _)| {
            normalize_name(&file_name) == normalize_name(name)
                && same_version(&file_version, version)
        }))
}

/// `packkit channel --check`'s question to the index: a refusal when `version` of `name` is
/// already on `target`'s simple index; an error (a warning to show, not a refusal) when the
/// index cannot be read.
pub fn already_published(
    target: &Target,
    name: &str,
    version: &str,
) -> Result<Option<Refusal>, String> {
    let simple = simple_url(&target.index, target.simple.as_deref());
    match on_index(&simple, name, version) {
        Ok(false) => Ok(None),
        Ok(true) => Ok(Some(Refusal {
            message: format!("{name} {version} is already on the index ({simple})"),
            hint: "an index keeps a version once published: commit and bump to the next \
                   version (`packkit bump`)"
                .into(),
        })),
        Err(err) => Err(format!(
            "cannot tell whether {version} is already on the index: {}",
            err.message
        )),
    }
}

/// The file names a simple project page lists: PEP 691 JSON `files[].filename`, else the
/// text of PEP 503 HTML anchors.
fn listed_files(page: &str) -> Vec<String> {
    if let Ok(json) = serde_json::from_str::<serde_json::Value>(page) {
        return json["files"]
            .as_array()
            .map(|files| {
                files
                    .iter()
                    .filter_map(|f| f["filename"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
    }
    page.split("<a ")
        .skip(1)
        .filter_map(|anchor| {
            let text = anchor.split_once('>')?.1;
            Some(text.split_once("</a>")?.0.trim().to_owned())
        })
        .collect()
}

/// The files `packkit publish` uploads when none are named: those in `dist_dir` whose names
/// give the project's name and version, sorted (the sdist after the wheels, as twine does).
pub fn default_files(dist_dir: &Path, name: &str, version: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dist_dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .and_then(parse_filename)
                .is_some_and(|(_, file_name, file_version, _)| {
                    normalize_name(&file_name) == normalize_name(name)
                        && same_version(&file_version, version)
                })
        })
        .collect();
    files.sort_by_key(|path| (path.extension().is_none_or(|e| e != "whl"), path.clone()));
    files
}

/// Read every file and check it belongs to the project at `version`; every problem found
/// is returned, so that nothing is uploaded when one file is wrong.
pub fn check_files(paths: &[PathBuf], name: &str, version: &str) -> (Vec<DistFile>, Vec<String>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match inspect(path) {
            Err(problem) => problems.push(problem),
            Ok(file) if normalize_name(&file.name) != normalize_name(name) => {
                problems.push(format!(
                    "{}: a distribution of {}, not of {name}",
                    path.display(),
                    file.name
                ));
            }
            Ok(file) if !same_version(&file.version, version) => problems.push(format!(
                "{}: version {}, but the project's version is {version}",
                path.display(),
                file.version
            )),
            Ok(file) => files.push(file),
        }
    }
    (files, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_kind_name_and_version() {
        assert_eq!(
            parse_filename("my_pkg-1.0rc1-py3-none-any.whl"),
            Some((Kind::Wheel, "my_pkg".into(), "1.0rc1".into(), "py3".into()))
        );
        assert_eq!(
            parse_filename("my_pkg-1.0-1-cp312-abi3-linux_x86_64.whl").map(|p| p.3),
            Some("cp312".into())
        );
        assert_eq!(
            parse_filename("my_pkg-1.0.dev3.tar.gz"),
            Some((
                Kind::Sdist,
                "my_pkg".into(),
                "1.0.dev3".into(),
                "source".into()
            ))
        );
        for bad in [
            "x.whl",
            "a-b.whl",
            "my_pkg.tar.gz",
            "README.md",
            "-1.0.tar.gz",
        ] {
            assert_eq!(parse_filename(bad), None, "{bad}");
        }
    }

    #[test]
    fn metadata_headers_keep_repeats_and_continuations() {
        let (headers, body) = parse_metadata(
            "Metadata-Version: 2.4\nName: a\nClassifier: X\nClassifier: Y\nLicense: one\n  two\n\nThe description\n",
        );
        assert_eq!(headers[2], ("Classifier".into(), "X".into()));
        assert_eq!(headers[3], ("Classifier".into(), "Y".into()));
        assert_eq!(headers[4], ("License".into(), "one\ntwo".into()));
        assert_eq!(body.as_deref(), Some("The description\n"));
        assert_eq!(form_field("Project-URL"), "project_urls");
        assert_eq!(form_field("Requires-Dist"), "requires_dist");
        assert_eq!(form_field("Home-page"), "home_page");
    }

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    #[test]
    fn credentials_come_from_packkit_then_twine_then_pypirc() {
        let index = "http://localhost:3141/team/dev";
        let both = env(&[
            ("PACKKIT_PUBLISH_USERNAME", "p"),
            ("PACKKIT_PUBLISH_PASSWORD", "pp"),
            ("TWINE_USERNAME", "t"),
            ("TWINE_PASSWORD", "tp"),
        ]);
        assert_eq!(credentials(index, &both, None).unwrap().username, "p");
        let twine = env(&[("TWINE_PASSWORD", "tp")]);
        assert_eq!(
            credentials(index, &twine, None).unwrap().username,
            "__token__"
        );
        let pypirc = "[distutils]\nindex-servers = dev\n\n[dev]\nrepository = http://localhost:3141/team/dev/\nusername = team\npassword = secret\n\n[other]\nrepository = http://x/\npassword = no\n";
        let found = credentials(index, &env(&[]), Some(pypirc)).unwrap();
        assert_eq!(
            (found.username.as_str(), found.password.as_str()),
            ("team", "secret")
        );
        assert!(!format!("{found:?}").contains("secret"));
        assert_eq!(
            credentials("http://elsewhere/", &env(&[]), Some(pypirc)),
            None
        );
    }

    #[test]
    fn simple_pages_list_their_files_in_json_and_html() {
        let json = r#"{"meta":{"api-version":"1.0"},"files":[{"filename":"a-1.0.tar.gz"}]}"#;
        assert_eq!(listed_files(json), ["a-1.0.tar.gz"]);
        let html = "<html><body><a href=\"../../a-1.0-py3-none-any.whl#sha256=00\">a-1.0-py3-none-any.whl</a><br/>\n<a href=\"x\" data-requires-python=\"&gt;=3.9\">a-2.0.tar.gz</a></body></html>";
        assert_eq!(
            listed_files(html),
            ["a-1.0-py3-none-any.whl", "a-2.0.tar.gz"]
        );
        assert_eq!(
            simple_url("http://localhost:3141/team/dev", None),
            "http://localhost:3141/team/dev/+simple/"
        );
    }

    #[test]
    fn each_answer_has_its_meaning() {
        let creds = Credentials {
            username: "u".into(),
            password: "hunter2".into(),
            source: "TWINE_USERNAME/TWINE_PASSWORD".into(),
        };
        let answer = |status, said: &str, skip| {
            classify(
                status,
                "Reason",
                said,
                "http://i/",
                &creds,
                "a-1.0.tar.gz",
                skip,
            )
        };
        assert_eq!(answer(200, "", false), Ok(Outcome::Uploaded));
        assert_eq!(
            answer(200, "Upload of identical file", false),
            Ok(Outcome::Identical("Upload of identical file".into()))
        );
        assert_eq!(
            answer(409, "exists", true),
            Ok(Outcome::Skipped("exists".into()))
        );
        assert_eq!(
            answer(400, "File already exists.", true),
            Ok(Outcome::Skipped("File already exists.".into()))
        );
        let message = |status, said: &str| answer(status, said, false).unwrap_err().message;
        assert_eq!(
            message(401, "no"),
            "http://i/ refused the credentials from TWINE_USERNAME/TWINE_PASSWORD \
             (401 Unauthorized): no"
        );
        assert!(message(403, "no").contains("does not let this user upload a-1.0.tar.gz"));
        assert!(message(409, "x").starts_with("a-1.0.tar.gz is already on http://i/ (409)"));
        assert_eq!(
            message(400, "Invalid value for classifiers"),
            "http://i/ rejected a-1.0.tar.gz (400 Bad Request): Invalid value for classifiers"
        );
        assert_eq!(
            message(500, "boom"),
            "http://i/ answered 500 Reason for a-1.0.tar.gz: boom"
        );
        for status in [400, 401, 403, 409, 500] {
            assert!(!format!("{:?}", answer(status, "x", false)).contains("hunter2"));
        }
    }

    /// A `.tar.gz` holding `entries` (path, text), written into `dir` as `name`.
    fn sdist(dir: &Path, name: &str, entries: &[(&str, &str)]) -> PathBuf {
        let path = dir.join(name);
        let file = std::fs::File::create(&path).unwrap();
        let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
            file,
            flate2::Compression::fast(),
        ));
        for (entry, text) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(text.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            builder
                .append_data(&mut header, entry, text.as_bytes())
                .unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap();
        path
    }

    #[test]
    fn an_sdist_is_read_from_its_top_pkg_info_and_must_agree_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let info = "Metadata-Version: 2.4\nName: My.Pkg\nVersion: 1.0.0\n\nHello\n";
        let good = sdist(
            dir.path(),
            "my_pkg-1.0.tar.gz",
            &[("my_pkg-1.0/PKG-INFO", info)],
        );
        let file = inspect(&good).unwrap();
        assert_eq!((file.kind, file.name.as_str()), (Kind::Sdist, "My.Pkg"));
        assert_eq!(file.pyversion, "source");
        assert_eq!(file.description.as_deref(), Some("Hello\n"));
        let (files, problems) = check_files(std::slice::from_ref(&good), "my-pkg", "1.0");
        assert_eq!((files.len(), problems.len()), (1, 0));
        let (_, problems) = check_files(&[good], "my-pkg", "1.1");
        assert!(problems[0].ends_with("version 1.0.0, but the project's version is 1.1"));

        let nested = sdist(
            dir.path(),
            "my_pkg-2.0.tar.gz",
            &[("my_pkg-2.0/sub/PKG-INFO", info), ("PKG-INFO", info)],
        );
        assert!(
            inspect(&nested)
                .unwrap_err()
                .ends_with("the sdist has no my_pkg-2.0/PKG-INFO")
        );
        let other = sdist(
            dir.path(),
            "my_pkg-3.0.tar.gz",
            &[("my_pkg-3.0/PKG-INFO", info)],
        );
        assert!(
            inspect(&other)
                .unwrap_err()
                .ends_with("the file name says my_pkg 3.0 but its metadata says My.Pkg 1.0.0")
        );
        std::fs::write(dir.path().join("my_pkg-4.0.tar.gz"), b"not gzip").unwrap();
        assert!(inspect(&dir.path().join("my_pkg-4.0.tar.gz")).is_err());
    }

    #[test]
    fn server_words_drop_markup_and_stay_short() {
        assert_eq!(
            server_words(
                "<html><title>409 Conflict</title><p>already exists</p></html>",
                "Conflict"
            ),
            "409 Conflict already exists"
        );
        assert_eq!(server_words("", "Unauthorized"), "Unauthorized");
        assert!(server_words(&"x ".repeat(500), "").len() < 310);
    }
}
