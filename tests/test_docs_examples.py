"""Every example of ``README.md`` and ``docs/*.rst`` is run or checked, so the docs cannot drift.

``helpers.docs`` finds the literal blocks (``.. code-block::``, ``::`` and Markdown fences);
each becomes one test here, named after its page and line, and is handled by its language:

``toml``
   Must parse (``tomllib``). A ``pyproject.toml`` snippet (a ``[project]``,
   ``[build-system]``, ``[tool.packkit]``, ``[tool.setuptools_scm]`` or ``[tool.uv]`` table)
   is written into a small real project — a git repository tagged ``v1.4.0``, placed so that
   the snippet's ``root`` is its top; ``[project]`` completed with a name (the package the
   snippet names under ``src/``, else ``my-analysis``) and ``dynamic = ["version"]``; the
   package, modules, data folders and files the snippet names created — and
   ``packkit.Project.load(p).validate()`` must find no problem. A block marked ``error`` is
   a deliberately wrong example: packkit must find at least one.
``console``
   The ``$`` lines run, in order, in one ``bash`` in a real sample project (the *scenarios*
   below), with the packkit, ``python``, ``pip`` and ``uv`` of the venv running the tests; the
   lines after a command are its output (stdout and stderr together), compared with what
   it printed. A comment command ``$ # ... three commits later:`` makes that many commits.
``pycon`` (and ``python`` with ``>>>``)
   A doctest (``ELLIPSIS``, ``NORMALIZE_WHITESPACE``) in the scenario's folder, in a fresh
   namespace where ``packkit`` is already imported.
``python``
   A complete program: run with the venv's Python in the scenario's folder.
``yaml``
   Must parse (PyYAML); a GitHub Actions workflow must check out with ``fetch-depth: 0``.
``ini``
   Must parse (``configparser``).
``none`` (and anything else)
   Only with a ``check NAME`` marker (a check written below, such as the CLI synopsis
   against ``packkit CMD --help``) or a ``not-run`` one.

Placeholders, the only differences allowed between a documented output and the real one:

* ``...`` matches any text, within a line or over lines (doctest's ``ELLIPSIS``);
* commit ids: every ``g`` followed by 7 to 9 hex digits, and every 40-hex-digit id, stands
  for "some commit": the documented and the real output are compared after replacing each
  distinct id by its rank of first appearance, so the same commit must be shown with the same
  id throughout a block, and different commits with different ids.

Dates need no placeholder: the scenarios' commits have fixed dates (the last one of the
sample project on 2026-11-20) and ``SOURCE_DATE_EPOCH`` is fixed (2024-06-15), so
``node_date`` and ``.d<date>`` are what the docs show. Paths of the temporary folders are
written ``...`` in the docs.

Markers, RST comments ``.. docs-example: WORDS`` (Markdown: ``<!-- docs-example: WORDS -->``)
directly above a block:

``not-run (reason)``
   The block cannot run here (network, a PyPI upload, building packkit itself): the test is
   skipped with the reason, so ``pytest -ra`` lists every such block.
``error``
   A deliberately wrong ``pyproject.toml``.
``table tool.packkit``
   A TOML fragment of that table (keys without their header).
``scenario NAME``
   The sample project to run in (default: ``my-analysis``), from ``SCENARIOS``.
``file PATH`` / ``append PATH``
   The block is (or is appended to) the file PATH of the *next* runnable example on the
   page, relative to the folder it runs in; written before the scenario's first commit.
``check NAME``
   Checked by ``CHECKS[NAME]``.
"""

from __future__ import annotations

import builtins
import configparser
import doctest
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import packkit
import pytest
import yaml
from helpers.backend import locate_wheelhouse
from helpers.docs import DOCS_ROOT, Block, all_blocks, doc_pages
from helpers.git import Env

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

BLOCKS = all_blocks()
VENV_BIN = Path(sys.executable).parent

# --------------------------------------------------------------------------------------------
# Placeholders


COMMIT_ID = re.compile(r"(?<![0-9A-Za-z])(?:g[0-9a-f]{7,9}|[0-9a-f]{40})(?![0-9A-Za-z])")


class Ids:
    """Replaces each distinct commit id by ``g<N>`` / ``<commit N>``, N its rank in the text."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def __call__(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            rank = self.seen.setdefault(match[0], len(self.seen) + 1)
            return f"g<{rank}>" if match[0].startswith("g") else f"<commit {rank}>"

        return COMMIT_ID.sub(replace, text)


CHECKER = doctest.OutputChecker()


def matches(want: str, got: str, flags: int = doctest.ELLIPSIS) -> bool:
    return CHECKER.check_output(want, got, flags)


class IdsChecker(doctest.OutputChecker):
    """doctest's checker, after the commit-id placeholders."""

    def check_output(self, want: str, got: str, optionflags: int) -> bool:
        return super().check_output(Ids()(want), Ids()(got), optionflags)


# --------------------------------------------------------------------------------------------
# Scenarios: the sample projects the docs' stories happen in


DATE = "2026-11-20T12:00:00+00:00"  # what the console's own commits get
TAG_DATES = ["2026-11-17T10:00:00+00:00", "2026-11-18T10:00:00+00:00"]
AFTER_TAG_DATES = [
    "2026-11-18T11:00:00+00:00",
    "2026-11-19T11:00:00+00:00",
    "2026-11-20T11:00:00+00:00",
]

SAMPLE_PYPROJECT = """\
[build-system]
requires = ["packkit"]
build-backend = "packkit.backend"

[project]
name = "my-analysis"
dynamic = ["version"]
readme = "README.md"
license = "MIT"

[project.scripts]
my-analysis = "my_analysis.cli:main"

[tool.packkit]
exclude = ["*.ipynb"]
"""

SAMPLE_FILES = {
    "pyproject.toml": SAMPLE_PYPROJECT,
    "README.md": "# my-analysis\n\nNumbers, tables and a report.\n",
    "LICENSE": "MIT License\n\nCopyright (c) the my-analysis authors\n",
    "CHANGES.md": "- first version\n",
    ".gitignore": "dist/\n.venv/\n",
    "src/my_analysis/__init__.py": (
        '"""my-analysis: numbers, tables and a report."""\n\n'
        "from importlib.metadata import version\n\n"
        '__version__ = version("my-analysis")\n'
    ),
    "src/my_analysis/cli.py": "def main() -> None:\n    print('my-analysis')\n",
    "src/my_analysis/py.typed": "",
    "src/my_analysis/templates/report.html": "<h1>{{ title }}</h1>\n",
    "src/my_analysis/explore.ipynb": '{"cells": [], "nbformat": 4, "nbformat_minor": 5}\n',
}


@dataclass
class Workspace:
    """A temporary folder holding a scenario, and the environment its commands run in."""

    root: Path
    home: Path
    env: dict[str, str]
    cwd: Path = field(init=False)

    def __post_init__(self) -> None:
        self.cwd = self.root

    def git(self, where: Path, *args: str, date: str = DATE) -> str:
        env = {**self.env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        proc = subprocess.run(
            ["git", *args], cwd=where, env=env, capture_output=True, text=True, check=False
        )
        assert proc.returncode == 0, f"git {' '.join(args)} failed:\n{proc.stdout}{proc.stderr}"
        return proc.stdout.strip()

    def write(self, where: Path, files: dict[str, str]) -> None:
        for relpath, content in files.items():
            path = where / relpath
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")

    def repo(self, where: Path, files: dict[str, str], date: str) -> None:
        """``git init`` at ``where`` with ``files`` (and the page's files) in the first commit."""
        where.mkdir(parents=True, exist_ok=True)
        self.write(where, files)
        self.git(where, "init", "-q", "-b", "main")
        self.git(where, "add", "-A")
        self.git(where, "commit", "-q", "-m", "first version", date=date)

    def commits(self, where: Path, count: int, dates: list[str] | None = None) -> None:
        """``count`` commits that each add a line to CHANGES.md."""
        for index in range(count):
            with (where / "CHANGES.md").open("a", encoding="utf-8") as changes:
                changes.write(f"- change {index + 1}\n")
            self.git(where, "add", "CHANGES.md")
            date = dates[index] if dates else DATE
            self.git(where, "commit", "-q", "-m", f"change {index + 1}", date=date)


Scenario = Callable[[Workspace, dict[str, str]], None]


def my_analysis(ws: Workspace, files: dict[str, str], *, tag: bool = True, after: int = 3) -> None:
    """``my-analysis`` (tag v1.4.0, three commits after it, the last on 2026-11-20), with an
    untracked ``notes.txt`` and an empty ``not-a-project/``; ``other-project`` beside it
    (tag v2.1.0, seven commits after it)."""
    project = ws.root / "my-analysis"
    ws.cwd = project
    ws.repo(project, {**SAMPLE_FILES, **files}, TAG_DATES[0])
    if tag:
        ws.git(project, "tag", "-a", "v1.4.0", "-m", "my-analysis 1.4.0", date=TAG_DATES[0])
        ws.commits(project, after, AFTER_TAG_DATES[-after:] if after else None)
    (project / "notes.txt").write_text("to do: more plots\n", encoding="utf-8")
    (project / "not-a-project").mkdir()
    other = ws.root / "other-project"
    ws.repo(
        other,
        {"pyproject.toml": '[project]\nname = "other-project"\ndynamic = ["version"]\n'},
        TAG_DATES[0],
    )
    ws.git(other, "tag", "v2.1.0")
    ws.commits(other, 7)


def release(ws: Workspace, files: dict[str, str]) -> None:
    """``my-analysis`` with HEAD on its tag v1.4.0."""
    my_analysis(ws, files, after=0)


def untagged(ws: Workspace, files: dict[str, str]) -> None:
    """``my-analysis`` with one commit and no tag yet."""
    my_analysis(ws, files, tag=False)


def damaged(ws: Workspace, files: dict[str, str]) -> None:
    """``my-analysis`` whose commit before HEAD has been deleted from ``.git/objects``."""
    my_analysis(ws, files)
    commit = ws.git(ws.cwd, "rev-parse", "HEAD~1")
    (ws.cwd / ".git" / "objects" / commit[:2] / commit[2:]).unlink()


def monorepo(ws: Workspace, files: dict[str, str]) -> None:
    """``repo/`` with ``pkg-a`` and ``pkg-b``: pkg-a-v1.2.0 two commits back, pkg-b-v0.3.0 one."""
    repo = ws.root / "repo"
    ws.cwd = ws.root
    defaults = {
        f"repo/{name}/pyproject.toml": f'[project]\nname = "{name}"\ndynamic = ["version"]\n'
        for name in ("pkg-a", "pkg-b")
    }
    ws.write(ws.root, {**defaults, **files})
    ws.repo(repo, {}, TAG_DATES[0])
    ws.git(repo, "tag", "pkg-a-v1.2.0")
    ws.commits(repo, 1)
    ws.git(repo, "tag", "pkg-b-v0.3.0")
    ws.commits(repo, 1)


def shallow_remote(ws: Workspace, files: dict[str, str]) -> None:
    """``https://example.com/demo.git`` is, for git, a local repository (``insteadOf``): tag
    v1.0.0 four commits back; the clone is made by the block."""
    remote = ws.root.parent / "remote" / "demo"
    ws.repo(
        remote,
        {"pyproject.toml": '[project]\nname = "demo"\ndynamic = ["version"]\n', **files},
        TAG_DATES[0],
    )
    ws.git(remote, "tag", "v1.0.0")
    ws.commits(remote, 4)
    config = ws.home / ".gitconfig"
    config.write_text(
        f'[url "{remote.as_uri()}"]\n\tinsteadOf = https://example.com/demo.git\n',
        encoding="utf-8",
    )
    ws.env["GIT_CONFIG_GLOBAL"] = str(config)


def packkit_wheel(ws: Workspace, files: dict[str, str]) -> None:
    """A fresh venv first on ``PATH``, and ``dist/`` holding packkit's wheel."""
    venv = ws.root.parent / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, capture_output=True)
    ws.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{ws.env['PATH']}"
    ws.env["VIRTUAL_ENV"] = str(venv)
    wheelhouse = locate_wheelhouse(os.environ.get("PACKKIT_WHEELHOUSE"))
    shutil.copytree(wheelhouse, ws.root / "dist")
    ws.write(ws.root, files)


#: The commits of the ``conventional`` scenario after v1.4.0: (branch, message), oldest first.
CONVENTIONAL_COMMITS = [
    ("main", "fix: keep the legend inside the plot"),
    ("plots", "feat(plots): a violin plot"),
    ("plots", "docs: the violin plot in the tutorial"),
    ("main", "perf: cache the loaded data\n\nRefs #12"),
    ("main", "tidy up"),
    (
        "plots",
        "feat(plots)!: colours from the theme\n\nBREAKING CHANGE: `color=` is now `palette=`",
    ),
    ("main", "fix(io): read CSV files with a BOM"),
]


def conventional(ws: Workspace, files: dict[str, str]) -> None:
    """``my-analysis`` on its tag v1.4.0, then Conventional Commits on ``main`` and on a
    ``plots`` branch merged into it (``CONVENTIONAL_COMMITS``), each at its own fixed date."""
    my_analysis(ws, files, after=0)
    project = ws.cwd
    ws.git(project, "branch", "plots")
    for index, (branch, message) in enumerate(CONVENTIONAL_COMMITS):
        ws.git(project, "checkout", "-q", branch)
        with (project / f"{branch}.md").open("a", encoding="utf-8") as notes:
            notes.write(f"- change {index + 1}\n")
        ws.git(project, "add", f"{branch}.md")
        ws.git(project, "commit", "-q", "-m", message, date=f"2026-11-19T1{index}:00:00+00:00")
    ws.git(project, "checkout", "-q", "main")
    ws.git(project, "merge", "-q", "--no-ff", "-m", "Merge branch 'plots'", "plots")


SCENARIOS: dict[str, Scenario] = {
    "conventional": conventional,
    "my-analysis": my_analysis,
    "release": release,
    "untagged": untagged,
    "damaged": damaged,
    "monorepo": monorepo,
    "shallow-remote": shallow_remote,
    "packkit-wheel": packkit_wheel,
}


@pytest.fixture
def workspace(tmp_path: Path, scm_env: Env) -> Workspace:
    home = Path(os.environ["HOME"])
    env = dict(os.environ)
    for key in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX"):
        env.pop(key, None)
    for key in list(env):
        if key.startswith(("PIP_", "UV_")):
            del env[key]
    env.update(
        {
            "PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', os.defpath)}",
            "PYTHONUNBUFFERED": "1",
            "NO_COLOR": "1",
            "COLUMNS": "100",
            # Nothing from an index: what pip and uv install comes from a folder the block names.
            "PIP_NO_INDEX": "1",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_CACHE_DIR": str(home / ".cache" / "pip"),
            "UV_NO_INDEX": "1",
            "UV_CACHE_DIR": str(home / ".cache" / "uv"),
            "UV_PYTHON_DOWNLOADS": "never",
            "UV_NO_PROGRESS": "1",
        }
    )
    root = tmp_path / "work"
    root.mkdir()
    return Workspace(root, home, env)


def page_files(block: Block) -> dict[str, str]:
    """The ``file``/``append`` blocks just before ``block`` on its page (since the previous
    runnable example), as the files they make."""
    files: dict[str, str] = {}
    previous = [b for b in BLOCKS if b.page == block.page and b.line < block.line]
    for earlier in reversed(previous):
        if earlier.marker("file") is None and earlier.marker("append") is None:
            if is_runnable(earlier):
                break
            continue
        path = earlier.marker("file") or earlier.marker("append") or ""
        if path in files:
            continue
        if earlier.marker("append") is not None:
            base = SAMPLE_FILES.get(path, "")
            files[path] = base.rstrip("\n") + "\n\n" + earlier.text
        else:
            files[path] = earlier.text
    return files


def is_runnable(block: Block) -> bool:
    return block.marker("not-run") is None and block.lang in {"console", "pycon", "python"}


def set_up(block: Block, ws: Workspace) -> Workspace:
    name = block.marker("scenario") or "my-analysis"
    assert name in SCENARIOS, f"{block.where}: unknown scenario {name!r}"
    SCENARIOS[name](ws, page_files(block))
    if "wheelhouse" in block.text:
        # ~/wheelhouse: packkit's wheel (linked, not copied: it is large).
        wheelhouse = ws.home / "wheelhouse"
        wheelhouse.mkdir()
        for wheel in locate_wheelhouse(os.environ.get("PACKKIT_WHEELHOUSE")).glob("*.whl"):
            (wheelhouse / wheel.name).symlink_to(wheel)
    return ws


@pytest.fixture
def chdir() -> Iterator[Callable[[Path], None]]:
    old = Path.cwd()
    yield os.chdir
    os.chdir(old)


# --------------------------------------------------------------------------------------------
# console


NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
COMMITS_LATER = re.compile(r"^#\s*\.\.\.\s*(\w+) commits? later:?$")
SEPARATOR = "\x1edocs-example\x1e"


@dataclass
class Command:
    line: str
    output: str = ""


def transcript(block: Block) -> list[Command]:
    commands: list[Command] = []
    for line in block.text.splitlines(keepends=True):
        if line.startswith("$ ") or line.rstrip() == "$":
            commands.append(Command(line[2:].rstrip("\n")))
        else:
            assert commands, f"{block.where}: output before the first `$` command: {line!r}"
            commands[-1].output += line
    return commands


def shell_line(command: str) -> str:
    later = COMMITS_LATER.match(command.strip())
    if later:
        count = NUMBERS.get(later[1]) or int(later[1])
        return f"__docs_commits {count}"
    return command


SCRIPT_HEAD = """\
__docs_commits() {
    for __i in $(seq "$1"); do
        echo "- change $__i" >> CHANGES.md && git add CHANGES.md && git commit -qm "change $__i"
    done
}
"""


def run_console(block: Block, ws: Workspace) -> None:
    commands = transcript(block)
    script = [SCRIPT_HEAD]
    for command in commands:
        script.append(shell_line(command.line))
        script.append(f'__rc=$?; printf "{SEPARATOR}%d{SEPARATOR}" $__rc; (exit $__rc)')
    env = {**ws.env, "GIT_AUTHOR_DATE": DATE, "GIT_COMMITTER_DATE": DATE}
    proc = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=ws.cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        timeout=600,
    )
    pieces = proc.stdout.split(SEPARATOR)
    assert len(pieces) == 2 * len(commands) + 1, f"the script stopped early:\n{proc.stdout}"
    outputs, codes = pieces[0::2], [int(code) for code in pieces[1::2]]
    want_ids, got_ids = Ids(), Ids()
    wanted, got, failed = [], [], []
    for index, (command, output, code) in enumerate(zip(commands, outputs, codes, strict=False)):
        if output and not output.endswith("\n"):
            output += "\n"
        want, real = want_ids(command.output), got_ids(output)
        wanted.append(f"$ {command.line}\n{command.output}")
        got.append(f"$ {command.line}\n{output}" + (f"[exit code {code}]\n" if code else ""))
        if not matches(want, real):
            failed.append(command.line)
        # A command fails only where the docs show it: an error in its output, or its exit
        # code printed by the next command.
        shown = "error" in command.output.lower() or (
            index + 1 < len(commands) and commands[index + 1].line.strip() == "echo $?"
        )
        if code != 0 and not shown:
            failed.append(f"{command.line} (exit code {code})")
    assert not failed, (
        f"{block.where}: the output of {failed} differs from the docs.\n"
        f"--- documented\n{''.join(wanted)}--- real\n{''.join(got)}"
    )


# --------------------------------------------------------------------------------------------
# Python


def run_doctest(block: Block, ws: Workspace, chdir: Callable[[Path], None]) -> None:
    chdir(ws.cwd)
    parser = doctest.DocTestParser()
    test = parser.get_doctest(block.text, {"packkit": packkit}, block.where, block.page, block.line)
    assert test.examples, f"{block.where}: no >>> example"
    runner = doctest.DocTestRunner(
        checker=IdsChecker(),
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    out = io.StringIO()
    result = runner.run(test, out=out.write)
    assert result.failed == 0, out.getvalue()


def run_program(block: Block, ws: Workspace) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", block.text],
        cwd=ws.cwd,
        env=ws.env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert proc.returncode == 0, f"{block.where}: the program failed:\n{proc.stdout}{proc.stderr}"


# --------------------------------------------------------------------------------------------
# TOML


PYPROJECT_TABLES = ("project", "build-system")
PYPROJECT_TOOLS = ("packkit", "setuptools_scm", "uv")


def is_pyproject(data: dict[str, object]) -> bool:
    tools = data.get("tool")
    return any(key in data for key in PYPROJECT_TABLES) or (
        isinstance(tools, dict) and any(key in tools for key in PYPROJECT_TOOLS)
    )


def module_file(dotted: str) -> str:
    return "src/" + dotted.replace(".", "/") + ".py"


def complete_project(text: str, data: dict[str, object]) -> tuple[str, dict[str, str]]:
    """The snippet completed into a pyproject.toml, and the files its project needs."""
    package = re.search(r"src/(\w+)/", text)
    name = package[1].replace("_", "-") if package else "my-analysis"
    project = data.get("project")
    if not isinstance(project, dict):
        text = f'[project]\nname = "{name}"\ndynamic = ["version"]\n\n{text}'
        project = {"name": name}
    else:
        name = str(project.get("name", name))
        if "name" not in project:
            raise AssertionError("a [project] table without a name: give it one")
    import_name = re.sub(r"[-.]+", "_", name).lower()
    files = {f"src/{import_name}/__init__.py": ""}
    for target in dict(project.get("scripts", {}) or {}).values():
        files[module_file(str(target).split(":")[0])] = "def main() -> None: ...\n"
    tools = data.get("tool", {})
    assert isinstance(tools, dict)
    settings = {**tools.get("setuptools_scm", {}), **tools.get("packkit", {})}
    for path in settings.get("packages", []):
        files[path if path.endswith(".py") else f"{path}/__init__.py"] = ""
    for pattern in settings.get("include", []):
        files[pattern.replace("*", "example")] = "example\n"
    for folder in dict(settings.get("data", {})).values():
        files[f"{folder}/example"] = "example\n"
    return text, files


def check_pyproject(block: Block, text: str, tmp_path: Path, env: Env) -> list[packkit.Problem]:
    data = tomllib.loads(text)
    text, files = complete_project(text, data)
    settings = {
        **data.get("tool", {}).get("setuptools_scm", {}),
        **data.get("tool", {}).get("packkit", {}),
    }
    project = tmp_path / "project"
    top = (project / settings.get("root", ".")).resolve() if "root" in settings else project
    if top != project and top in project.parents:
        project = tmp_path / "top" / project.relative_to(tmp_path)
        top = (project / settings["root"]).resolve()
    project.mkdir(parents=True, exist_ok=True)
    (project / "pyproject.toml").write_text(text, encoding="utf-8")
    for relpath, content in files.items():
        path = project / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    git_env = {**os.environ, "GIT_AUTHOR_DATE": DATE, "GIT_COMMITTER_DATE": DATE}
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "-A"],
        ["commit", "-qm", "x"],
        ["tag", "v1.4.0"],
    ):
        subprocess.run(["git", *args], cwd=top, env=git_env, check=True, capture_output=True)
    return packkit.Project.load(project).validate()


def run_toml(block: Block, tmp_path: Path, env: Env) -> None:
    text = block.text
    table = block.marker("table")
    if table is not None:
        text = f"[{table}]\n{text}"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise AssertionError(f"{block.where}: not valid TOML: {error}") from error
    if not is_pyproject(data):
        assert block.marker("error") is None, (
            f"{block.where}: `error` on a block packkit does not read"
        )
        return
    problems = check_pyproject(block, text, tmp_path, env)
    listing = "\n".join(problem.text for problem in problems)
    if block.marker("error") is not None:
        assert problems, f"{block.where}: marked as a wrong example, but packkit finds no problem"
    else:
        assert not problems, f"{block.where}: packkit finds problems:\n{listing}"


# --------------------------------------------------------------------------------------------
# Other languages


def run_yaml(block: Block) -> None:
    data = yaml.safe_load(block.text)
    assert data is not None, f"{block.where}: an empty YAML document"
    checkouts = [
        step
        for step in _yaml_steps(data)
        if isinstance(step, dict) and str(step.get("uses", "")).startswith("actions/checkout")
    ]
    for step in checkouts:
        assert step.get("with", {}).get("fetch-depth") == 0, (
            f"{block.where}: actions/checkout without `fetch-depth: 0` loses the tags"
        )


def _yaml_steps(data: object) -> Iterator[object]:
    if isinstance(data, list):
        for item in data:
            yield item
            yield from _yaml_steps(item)
    elif isinstance(data, dict):
        for value in data.values():
            yield from _yaml_steps(value)


def run_ini(block: Block) -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(block.text, source=block.where)
    assert parser.sections(), f"{block.where}: no section"


# --------------------------------------------------------------------------------------------
# Named checks of blocks that are not examples to run


def check_cli_synopsis(block: Block, ws: Workspace) -> None:
    """The synopsis names every command and every long option of ``packkit CMD --help``."""
    packkit_cli = str(VENV_BIN / "packkit")
    top = subprocess.run([packkit_cli, "--help"], capture_output=True, text=True, check=True)
    commands = set(re.findall(r"^  (\w+)  ", top.stdout, re.MULTILINE)) - {"help"}
    synopsis: dict[str, set[str]] = {}
    current = ""
    for line in block.text.splitlines():
        words = line.split()
        if line.startswith("packkit ") and len(words) > 1 and not words[1].startswith(("-", "<")):
            current = words[1]
            synopsis.setdefault(current, set())
        elif not line.startswith(" "):
            current = ""
        if current:
            synopsis[current] |= set(re.findall(r"--[\w-]+", line))
    assert set(synopsis) == commands, (
        f"commands: documented {sorted(synopsis)}, real {sorted(commands)}"
    )
    for command in sorted(commands):
        help_text = subprocess.run(
            [packkit_cli, command, "--help"], capture_output=True, text=True, check=True
        ).stdout
        options = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", help_text, re.MULTILINE)) - {"--help"}
        assert synopsis[command] == options, (
            f"packkit {command}: the synopsis has {sorted(synopsis[command])}, "
            f"`--help` has {sorted(options)}"
        )
        section = cli_section(block, f"packkit {command}")
        missing = sorted(option for option in options if f"``{option}" not in section)
        assert not missing, f"the section `packkit {command}` does not describe {missing}"


def cli_section(block: Block, title: str) -> str:
    """The text of the section ``title`` of the block's page (up to the next section)."""
    text = (DOCS_ROOT / block.page).read_text(encoding="utf-8")
    match = re.search(
        rf"^{re.escape(title)}\n-+\n(?P<body>.*?)(?=^\S[^\n]*\n-{{3,}}\n|\Z)",
        text,
        re.MULTILINE | re.DOTALL,
    )
    assert match, f"{block.page} has no section `{title}`"
    return match["body"]


def check_error_tree(block: Block, ws: Workspace) -> None:
    """Every class of the tree is a subclass of its parent and of what it says it also is."""
    from packkit import errors

    parents: list[tuple[int, type]] = []
    names = set()
    for line in block.text.splitlines():
        match = re.match(r"^(?P<lead>[│├└─ ]*)(?P<name>\w+)\s*(?:\((?P<note>.*)\))?", line)
        assert match, line
        depth = len(match["lead"]) // 4
        cls = getattr(errors, match["name"])
        names.add(match["name"])
        parents = parents[:depth]
        if parents:
            assert issubclass(cls, parents[-1][1]), f"{cls} is not a {parents[-1][1]}"
        also = re.search(r"also an? (\w+)", match["note"] or "")
        if also:
            assert issubclass(cls, getattr(builtins, also[1])), f"{cls} is not a {also[1]}"
        parents.append((depth, cls))
    real = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.PackkitError)
    }
    assert names == real, f"the tree shows {sorted(names)}, packkit.errors has {sorted(real)}"


def check_default_tag_regex(block: Block, ws: Workspace) -> None:
    """The documented default is setuptools_scm's, which packkit follows."""
    from vcs_versioning._config import DEFAULT_TAG_REGEX

    assert block.text.strip() == DEFAULT_TAG_REGEX.pattern


def check_archival_template(block: Block, ws: Workspace) -> None:
    from helpers.git import ARCHIVAL_TEMPLATE

    assert block.text == ARCHIVAL_TEMPLATE


def check_archival_result(block: Block, ws: Workspace) -> None:
    """The template and the attributes line of the page, committed, archived by ``git
    archive``: the archive's file reads as documented, and packkit reads the version from it."""
    on_page = [b for b in BLOCKS if b.page == block.page]
    template = next(b for b in on_page if b.marker("check") == "archival-template").text
    attributes = next(b for b in on_page if b.marker("check") == "archival-attributes").text
    repo = ws.root / "demo"
    ws.repo(
        repo,
        {
            ".git_archival.txt": template,
            ".gitattributes": attributes,
            "pyproject.toml": '[project]\nname = "demo"\ndynamic = ["version"]\n',
        },
        "2024-01-05T10:00:01Z",
    )
    ws.git(repo, "tag", "v1.0.0")
    ws.commits(repo, 2, ["2024-01-05T10:00:02Z", "2024-01-05T10:00:03Z"])
    data = subprocess.run(
        ["git", "archive", "--format=tar", "HEAD"],
        cwd=repo,
        env=ws.env,
        capture_output=True,
        check=True,
    ).stdout
    unpacked = ws.root / "unpacked"
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(unpacked, filter="data")
    archived = (unpacked / ".git_archival.txt").read_text(encoding="utf-8")
    ids = Ids()
    assert ids(archived) == Ids()(block.text), f"the archive's file:\n{archived}"
    describe = re.search(r"describe-name: (\S+)", archived)
    assert describe
    node = describe[1].rsplit("-", 1)[1]
    assert packkit.get_version(unpacked) == f"1.0.1.dev2+{node}"


def check_archival_attributes(block: Block, ws: Workspace) -> None:
    """Used by ``archival-result``; on its own, a one-line ``.gitattributes`` entry."""
    path, attribute = block.text.split()
    assert (path, attribute) == (".git_archival.txt", "export-subst")


CHECKS: dict[str, Callable[[Block, Workspace], None]] = {
    "cli-synopsis": check_cli_synopsis,
    "error-tree": check_error_tree,
    "default-tag-regex": check_default_tag_regex,
    "archival-template": check_archival_template,
    "archival-attributes": check_archival_attributes,
    "archival-result": check_archival_result,
}


# --------------------------------------------------------------------------------------------
# The tests


SLOW = re.compile(r"\b(pip|uv|tox|nox|python -m build|python -m venv)\b")


def block_param(block: Block) -> object:
    slow = block.lang == "console" and SLOW.search(
        "\n".join(line for line in block.text.splitlines() if line.startswith("$ "))
    )
    return pytest.param(block, id=block.where, marks=[pytest.mark.slow] if slow else [])


KNOWN_MARKERS = {"not-run", "error", "table", "scenario", "file", "append", "check"}


@pytest.mark.parametrize("block", [block_param(block) for block in BLOCKS])
def test_docs_example(
    block: Block,
    workspace: Workspace,
    tmp_path: Path,
    scm_env: Env,
    chdir: Callable[[Path], None],
) -> None:
    for marker in block.markers:
        assert marker.split()[0] in KNOWN_MARKERS, f"{block.where}: unknown marker {marker!r}"
    reason = block.marker("not-run")
    if reason is not None:
        assert re.fullmatch(r"\(.+\)", reason), f"{block.where}: `not-run` needs a (reason)"
        # Not run (it needs the network, or is a diagram), but still parsed: its syntax is
        # checked, and the reason is in the docs source beside it.
        parse(block)
        return
    check = block.marker("check")
    if check is not None:
        assert check in CHECKS, f"{block.where}: unknown check {check!r}"
        CHECKS[check](block, workspace)
    elif block.lang == "toml":
        run_toml(block, tmp_path, scm_env)
    elif block.lang in {"yaml", "ini"}:
        parse(block)
    elif block.marker("file") is not None or block.marker("append") is not None:
        parse(block)  # a file of the next example on the page, which runs with it
    elif block.lang == "console":
        run_console(block, set_up(block, workspace))
    elif block.lang in {"pycon", "python"} and ">>>" in block.text:
        run_doctest(block, set_up(block, workspace), chdir)
    elif block.lang == "python":
        run_program(block, set_up(block, workspace))
    else:
        raise AssertionError(
            f"{block.where}: a `{block.lang}` block that is neither run nor checked: "
            "give it a `check NAME` or a `not-run (reason)` marker"
        )


def parse(block: Block) -> None:
    """The syntax check of the block's language, where there is one."""
    if block.lang == "toml":
        table = block.marker("table")
        tomllib.loads(f"[{table}]\n{block.text}" if table else block.text)
    elif block.lang == "yaml":
        run_yaml(block)
    elif block.lang == "ini":
        run_ini(block)
    elif block.lang == "python" and ">>>" not in block.text:
        compile(block.text, block.where, "exec")


def test_every_page_is_read() -> None:
    """The reader finds as many blocks on each page as a plain count of their openings."""
    pages = doc_pages()
    assert {page.name for page in pages} >= {"README.md", "index.rst", "cli.rst", "recipes.rst"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        if page.suffix == ".md":
            expected = len(re.findall(r"^\s*```", text, re.MULTILINE)) // 2
        else:
            directives = re.findall(r"^\s*\.\. code-block::", text, re.MULTILINE)
            literals = re.findall(r"^(?!\s*\.\. )\s*\S.*::\s*$", text, re.MULTILINE)
            expected = len(directives) + len(literals)
        found = [block for block in BLOCKS if DOCS_ROOT / block.page == page]
        assert len(found) == expected, f"{page.name}: {len(found)} blocks found, {expected} written"


def test_the_reader_finds_every_kind_of_block() -> None:
    """Nested directives with options, ``::`` literal blocks and markers, in both syntaxes."""
    from helpers.docs import markdown_blocks, rst_blocks

    rst = """\
Title
=====

A paragraph ending in a literal block::

   raw text

.. py:function:: f()

   .. docs-example: scenario release
   .. docs-example: not-run (a reason)

   .. code-block:: console
      :caption: a caption

      $ packkit version
      1.4.0

   After.

.. code-block:: toml

   [tool.packkit]
"""
    blocks = rst_blocks(rst, "page.rst")
    assert [(b.line, b.lang, b.text, b.markers) for b in blocks] == [
        (4, "none", "raw text\n", ()),
        (13, "console", "$ packkit version\n1.4.0\n", ("scenario release", "not-run (a reason)")),
        (21, "toml", "[tool.packkit]\n", ()),
    ]
    assert blocks[1].marker("not-run") == "(a reason)"
    assert blocks[1].marker("scenario") == "release"
    assert blocks[1].marker("check") is None

    markdown = """\
Text

<!-- docs-example: not-run (CI) -->
  ```sh
  bash .ci/run
  ```

```
plain
```
"""
    found = markdown_blocks(markdown, "README.md")
    assert [(b.line, b.lang, b.text, b.markers) for b in found] == [
        (4, "sh", "bash .ci/run\n", ("not-run (CI)",)),
        (8, "none", "plain\n", ()),
    ]


def test_the_placeholders_keep_commits_apart() -> None:
    """The same commit must keep its id within a block; two commits must not share one."""
    same = "1.4.1.dev3+g6480c421f\n{'node': 'g6480c421f'}\n"
    assert matches(Ids()(same), Ids()("1.4.1.dev3+gabcdef012\n{'node': 'gabcdef012'}\n"))
    assert not matches(Ids()(same), Ids()("1.4.1.dev3+gabcdef012\n{'node': 'g999999999'}\n"))
    assert not matches(Ids()("d20240615\n"), Ids()("d20240616\n"))
