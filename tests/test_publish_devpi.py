"""``packkit publish`` end to end against a real devpi-server on loopback (issue 9 item 6).

devpi-server, devpi-client, twine and pip are installed offline into a fresh venv from
``target/wheelhouse-publish`` (``make wheelhouse-publish`` downloads them once; ``make ci`` does
it first). The server runs on a free loopback port with a temporary server folder and no PyPI
mirror; it is stopped and its folder removed even when the test fails. A sample project made with
the ``git`` CLI climbs the release ladder: a development release lands on ``team/dev``, the
release candidate on ``team/staging``, the release on ``team/prod``; pip installs each from
there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers.backend import REPO_ROOT, Venv, make_venv, run
from helpers.git import Env, Repo

pytestmark = pytest.mark.slow

PUBLISH_WHEELHOUSE = REPO_ROOT / "target" / "wheelhouse-publish"
TOOLS = ["devpi-server", "devpi-client", "twine", "pip"]
PASSWORD = "team-secret"


def publish_wheelhouse() -> Path:
    folder = Path(os.environ.get("PACKKIT_PUBLISH_WHEELHOUSE", PUBLISH_WHEELHOUSE))
    missing = [n for n in TOOLS if not any(folder.glob(f"{n.replace('-', '_')}-*.whl"))]
    if missing:
        pytest.fail(
            f"no {', '.join(missing)} wheels in {folder}: run `make wheelhouse-publish` (it "
            "downloads them once), or set PACKKIT_PUBLISH_WHEELHOUSE to a folder holding them",
            pytrace=False,
        )
    return folder


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Devpi:
    url: str
    venv: Venv
    clientdir: Path

    def client(self, *args: str) -> str:
        return self.venv.run("devpi", "--clientdir", self.clientdir, *args)

    def index(self, name: str) -> str:
        return f"{self.url}/team/{name}"

    def listed(self, name: str, project: str) -> list[str]:
        """The file names the index's simple page (PEP 503 HTML) lists for ``project``."""
        try:
            with urllib.request.urlopen(
                f"{self.index(name)}/+simple/{project}/", timeout=30
            ) as page:
                html = page.read().decode()
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return []
            raise
        return sorted(re.findall(r">([^<>]+)</a>", html))


@pytest.fixture(scope="module")
def devpi(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Devpi]:
    """A devpi-server with user ``team``, indexes team/dev (volatile), team/staging and
    team/prod (not volatile), and user ``guest`` (who may upload to none of them); stopped,
    and its folder removed, whatever happens."""
    wheelhouse = publish_wheelhouse()
    root = tmp_path_factory.mktemp("devpi")
    venv = make_venv(root / "venv")
    venv.pip_install(*TOOLS, wheelhouse=wheelhouse)
    serverdir = root / "server"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server: subprocess.Popen[bytes] | None = None
    log = root / "server.log"
    try:
        venv.run(
            "devpi-init", "--serverdir", serverdir, "--no-root-pypi", "--root-passwd", "rootpw"
        )
        with log.open("wb") as out:
            server = subprocess.Popen(
                [
                    venv.script("devpi-server"),
                    "--serverdir",
                    serverdir,
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until_up(url, server, log)
        found = Devpi(url, venv, root / "client")
        found.client("use", url)
        found.client("login", "root", "--password", "rootpw")
        found.client("user", "-c", "team", f"password={PASSWORD}")
        found.client("user", "-c", "guest", f"password={PASSWORD}")
        found.client("login", "team", "--password", PASSWORD)
        found.client("index", "-c", "team/dev", "volatile=True")
        found.client("index", "-c", "team/staging", "volatile=False")
        found.client("index", "-c", "team/prod", "volatile=False")
        yield found
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(serverdir, ignore_errors=True)


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"devpi-server exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/+api", timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"devpi-server did not answer within 120 s:\n{log.read_text()}")


NAME = "ladder-app"
FILE_NAME = "ladder_app"


def sample(make_repo: Callable[..., Repo], devpi: Devpi) -> Repo:
    repo = make_repo("ladder")
    repo.write(
        "pyproject.toml",
        f"""[project]
name = "{NAME}"
dynamic = ["version"]

[tool.packkit]
local-scheme = "no-local-version"

[tool.packkit.channels]
unstable = {{ index = "{devpi.index("dev")}" }}
testing = {{ index = "{devpi.index("staging")}" }}
stable = {{ index = "{devpi.index("prod")}", simple = "{devpi.index("prod")}/+simple/" }}
""",
    )
    repo.write(f"src/{FILE_NAME}/__init__.py", "ANSWER = 42\n")
    repo.add()
    repo.commit("feat: the first version")
    repo.tag("v0.9.0", annotated=True)
    repo.commit("fix: a fix after 0.9.0")
    return repo


def files_of(version: str) -> list[str]:
    return sorted([f"{FILE_NAME}-{version}-py3-none-any.whl", f"{FILE_NAME}-{version}.tar.gz"])


def test_a_project_climbs_the_ladder_through_devpi(
    devpi: Devpi, make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    repo = sample(make_repo, devpi)
    env = scm_env.as_dict(PACKKIT_PUBLISH_USERNAME="team", PACKKIT_PUBLISH_PASSWORD=PASSWORD)

    def packkit(*args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess[str]:
        return run([*packkit_cli, *args], cwd=repo.path, env={**env, **extra}, check=check)

    def build_and_publish(index: str) -> str:
        version = packkit("version").stdout.strip()
        packkit("build")
        published = packkit("publish")
        assert published.stdout.strip() == (
            f"uploaded {', '.join(files_of(version))} -> {devpi.index(index)}"
        )
        assert devpi.listed(index, NAME) == files_of(version)
        return version

    # A development release goes to team/dev.
    assert build_and_publish("dev") == "0.9.1.dev1"

    # twine uploads to the URL `packkit channel --format json` gives, too.
    repo.commit("fix: another fix")
    target = json.loads(packkit("channel", "--format", "json").stdout)
    assert (target["version"], target["index"]) == ("0.9.1.dev2", devpi.index("dev"))
    packkit("build")
    dist = sorted(str(p) for p in (repo.path / "dist").glob(f"{FILE_NAME}-0.9.1.dev2*"))
    twine = devpi.venv.script("twine")
    run(
        [twine, "upload", "--repository-url", target["index"], "-u", "team", "-p", PASSWORD, *dist],
        env=env,
    )
    assert files_of("0.9.1.dev2")[0] in devpi.listed("dev", NAME)

    # The release candidate goes to team/staging, with the credentials of ~/.pypirc.
    packkit("bump", "rc")
    home = Path(env["HOME"])
    (home / ".pypirc").write_text(
        f"[distutils]\nindex-servers = staging\n\n[staging]\nrepository = "
        f"{devpi.index('staging')}/\nusername = team\npassword = {PASSWORD}\n"
    )
    for key in ("PACKKIT_PUBLISH_USERNAME", "PACKKIT_PUBLISH_PASSWORD"):
        del env[key]
    rc = build_and_publish("staging")
    (home / ".pypirc").unlink()
    env.update(PACKKIT_PUBLISH_USERNAME="team", PACKKIT_PUBLISH_PASSWORD=PASSWORD)
    assert rc.endswith("rc1")
    # The release goes to team/prod.
    packkit("bump", "final")
    final = build_and_publish("prod")
    assert final == rc.removesuffix("rc1")
    assert devpi.listed("staging", NAME) == files_of(rc)

    # pip installs the release from prod (the rc is not there), and the rc from staging.
    consumer = make_venv(repo.path.parent / "consumer")
    pip = [consumer.python, "-m", "pip", "install", "-q", "--no-cache-dir"]
    pip_env = {k: v for k, v in env.items() if not k.startswith("PIP_")}
    run([*pip, "--index-url", f"{devpi.index('prod')}/+simple/", NAME], env=pip_env)
    installed = "import importlib.metadata as m; print(m.version('ladder-app'))"
    assert consumer.eval(installed) == final
    staging = f"{devpi.index('staging')}/+simple/"
    run([*pip, "--pre", "--force-reinstall", "--index-url", staging, NAME], env=pip_env)
    assert consumer.eval(installed) == rc

    # Once published, a version is "already on the index" for `packkit channel --check`;
    # uploading it again is refused, or skipped with --skip-existing.
    checked = packkit("channel", "--check", check=False)
    assert checked.returncode == 1
    assert f"{NAME} {final} is already on the index ({devpi.index('prod')}/+simple/)" in (
        checked.stderr
    )
    # The same files again: devpi keeps them and says so; packkit says it too.
    prod = devpi.index("prod")
    same = packkit("publish")
    assert same.stdout.strip() == f"nothing uploaded: every file is already on {prod}"
    assert same.stderr.count(" (identical)") == 2
    # Other bytes for the same file names (another build date): a conflict, 409.
    packkit("build", SOURCE_DATE_EPOCH="1700000000")
    again = packkit("publish", check=False)
    assert again.returncode == 1
    assert f"error: {files_of(final)[0]} is already on {prod} (409): " in again.stderr
    assert "already exists in non-volatile index" in again.stderr  # devpi's words
    assert "(nothing was uploaded)" in again.stderr
    assert "--skip-existing" in again.stderr
    skipped = packkit("publish", "--skip-existing")
    assert skipped.stdout.strip() == f"nothing uploaded: every file is already on {prod}"
    assert skipped.stderr.count("skipped ") == 2

    # A user who may not upload to the index gets the 403 message.
    forbidden = packkit("publish", check=False, PACKKIT_PUBLISH_USERNAME="guest")
    assert forbidden.returncode == 1
    assert f"{prod} does not let this user upload {files_of(final)[0]} (403 Forbidden)" in (
        forbidden.stderr
    )

    # A dirty tree and a local version are refused before any upload.
    repo.commit("feat: more")
    packkit("build")
    (repo.path / f"src/{FILE_NAME}/__init__.py").write_text("ANSWER = 43\n")
    dirty = packkit("publish", check=False)
    assert dirty.returncode == 1
    assert "uncommitted changes" in dirty.stderr and "nothing was uploaded" in dirty.stderr
    repo.git("checkout", "--", ".")
    local = packkit("publish", check=False, SETUPTOOLS_SCM_PRETEND_VERSION="0.10.0.dev1+local")
    assert local.returncode == 1
    assert "has a local part (+local)" in local.stderr
    assert devpi.listed("dev", NAME) == sorted(files_of("0.9.1.dev1") + files_of("0.9.1.dev2"))

    # A wrong password is the server's 401, said plainly, and the password is never shown.
    wrong = packkit("publish", check=False, PACKKIT_PUBLISH_PASSWORD="not-the-password")
    assert wrong.returncode == 1
    assert (
        f"{devpi.index('dev')} refused the credentials from "
        "PACKKIT_PUBLISH_USERNAME/PACKKIT_PUBLISH_PASSWORD (401 Unauthorized)"
    ) in wrong.stderr
    assert "not-the-password" not in wrong.stderr + wrong.stdout
    assert "nothing was uploaded" in wrong.stderr
