#!/usr/bin/env python3
"""Benchmark: uploading a wheel and an sdist to a devpi index, packkit publish against twine.

What is measured
----------------
The wall time of one whole process that uploads the same two files (the wheel and sdist of a
sample project holding 1 MiB of incompressible data, built once by ``packkit build``) to the
same volatile index of a devpi-server on loopback, which takes the same files again each time:

* ``packkit publish`` -- the ``packkit`` next to this interpreter (it reads the version and
  checks the files and the channel first, then uploads in Rust),
* ``twine upload --repository-url URL`` -- twine from ``--devpi-venv``.

``--devpi-venv`` is a venv with devpi-server, devpi-client and twine (``make bench-publish``
makes it from the wheelhouse). The server runs with a temporary folder and is stopped at the
end. Runs are interleaved (see ``_common.interleaved``); the table gives the median and minimum
time and the ratio of each median to packkit's. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import find_tool, fmt_ratio, interleaved, markdown_table

PASSWORD = "bench-secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_devpi(venv: Path, root: Path) -> tuple[subprocess.Popen[bytes], str]:
    serverdir = root / "server"
    run([venv / "bin/devpi-init", "--serverdir", serverdir, "--no-root-pypi"])
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [venv / "bin/devpi-server", "--serverdir", serverdir, "--host=127.0.0.1", f"--port={port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"{url}/+api", timeout=5):
                break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                sys.exit("devpi-server did not start")
            time.sleep(0.5)
    devpi = [str(venv / "bin/devpi"), "--clientdir", str(root / "client")]
    run([*devpi, "use", url])
    run([*devpi, "login", "root", "--password", ""])
    run([*devpi, "user", "-c", "bench", f"password={PASSWORD}"])
    run([*devpi, "login", "bench", "--password", PASSWORD])
    run([*devpi, "index", "-c", "bench/dev", "volatile=True"])
    return server, f"{url}/bench/dev"


def run(cmd: list[str | Path], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"`{' '.join(map(str, cmd))}` failed:\n{proc.stdout}{proc.stderr}")


def sample(root: Path, index: str, packkit: str) -> list[Path]:
    project = root / "sample"
    (project / "src/bench_sample").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        f'[project]\nname = "bench-sample"\nversion = "1.0.0"\n\n'
        f'[tool.packkit.channels]\nstable = {{ index = "{index}" }}\n'
    )
    (project / "src/bench_sample/__init__.py").write_text("")
    (project / "src/bench_sample/data.bin").write_bytes(os.urandom(1 << 20))
    run([packkit, "build"], cwd=project)
    return sorted((project / "dist").glob("bench_sample-1.0.0*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--packkit", help="the packkit command (default: next to python)")
    parser.add_argument("--devpi-venv", required=True, help="venv with devpi-server and twine")
    args = parser.parse_args()
    packkit = find_tool("packkit", args.packkit)
    if not packkit:
        sys.exit("packkit not found")
    venv = Path(args.devpi_venv).resolve()
    root = Path(tempfile.mkdtemp(prefix="bench-publish-"))
    server = None
    try:
        server, index = start_devpi(venv, root)
        files = sample(root, index, packkit)
        env = {**os.environ, "PACKKIT_PUBLISH_USERNAME": "bench"}
        env["PACKKIT_PUBLISH_PASSWORD"] = PASSWORD
        twine = [str(venv / "bin/twine"), "upload", f"--repository-url={index}"]
        credentials = ["-u", "bench", "-p", PASSWORD, "--disable-progress-bar"]
        commands = {
            "packkit publish": [packkit, "publish", *map(str, files)],
            "twine upload": [*twine, *credentials, *map(str, files)],
        }

        def once(label: str) -> float:
            start = time.perf_counter()
            run(list(commands[label]), cwd=root / "sample", env=env)
            return time.perf_counter() - start

        times = interleaved(list(commands), once, args.rounds)
        base = statistics.median(times["packkit publish"])
        rows = [
            [
                label,
                f"{statistics.median(t) * 1000:.0f} ms",
                f"{min(t) * 1000:.0f} ms",
                fmt_ratio(statistics.median(t), base),
            ]
            for label, t in times.items()
        ]
        size = sum(f.stat().st_size for f in files) / 1024
        print(f"{len(files)} files, {size:.0f} KiB, {args.rounds} rounds, devpi on loopback\n")
        print(markdown_table(["tool", "median", "min", "vs packkit"], rows, right=1))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
