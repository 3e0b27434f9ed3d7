"""Large inputs (issue: trust): a build's memory does not grow with the project.

A wheel build read every file into memory before writing the archive, and an sdist build held
the whole tar as well, so a project of a few gigabytes needed a few gigabytes of memory (twice
that for the sdist), and a file of 4 GiB or more failed with zip's "Large file option has not
been set". Files are now read in chunks while they are written into the archive, their RECORD
hash and size computed on the way (``src/build/archive.rs``); an entry of 4 GiB or more gets
ZIP64 headers (and, in the sdist, the size field tar's GNU format gives it).

The archives are read back as installers read them: ``zipfile`` (which checks each member's CRC)
with the RECORD hash checked as pip checks it, and ``tarfile``. The big files are sparse, so they
take no disk space; the archives of their zeros are a few megabytes.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import shutil
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
from helpers.backend import dist_info, run
from helpers.git import Env

#: 4 GiB and a little: more than a zip entry can hold without ZIP64.
HUGE = 4 * 1024**3 + 10
MiB = 1024 * 1024


def sparse_project(root: Path, name: str, size: int) -> Path:
    """A project whose package holds one file of ``size`` zero bytes (sparse: no disk used)."""
    project = root / name
    package = project / "src" / name
    package.mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["packkit"]\nbuild-backend = "packkit.backend"\n\n'
        f'[project]\nname = "{name}"\nversion = "1.0"\n'
    )
    (package / "__init__.py").write_text("")
    with open(package / "blob.bin", "wb") as blob:
        blob.truncate(size)
    return project


#: Measures the peak memory of the command in its arguments, run in a fresh process: the
#: largest resident set of the processes this one waited for, in bytes.
PEAK_RSS = """\
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(peak if sys.platform == "darwin" else peak * 1024)
"""


def peak_rss(argv: list[str | Path]) -> tuple[int, str]:
    """Run ``argv`` in a fresh process: its peak memory (and its subprocesses'), its output."""
    proc = run([sys.executable, "-c", PEAK_RSS, *argv])
    output, _, peak = proc.stdout.rstrip().rpartition("\n")
    return int(peak), output


def frontend_build(kind: str, project: Path, out: Path) -> tuple[Path, int]:
    """``python -m build --KIND`` (no isolation: the installed packkit): the artifact, and the
    peak memory of the frontend and the backend."""
    argv: list[str | Path] = [sys.executable, "-m", "build", "--no-isolation", f"--{kind}"]
    peak, _ = peak_rss([*argv, "-o", out, project])
    (artifact,) = out.glob("*.whl" if kind == "wheel" else "*.tar.gz")
    return artifact, peak


def free_disk(path: Path, needed: int) -> None:
    if shutil.disk_usage(path).free < needed:
        pytest.fail(f"{path} needs {needed // MiB} MiB free for the archives of this test")


def record_hash(digest: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.mark.slow
def test_a_wheel_with_a_file_of_4_gib_builds_and_installers_read_it(
    tmp_path: Path, scm_env: Env
) -> None:
    free_disk(tmp_path, 200 * MiB)
    project = sparse_project(tmp_path, "huge", HUGE)
    wheel, peak = frontend_build("wheel", project, tmp_path / "dist")
    assert peak < 150 * MiB, f"building the wheel took {peak // MiB} MiB"

    with zipfile.ZipFile(wheel) as archive:
        record = archive.read(f"{dist_info(wheel)}/RECORD").decode()
        info = archive.getinfo("huge/blob.bin")
        assert info.file_size == HUGE
        digest = hashlib.sha256()
        size = 0
        with archive.open(info) as member:  # zipfile checks the CRC at the end
            while chunk := member.read(16 * MiB):
                digest.update(chunk)
                size += len(chunk)
        # ZIP64 only where it is needed: the other entries are written as in any wheel.
        others = [other for other in archive.infolist() if other is not info]
    assert size == HUGE
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(record))}
    assert rows["huge/blob.bin"] == [record_hash(digest.digest()), str(HUGE)]
    assert info.extra[:2] == b"\x01\x00", "the big entry has its ZIP64 extra field"
    assert [other.extra for other in others] == [b""] * len(others)


@pytest.mark.slow
def test_an_sdist_with_a_file_of_4_gib_builds_and_tarfile_reads_it(
    tmp_path: Path, scm_env: Env
) -> None:
    free_disk(tmp_path, 200 * MiB)
    project = sparse_project(tmp_path, "huge", HUGE)
    sdist, peak = frontend_build("sdist", project, tmp_path / "dist")
    assert peak < 150 * MiB, f"building the sdist took {peak // MiB} MiB"

    found = {}
    with tarfile.open(sdist, "r:gz") as archive:  # as pip opens it; one pass
        for member in archive:
            found[member.name] = member.size
            if member.name == "huge-1.0/src/huge/blob.bin":
                extracted = archive.extractfile(member)
                assert extracted is not None
                size = 0
                while chunk := extracted.read(16 * MiB):
                    assert chunk == bytes(len(chunk))
                    size += len(chunk)
                assert size == HUGE
    assert found == {
        "huge-1.0/PKG-INFO": found["huge-1.0/PKG-INFO"],
        "huge-1.0/pyproject.toml": (project / "pyproject.toml").stat().st_size,
        "huge-1.0/src/huge/__init__.py": 0,
        "huge-1.0/src/huge/blob.bin": HUGE,
    }


#: A PEP 517 hook called as a frontend calls it: in a fresh interpreter, in the project folder.
HOOK = "import os, sys; from packkit import backend; os.chdir(sys.argv[1]); "


@pytest.mark.slow
@pytest.mark.parametrize("hook", ["build_wheel", "build_sdist"])
def test_peak_memory_of_a_build_stays_well_below_the_size_of_its_files(
    hook: str, tmp_path: Path, scm_env: Env
) -> None:
    file_size = 300 * MiB
    project = sparse_project(tmp_path, "heavy", file_size)
    out = tmp_path / "dist"
    code = HOOK + f"print(backend.{hook}(sys.argv[2]))"
    peak, built = peak_rss([sys.executable, "-c", code, project, out])
    assert built.startswith("heavy-1.0")
    # The interpreter and packkit take about 30 MiB; reading the file whole took 300 MiB more.
    assert peak < 150 * MiB, f"a {hook} of a 300 MiB file peaked at {peak // MiB} MiB"
