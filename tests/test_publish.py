"""``packkit publish``: what is checked before any upload, on real repositories made with the
``git`` CLI and files made by ``packkit build``; and a server that is down. The uploads
themselves, and the server's answers (401, 403, 409), are in ``test_publish_devpi.py``."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

from helpers.backend import run
from helpers.git import Env, Repo


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def project(make_repo: Callable[..., Repo], index: str) -> Repo:
    repo = make_repo("demo")
    repo.write(
        "pyproject.toml",
        f"""[project]
name = "demo-app"
dynamic = ["version"]

[tool.packkit]
local-scheme = "no-local-version"

[tool.packkit.channels]
unstable = {{ index = "{index}" }}
stable = {{ index = "{index}" }}
""",
    )
    repo.write("src/demo_app/__init__.py")
    repo.add()
    repo.commit("first")
    repo.tag("v1.0")
    return repo


def publish(
    cli: list[str], repo: Repo, env: Env, *args: str, **extra: str
) -> subprocess.CompletedProcess[str]:
    return run(
        [*cli, "publish", *args],
        cwd=repo.path,
        env=env.as_dict(PACKKIT_PUBLISH_USERNAME="me", PACKKIT_PUBLISH_PASSWORD="s3cret", **extra),
        check=False,
    )


def test_without_built_files_it_says_to_build(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    repo = project(make_repo, f"http://127.0.0.1:{closed_port()}/team/prod")
    proc = publish(packkit_cli, repo, scm_env)
    assert proc.returncode == 1
    assert "dist holds no wheel or sdist of demo-app 1.0" in proc.stderr
    assert "hint: build them first: `packkit build`" in proc.stderr


def test_dry_run_checks_and_names_the_files_and_the_credentials_source(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    index = f"http://127.0.0.1:{closed_port()}/team/prod"
    repo = project(make_repo, index)
    run([*packkit_cli, "build"], cwd=repo.path)
    proc = publish(packkit_cli, repo, scm_env, "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == (
        f"would upload demo_app-1.0-py3-none-any.whl, demo_app-1.0.tar.gz -> {index} "
        "(stable 1.0; credentials from PACKKIT_PUBLISH_USERNAME/PACKKIT_PUBLISH_PASSWORD); "
        "nothing uploaded (dry run)"
    )
    assert "s3cret" not in proc.stdout + proc.stderr


def test_files_of_another_version_or_project_are_refused_before_any_upload(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str], tmp_path: Path
) -> None:
    repo = project(make_repo, f"http://127.0.0.1:{closed_port()}/team/prod")
    run([*packkit_cli, "build"], cwd=repo.path)
    wheel = repo.path / "dist" / "demo_app-1.0-py3-none-any.whl"
    # A wheel renamed to another version: its METADATA still says 1.0.
    renamed = tmp_path / "demo_app-2.0-py3-none-any.whl"
    shutil.copy(wheel, renamed)
    not_a_wheel = tmp_path / "demo_app-1.0-py3-none-any.whl"
    not_a_wheel.write_text("not a zip")
    readme = tmp_path / "README.md"
    readme.write_text("hello")
    proc = publish(
        packkit_cli, repo, scm_env, str(renamed), str(not_a_wheel), str(readme), str(wheel)
    )
    assert proc.returncode == 1
    assert "nothing was uploaded, 3 file(s) may not be published" in proc.stderr
    assert f"{renamed}: the file name says demo_app 2.0 but its metadata says demo-app 1.0" in (
        proc.stderr
    )
    assert f"{not_a_wheel}: not a zip archive" in proc.stderr
    assert f"{readme}: not a wheel" in proc.stderr


def test_a_dirty_tree_is_refused_before_any_upload(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    repo = project(make_repo, f"http://127.0.0.1:{closed_port()}/team/prod")
    run([*packkit_cli, "build"], cwd=repo.path)
    repo.write("src/demo_app/__init__.py", "changed = True\n")
    proc = publish(packkit_cli, repo, scm_env)
    assert proc.returncode == 1
    assert "may not be published (nothing was uploaded)" in proc.stderr
    assert "uncommitted changes" in proc.stderr


def test_plain_http_to_another_machine_is_refused_also_with_channel(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    repo = project(make_repo, f"http://127.0.0.1:{closed_port()}/team/prod")
    text = repo.path / "pyproject.toml"
    text.write_text(
        text.read_text() + 'testing = { index = "http://index.example.org/team/staging" }\n'
    )
    repo.add()
    repo.commit("an insecure testing index")
    repo.tag("v1.1")
    run([*packkit_cli, "build"], cwd=repo.path)
    proc = publish(packkit_cli, repo, scm_env, "--channel", "testing")
    assert proc.returncode == 1
    assert (
        "the testing index http://index.example.org/team/staging is plain http to another "
        "machine: the password would be sent in the clear"
    ) in proc.stderr


def test_a_server_that_is_down_is_said_plainly(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    index = f"http://127.0.0.1:{closed_port()}/team/prod"
    repo = project(make_repo, index)
    run([*packkit_cli, "build"], cwd=repo.path)
    proc = publish(packkit_cli, repo, scm_env)
    assert proc.returncode == 1
    assert (
        f"cannot connect to {index}: the connection was refused (is the server down?) "
        "(nothing was uploaded)"
    ) in proc.stderr
    assert "s3cret" not in proc.stdout + proc.stderr
    # `packkit channel --check` only warns: an index it cannot reach refuses nothing.
    checked = run([*packkit_cli, "channel", "--check"], cwd=repo.path, env=scm_env.as_dict())
    assert "warning: cannot tell whether 1.0 is already on the index" in checked.stderr


def test_without_credentials_nothing_is_uploaded(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    index = f"http://127.0.0.1:{closed_port()}/team/prod"
    repo = project(make_repo, index)
    run([*packkit_cli, "build"], cwd=repo.path)
    proc = run([*packkit_cli, "publish"], cwd=repo.path, env=scm_env.as_dict(), check=False)
    assert proc.returncode == 1
    assert f"no credentials for {index} (nothing was uploaded)" in proc.stderr
    assert "PACKKIT_PUBLISH_USERNAME" in proc.stderr


def test_a_server_that_never_answers_is_a_timeout(
    make_repo: Callable[..., Repo], scm_env: Env, packkit_cli: list[str]
) -> None:
    # The kernel accepts the connection (the backlog), and nothing ever answers.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        index = f"http://127.0.0.1:{silent.getsockname()[1]}/team/prod"
        repo = project(make_repo, index)
        run([*packkit_cli, "build"], cwd=repo.path)
        proc = publish(packkit_cli, repo, scm_env, PACKKIT_PUBLISH_TIMEOUT="0.5")
    assert proc.returncode == 1
    assert f"{index} did not answer within 0.5 s (timeout) (nothing was uploaded)" in proc.stderr
    assert "PACKKIT_PUBLISH_TIMEOUT" in proc.stderr
