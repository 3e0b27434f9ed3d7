"""Malformed ``pyproject.toml`` files: every problem named by file, line, column and key.

Each case is one broken file with exactly one problem. ``«key»`` markers in its text say where
the problem is and which dotted key it must name: the marker is removed and its position
becomes the expected ``line:column`` (a case may accept several places, e.g. the key or its
value). ``packkit check`` must exit 1 and print ``path:line:column: `key`: message``, and
``packkit.Project.load(path).validate()`` must return the same problem as fields.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import packkit
import pytest
from helpers.backend import Backend, run

MARKER = re.compile(r"«([^»]*)»")


@dataclass(frozen=True)
class Marker:
    """A place a problem may be reported at: its key, line, and the columns of the token."""

    key: str | None
    line: int
    columns: range

    def matches(self, problem: packkit.Problem) -> bool:
        return (
            problem.key == self.key
            and problem.line == self.line
            and problem.column is not None
            and problem.column in self.columns
        )

    def __str__(self) -> str:
        last = self.columns[-1]
        where = f"{self.columns.start}" + (f"-{last}" if last != self.columns.start else "")
        return f"{self.key} at {self.line}:{where}"


def token_length(text: str) -> int:
    """Length of the TOML token at the start of ``text``: a whole string literal (a problem may
    point anywhere inside it, e.g. at the bad character of a requirement), otherwise the first
    character of a table or array, or a bare word."""
    if text.startswith('"'):
        return text.index('"', 1) + 1
    if text[:1] in ("[", "{"):
        return 1
    return len(re.split(r"[\s,\]}=]", text, maxsplit=1)[0]) or 1


@dataclass(frozen=True)
class Case:
    id: str
    marked: str
    #: Substring the hint must contain (e.g. the did-you-mean suggestion).
    hint: str | None = None
    #: Extra files of the project, besides src/demo/__init__.py, README.md and LICENSE.
    files: dict[str, str] = field(default_factory=dict)
    #: A TOML syntax error: no key, and only the line is checked (parsers differ on columns).
    syntax: bool = False

    @property
    def source(self) -> str:
        return textwrap.dedent(self.marked).lstrip("\n")

    @property
    def text(self) -> str:
        return MARKER.sub("", self.source)

    @property
    def markers(self) -> list[Marker]:
        """Where the problem may be reported, from the ``«key»`` markers."""
        found = []
        for match in MARKER.finditer(self.source):
            before = MARKER.sub("", self.source[: match.start()])
            after = MARKER.sub("", self.source[match.end() :])
            line = before.count("\n") + 1
            column = len(before.rsplit("\n", 1)[-1]) + 1
            key = match.group(1) or None
            found.append(Marker(key, line, range(column, column + token_length(after))))
        assert found, f"case {self.id} has no marker"
        return found

    def matching(self, problem: packkit.Problem) -> list[Marker]:
        if self.syntax:
            return [m for m in self.markers if problem.key is None and problem.line == m.line]
        return [m for m in self.markers if m.matches(problem)]


CASES = [
    # ---- TOML itself
    Case(
        "toml-unclosed-string",
        """
        [project]
        «»name = "demo
        version = "1.0"
        """,
        syntax=True,
    ),
    Case(
        "toml-duplicate-key",
        """
        [project]
        name = "demo"
        version = "1.0"
        «»version = "2.0"
        """,
        syntax=True,
    ),
    Case(
        "project-not-a-table",
        """
        «project»project = «project»"demo"
        """,
    ),
    # ---- name and version
    Case(
        "name-wrong-type",
        """
        [project]
        name = «project.name»123
        version = "1.0"
        """,
    ),
    Case(
        "name-invalid",
        """
        [project]
        name = «project.name»"-demo-"
        version = "1.0"
        """,
    ),
    Case(
        "name-missing",
        """
        «project.name»[project]
        version = "1.0"
        """,
    ),
    Case(
        "version-wrong-type",
        """
        [project]
        name = "demo"
        version = «project.version»1
        """,
    ),
    Case(
        "version-invalid",
        """
        [project]
        name = "demo"
        version = «project.version»"one point oh"
        """,
    ),
    Case(
        "version-missing-and-not-dynamic",
        """
        «project.version»[project]
        «project.version»name = "demo"
        """,
    ),
    Case(
        "version-static-and-dynamic",
        """
        [project]
        name = "demo"
        «project.version»version = «project.version»"1.0"
        dynamic = [«project.dynamic[0]»"version"]
        """,
    ),
    Case(
        "dynamic-name",
        """
        [project]
        name = "demo"
        version = "1.0"
        dynamic = [«project.dynamic[0]»"name"]
        """,
    ),
    Case(
        "dynamic-unknown-field",
        """
        [project]
        name = "demo"
        dynamic = ["version", «project.dynamic[1]»"dependecies"]
        """,
        hint="dependencies",
    ),
    # ---- unknown keys
    Case(
        "project-unknown-key",
        """
        [project]
        name = "demo"
        version = "1.0"
        «project.homepage»homepage = "https://example.org"
        """,
    ),
    Case(
        "project-key-typo",
        """
        [project]
        name = "demo"
        version = "1.0"
        «project.dependecies»dependecies = ["packaging"]
        """,
        hint="did you mean `dependencies`",
    ),
    # ---- description and readme
    Case(
        "description-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        description = «project.description»["a", "list"]
        """,
    ),
    Case(
        "readme-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        readme = «project.readme»1
        """,
    ),
    Case(
        "readme-file-missing",
        """
        [project]
        name = "demo"
        version = "1.0"
        readme = «project.readme»"MISSING.md"
        """,
    ),
    Case(
        "readme-unknown-extension",
        """
        [project]
        name = "demo"
        version = "1.0"
        readme = «project.readme»"README.docx"
        """,
        files={"README.docx": "not a readme format\n"},
    ),
    Case(
        "readme-unknown-content-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        readme = { text = "hi", content-type = «project.readme.content-type»"text/html" }
        """,
    ),
    Case(
        "readme-file-and-text",
        """
        [project]
        name = "demo"
        version = "1.0"
        readme = «project.readme»{ file = "README.md", «project.readme.text»text = «project.readme.text»«project.readme»"hi", content-type = "text/markdown" }
        """,  # noqa: E501
    ),
    # ---- requires-python
    Case(
        "requires-python-bad-specifier",
        """
        [project]
        name = "demo"
        version = "1.0"
        requires-python = «project.requires-python»">=3.x"
        """,
    ),
    Case(
        "requires-python-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        requires-python = «project.requires-python»3.10
        """,
    ),
    # ---- license
    Case(
        "license-bad-spdx",
        """
        [project]
        name = "demo"
        version = "1.0"
        license = «project.license»"MIT-ish"
        """,
    ),
    Case(
        "license-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        license = «project.license»3
        """,
    ),
    Case(
        "license-files-unmatched-glob",
        """
        [project]
        name = "demo"
        version = "1.0"
        license = "MIT"
        license-files = ["LICENSE", «project.license-files[1]»"COPYING*"]
        """,
    ),
    Case(
        "license-files-parent-dir",
        """
        [project]
        name = "demo"
        version = "1.0"
        license = "MIT"
        license-files = [«project.license-files[0]»"../LICENSE"]
        """,
    ),
    Case(
        "license-files-with-legacy-license-table",
        """
        [project]
        name = "demo"
        version = "1.0"
        «project.license»license = «project.license»{ text = "MIT" }
        «project.license-files»license-files = «project.license-files»["LICENSE"]
        """,
    ),
    # ---- people
    Case(
        "authors-not-tables",
        """
        [project]
        name = "demo"
        version = "1.0"
        authors = [«project.authors[0]»"Jane Doe <jane@example.org>"]
        """,
    ),
    Case(
        "authors-unknown-key",
        """
        [project]
        name = "demo"
        version = "1.0"
        authors = [{ name = "Jane", «project.authors[0].mail»mail = "jane@example.org" }]
        """,
    ),
    Case(
        "authors-bad-email",
        """
        [project]
        name = "demo"
        version = "1.0"
        authors = [{ email = «project.authors[0].email»"not an email" }]
        """,
    ),
    Case(
        "authors-name-with-comma",
        """
        [project]
        name = "demo"
        version = "1.0"
        authors = [{ name = «project.authors[0].name»"Doe, Jane" }]
        """,
    ),
    Case(
        "maintainers-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        maintainers = «project.maintainers»{ name = "Jane" }
        """,
    ),
    # ---- keywords, classifiers, urls
    Case(
        "keywords-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        keywords = «project.keywords»"a, b"
        """,
    ),
    Case(
        "classifier-bad-format",
        """
        [project]
        name = "demo"
        version = "1.0"
        classifiers = ["Programming Language :: Python :: 3", «project.classifiers[1]»"NotAClassifier"]
        """,  # noqa: E501
    ),
    Case(
        "urls-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        urls = { Homepage = «project.urls.Homepage»1 }
        """,
    ),
    # ---- dependencies
    Case(
        "dependencies-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"
        dependencies = «project.dependencies»"packaging"
        """,
    ),
    Case(
        "dependency-bad-requirement",
        """
        [project]
        name = "demo"
        version = "1.0"
        dependencies = ["packaging>=24", «project.dependencies[1]»"bad req!"]
        """,
    ),
    Case(
        "dependency-bad-specifier",
        """
        [project]
        name = "demo"
        version = "1.0"
        dependencies = [«project.dependencies[0]»"numpy=>1.26"]
        """,
    ),
    Case(
        "optional-dependency-bad-requirement",
        """
        [project]
        name = "demo"
        version = "1.0"

        [project.optional-dependencies]
        test = ["pytest", «project.optional-dependencies.test[1]»"pytest>"]
        """,
    ),
    # ---- entry points
    Case(
        "script-bad-reference",
        """
        [project]
        name = "demo"
        version = "1.0"

        [project.scripts]
        demo = «project.scripts.demo»"demo cli:main"
        """,
    ),
    Case(
        "gui-script-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"

        [project.gui-scripts]
        demo-gui = «project.gui-scripts.demo-gui»1
        """,
    ),
    Case(
        "entry-points-console-scripts-group",
        """
        [project]
        name = "demo"
        version = "1.0"

        «project.entry-points.console_scripts»[project.entry-points.«project.entry-points.console_scripts»console_scripts]
        demo = "demo:main"
        """,
        hint="project.scripts",
    ),
    Case(
        "entry-point-bad-reference",
        """
        [project]
        name = "demo"
        version = "1.0"

        [project.entry-points.demo_plugins]
        basic = «project.entry-points.demo_plugins.basic»"demo plugins:Basic"
        """,
    ),
    # ---- [tool.packkit]
    Case(
        "packkit-unknown-key",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        «tool.packkit.pakages»pakages = ["src/demo"]
        """,
        hint="did you mean `packages`",
    ),
    Case(
        "packkit-bad-include-glob",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        include = [«tool.packkit.include[0]»"src/[a"]
        """,
    ),
    Case(
        "packkit-include-outside-project",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        include = [«tool.packkit.include[0]»"../secret.txt"]
        """,
    ),
    Case(
        "packkit-exclude-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        exclude = «tool.packkit.exclude»"*.log"
        """,
    ),
    Case(
        "packkit-packages-outside-project",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        packages = [«tool.packkit.packages[0]»"../elsewhere"]
        """,
    ),
    Case(
        "packkit-packages-missing",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        packages = [«tool.packkit.packages[0]»"src/nope"]
        """,
    ),
    Case(
        "packkit-namespace-wrong-type",
        """
        [project]
        name = "demo"
        version = "1.0"

        [tool.packkit]
        namespace = «tool.packkit.namespace»"yes"
        """,
    ),
    Case(
        "packkit-unknown-version-scheme",
        """
        [project]
        name = "demo"
        dynamic = ["version"]

        [tool.packkit]
        version-scheme = «tool.packkit.version-scheme»"guess-next-devv"
        """,
        hint="guess-next-dev",
    ),
]


def make_project(root: Path, text: str, files: dict[str, str] | None = None) -> Path:
    """A project that would build but for its pyproject.toml: a package, and a git checkout
    with a commit, so that a dynamic version is found."""
    (root / "src" / "demo").mkdir(parents=True)
    (root / "src" / "demo" / "__init__.py").write_text('"""Demo."""\n')
    (root / "README.md").write_text("# demo\n")
    (root / "LICENSE").write_text("MIT License\n")
    for relpath, content in (files or {}).items():
        (root / relpath).write_text(content)
    (root / "pyproject.toml").write_text(text, encoding="utf-8")
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.org"]
    run(["git", "init", "-q", root])
    run(["git", "-C", root, "add", "-A"])
    run(["git", "-C", root, *identity, "commit", "-q", "-m", "demo"])
    return root


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_malformed_pyproject_names_file_line_column_and_key(
    case: Case, backend: Backend, packkit_cli: list[str]
) -> None:
    project = make_project(backend.tmp(case.id) / "demo", case.text, case.files)
    pyproject = project / "pyproject.toml"
    accepted = ", ".join(map(str, case.markers))

    proc = run([*packkit_cli, "check", project], check=False)
    assert proc.returncode == 1, (
        f"`packkit check` exited {proc.returncode}; expected 1 and a problem at one of "
        f"{accepted}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    )
    problems = packkit.Project.load(project).validate()
    assert len(problems) == 1, "expected exactly one problem, got:\n" + "\n".join(
        p.text for p in problems
    )
    (problem,) = problems
    assert problem.path == str(pyproject)
    assert problem.line is not None and problem.column is not None, problem.text
    assert case.matching(problem), (
        f"expected {accepted}; got {problem.key} at {problem.line}:{problem.column}: {problem.text}"
    )
    location = f"{pyproject}:{problem.line}:{problem.column}: "
    if problem.key is not None:
        location += f"`{problem.key}`: "
    assert location in proc.stderr, proc.stderr
    assert problem.text in proc.stderr, proc.stderr
    assert problem.message and problem.message in problem.text
    if case.hint is not None:
        assert problem.hint is not None and case.hint in problem.hint, problem.text
        assert f"hint: {problem.hint}" in proc.stderr


SEVERAL = """
[project]
name = "demo"
version = "1.0"
license = «project.license»"MIT-ish"
dependencies = ["packaging", «project.dependencies[1]»"bad req!"]
«project.homepage»homepage = "https://example.org"

[tool.packkit]
«tool.packkit.pakages»pakages = ["src/demo"]
include = [«tool.packkit.include[0]»"src/[a"]
"""

SEVERAL_PACKKIT = """
[project]
name = "demo"
version = "1.0"

[tool.packkit]
«tool.packkit.pakages»pakages = ["src/demo"]
exclude = «tool.packkit.exclude»"*.log"
namespace = «tool.packkit.namespace»"yes"
"""


@pytest.mark.parametrize("marked", [SEVERAL, SEVERAL_PACKKIT], ids=["everywhere", "tool-packkit"])
def test_every_problem_is_reported_at_once(
    marked: str, backend: Backend, packkit_cli: list[str]
) -> None:
    several = Case("several", marked)
    project = make_project(backend.tmp("several") / "demo", several.text)
    problems = packkit.Project.load(project).validate()
    report = "\n".join(p.text for p in problems)
    for marker in several.markers:
        assert sum(marker.matches(p) for p in problems) == 1, f"{marker} not reported:\n{report}"
    assert len(problems) == len(several.markers), report
    proc = run([*packkit_cli, "check", project], check=False)
    assert proc.returncode == 1
    assert f"{len(several.markers)} problems" in proc.stderr, proc.stderr
    for problem in problems:
        assert problem.text in proc.stderr


BUILD_CASES = [c for c in CASES if c.id in {"dependency-bad-requirement", "license-bad-spdx"}]


@pytest.mark.parametrize("case", BUILD_CASES, ids=[c.id for c in BUILD_CASES])
def test_builds_fail_with_the_same_located_error(
    case: Case, backend: Backend, packkit_cli: list[str]
) -> None:
    project = make_project(backend.tmp(case.id) / "demo", case.text)
    (problem,) = packkit.Project.load(project).validate()
    assert case.matching(problem), problem.text
    located = f"{project / 'pyproject.toml'}:{problem.line}:{problem.column}: `{problem.key}`: "
    out = project.parent / "out"
    for build in (packkit.build_wheel, packkit.build_sdist):
        with pytest.raises(packkit.ConfigError) as excinfo:
            build(project, out)
        error = excinfo.value
        assert (error.key, error.line, error.column) == (problem.key, problem.line, problem.column)
        assert error.problems == [problem]
        assert error.path == str(project / "pyproject.toml")
        assert located in str(error)
    assert not out.exists() or not list(out.iterdir())
    proc = run([*packkit_cli, "build", project], check=False)
    assert proc.returncode == 1
    assert located in proc.stderr
    assert not (project / "dist").exists() or not list((project / "dist").iterdir())
