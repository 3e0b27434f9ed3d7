"""Download what tests/test_migrate_real.py needs, so that the test runs offline.

Into ``target/wheelhouse-migrate`` (or the folder given): ``wheels/`` (the pinned backends and
scaffolders of tests/migrate_projects.toml, with their dependencies) and ``sdists/`` (each
project's sdist, by exact version, hash-checked by pip's ``--require-hashes`` and again here).
pip prepares an sdist's metadata while downloading it, so the sdists are fetched from a virtual
environment made from the downloaded wheels (no build isolation).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
SPEC = tomllib.loads((ROOT / "tests" / "migrate_projects.toml").read_text(encoding="utf-8"))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "wheelhouse-migrate"
    wheels, sdists = out / "wheels", out / "sdists"
    for folder in (wheels, sdists):
        folder.mkdir(parents=True, exist_ok=True)
    backends = SPEC["backends"]["requirements"]
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(
        [*pip, "download", "--only-binary", ":all:", "-d", wheels, *backends], check=True
    )
    venv = out / "download-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheels, *backends],
        check=True,
    )
    missing = [p for p in SPEC["projects"] if not _verified(sdists, p)]
    if missing:
        requirements = out / "sdists.txt"
        requirements.write_text(
            "".join(f"{p['name']}=={p['version']} --hash=sha256:{p['sha256']}\n" for p in missing)
        )
        subprocess.run(
            [
                python,
                "-m",
                "pip",
                "--disable-pip-version-check",
                "-q",
                "download",
                "--no-deps",
                "--no-binary",
                ":all:",
                "--no-build-isolation",
                "--require-hashes",
                "-r",
                requirements,
                "-d",
                sdists,
            ],
            check=True,
            # uv_build finds its executable on PATH (PEP 517 leaves it nothing else).
            env={
                **os.environ,
                "PATH": f"{(venv / 'bin').resolve()}{os.pathsep}{os.environ.get('PATH', '')}",
            },
        )
    bad = [p["name"] for p in SPEC["projects"] if not _verified(sdists, p)]
    if bad:
        print(f"sdists missing or with a wrong sha256: {bad}", file=sys.stderr)
        return 1
    return 0


def _verified(folder: Path, project: dict[str, str]) -> bool:
    for path in folder.glob("*.tar.gz"):
        if hashlib.sha256(path.read_bytes()).hexdigest() == project["sha256"]:
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
