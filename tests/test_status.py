"""``packkit.status()`` and ``packkit status``: the version now, the installed distribution
(found as ``importlib.metadata`` finds it, editable or not, stale or not, with the command
that fixes it), the git facts and the channel, on real repositories and real installs."""

from __future__ import annotations

import json
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import packkit
import pytest
from helpers.backend import Venv, run
from helpers.git import Repo


def analysis(make_repo: Callable[..., Repo], name: str = "analysis") -> Repo:
    repo = make_repo(name)
    repo.commit(
        files={
            "pyproject.toml": '[build-system]\nrequires = ["packkit"]\n'
            'build-backend = "packkit.backend"\n'
            f'[project]\nname = "{name}"\ndynamic = ["version"]\n',
            f"src/{name}/__init__.py": "",
        }
    )
    repo.tag("v1.2.0")
    return repo


def test_a_project_that_is_not_installed(make_repo: Callable[..., Repo]) -> None:
    repo = analysis(make_repo, "not-installed-anywhere")
    repo.commit()
    status = packkit.status(repo.path)
    assert (status.project, status.version) == (
        "not-installed-anywhere",
        f"1.2.1.dev1+g{repo.head()[:9]}",
    )
    assert (status.installed, status.editable, status.stale, status.fix) == (
        None,
        False,
        False,
        None,
    )
    assert (status.tag, status.distance, status.dirty_files) == ("v1.2.0", 1, 0)
    assert (status.branch, status.commit, status.channel) == ("main", repo.head(), "unstable")
    assert status.publishable is False  # a local version
    assert status.date == repo.git("log", "-1", "--format=%cd", "--date=format:%Y-%m-%d")
    assert status.root == repo.path
    assert status.to_dict()["installed"] is None
    assert str(status).splitlines()[0] == f"not-installed-anywhere {status.version}"


def test_dirty_files_are_counted(make_repo: Callable[..., Repo]) -> None:
    repo = analysis(make_repo)
    repo.write("src/analysis/__init__.py", "x = 1\n")
    repo.write("pyproject.toml", repo.path.joinpath("pyproject.toml").read_text() + "\n")
    repo.write("untracked.txt", "not counted\n")
    status = packkit.status(repo.path)
    assert status.dirty_files == 2
    assert "<td style='color:#b00020;font-weight:bold'><code>2</code>" in status._repr_html_()


def test_the_views_escape_what_git_holds(make_repo: Callable[..., Repo]) -> None:
    repo = analysis(make_repo)
    repo.checkout("<b>x&y</b>", create=True)
    status = packkit.status(repo.path)
    html = status._repr_html_()
    assert "<b>x&y</b>" not in html and "&lt;b&gt;x&amp;y&lt;/b&gt;" in html
    assert "<script" not in html.lower()
    markdown = status._repr_markdown_()
    assert markdown.startswith(f"**analysis** `{status.version}`")
    assert "| branch | `<b>x&y</b>` |" in markdown


def test_an_install_found_on_the_path(
    make_repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real (non-editable) install into a folder on ``sys.path``: found, stale once the
    source moves on."""
    repo = analysis(make_repo)
    wheel = packkit.build_wheel(repo.path, tmp_path / "dist")
    target = tmp_path / "site"
    run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", target, wheel])
    monkeypatch.syspath_prepend(str(target))
    status = packkit.status(repo.path)
    assert (status.installed, status.editable, status.stale) == ("1.2.0", False, False)
    repo.commit()
    status = packkit.status(repo.path)
    assert (status.installed, status.stale) == ("1.2.0", True)
    assert status.fix == f"pip install -e {repo.path}"
    assert "1.2.0, stale" in str(status)


@pytest.mark.slow
def test_an_editable_install_from_the_command_line(
    make_repo: Callable[..., Repo], install_venv: Venv, packkit_wheelhouse: Path
) -> None:
    repo = analysis(make_repo, "edited")
    install_venv.pip_install(
        "--no-build-isolation", "--no-deps", "-e", repo.path, wheelhouse=packkit_wheelhouse
    )
    packkit_script = install_venv.script("packkit")
    found = json.loads(run([packkit_script, "status", repo.path, "--format", "json"]).stdout)
    assert found["installed"]["version"] == "1.2.0"
    assert found["installed"]["editable"] is True
    assert (found["stale"], found["fix"], found["channel"]) == (False, None, "stable")
    repo.commit()
    found = json.loads(run([packkit_script, "status", repo.path, "--format", "json"]).stdout)
    assert found["stale"] is True and found["fix"] == f"pip install -e {repo.path}"
    text = run([packkit_script, "status", repo.path]).stdout
    assert "installed     1.2.0 (editable), stale" in text


@pytest.mark.slow
def test_the_notebook_view_renders_in_chromium(tmp_path: Path) -> None:
    """``scripts/status_screenshot.py`` (which makes docs/_static/status.png) renders the HTML
    view in headless Chromium: a PNG of the window's size with something drawn on it."""
    out = tmp_path / "status.png"
    script = Path(__file__).resolve().parent.parent / "scripts" / "status_screenshot.py"
    run([sys.executable, script, out])
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (760, 420)
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + length])
        at += 12 + length
    pixels = zlib.decompress(b"".join(chunks))
    # Not a blank page: the table's text and the highlighted rows give many byte values.
    assert len(set(pixels)) > 50
