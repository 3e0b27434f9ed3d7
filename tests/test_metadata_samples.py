"""Core metadata of a few rich projects, and the printed form of requirements, checked against
``packaging``.

packkit writes METADATA (``Project.metadata``) and PKG-INFO (in the sdist); each must parse with
``packaging.metadata.Metadata.from_email(text, validate=True)``. Every requirement is printed
exactly as ``str(packaging.requirements.Requirement(text))`` prints it, and under an extra with
``extra == "..."`` added the way packaging prints that marker.
"""

from __future__ import annotations

import json
import re
import sys
import tarfile
from pathlib import Path

import packkit
import pytest
from helpers.git import Env
from packaging.metadata import Metadata
from packaging.requirements import Requirement
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: The version packkit gives the projects that take theirs from git.
PRETEND_VERSION = "0.1.dev3+g1234abc"

#: name -> (pyproject.toml, other files of the project)
SAMPLES: dict[str, tuple[str, dict[str, str]]] = {
    "minimal": ('[project]\nname = "x"\nversion = "0"\n', {}),
    "rich": (
        r"""[project]
name = "Demo.Pkg"
version = "1.2.3-rc.1"
description = "A demo package – with ünïcode."
readme = "README.md"
requires-python = ">= 3.9, < 4"
license = "mit OR Apache-2.0 WITH LLVM-exception"
license-files = ["LICEN[CS]E*", "licenses/**/*.txt"]
authors = [
  { name = "Ada Lovelace", email = "ada@example.org" },
  { name = "J. R. \"Bob\" Dobbs", email = "bob@example.org" },
  { name = "Grace Hopper" },
  { email = "team@example.org" },
  { name = "Zoë Ünal", email = "zoe@example.org" },
]
maintainers = [{ name = "Linus" }, { name = "(nobody)", email = "nobody@example.org" }]
keywords = ["packaging", "git", "rust"]
classifiers = [
  "Development Status :: 4 - Beta",
  "Programming Language :: Python :: 3 :: Only",
  "Private :: Do Not Upload",
]
dependencies = [
  "Requests [socks, Security] >= 2.31 , < 3",
  "tomli ; python_version<'3.11'",
  "pywin32 >= 306; sys_platform == 'win32' and platform_python_implementation=='CPython'",
  "importlib_metadata; python_version < '3.10' or (implementation_name == 'pypy' and python_version < '3.11')",
  "pkg @ https://example.org/pkg-1.0-py3-none-any.whl ; os_name == 'nt'",
  "other (>=1.0,!=1.5.*)",
]
[project.optional-dependencies]
Foo_Bar = ["b>=1", "c; os_name == 'nt' or os_name == 'posix'", "d; extra == 'Other_X'"]
"test.Extra" = ["pytest>=8", "Demo.Pkg[Foo_Bar]"]
empty = []
[project.urls]
Homepage = "https://example.org"
"Bug Tracker" = "https://example.org/issues?q=is%3Aopen"
Source = "git+https://example.org/demo.git"
[project.scripts]
demo = "demo.cli:main"
[project.gui-scripts]
demo-gui = "demo.gui:App.run"
[project.entry-points."demo.plugins"]
json = "demo.plugins.json"
yaml = "demo.plugins:load [yaml]"
""",  # noqa: E501, RUF001 (a long requirement, a deliberate en dash)
        {
            "README.md": "# Demo\n\nFrom the start: a line like a header.\nKey: value\n\n\n"
            "    indented code\n\n---\nno final newline",
            "LICENSE": "MIT\n",
            "LICENCE.apache": "Apache\n",
            "licenses/vendored/x.txt": "x\n",
        },
    ),
    "legacy": (
        """[project]
name = "legacy_pkg"
dynamic = ["version"]
description = "Legacy license table and an reST readme."
readme = { file = "README.rst", content-type = "text/x-rst; charset=UTF-8" }
license = { file = "LICENSE.txt" }
classifiers = ["License :: OSI Approved :: BSD License"]
[[project.authors]]
name = "A. B. Writer"
email = "ab@example.org"
""",
        {
            "README.rst": "Legacy\n======\n\nText.\n",
            "LICENSE.txt": "BSD 3-Clause License\n\nCopyright (c) 2024, Someone\n\n"
            "  Indented: clause.\n",
        },
    ),
    "plain": (
        r"""[project]
name = "plain"
version = "2024.1.post2"
readme = { text = "Just text.\n\nTwo paragraphs.\n", content-type = "text/plain" }
license-files = ["COPYING"]
requires-python = ">=3.8"
dependencies = ["a===1.0+local", "b~=1.4.5", "c[x]@ https://example.org/c.zip"]
""",
        {"COPYING": "GPL\n"},
    ),
}

#: Requirements in many spellings: legacy marker names, redundant parentheses, odd spacing,
#: URLs, arbitrary equality, epochs, quotes inside values.
REQUIREMENTS = [
    "A",
    "a.b-c_d",
    "Foo_Bar [Sec_Ure, abc] >= 1.0 , <2 ; python_version<'3.8' and "
    "(os_name == \"nt\" or extra=='Foo_Bar')",
    "a (>= 1.0, != 1.5.*)",
    "a==1.0.*",
    "a===1.0+local",
    "a~=1.0.0",
    "a<=2,>=1,!=1.5,==1.*",
    "a[x,y,x]",
    "a @ https://example.org/a.tar.gz#sha256=abc",
    "a[x]@https://example.org/a.zip ; python_version >= '3'",
    "a; python_version in '3.8 3.9'",
    "a; python_version not in '3.8 3.9'",
    "a; '3.8' < python_version",
    "a; os.name == 'nt'",
    "a; python_implementation == 'CPython'",
    "a; platform.machine == 'x86_64'",
    "a; (os_name == 'nt')",
    "a; ((os_name == 'nt' or os_name == 'posix')) and python_version >= '3'",
    "a; os_name == 'a' and (os_name == 'b' or (os_name == 'c' and os_name == 'd'))",
    "a; os_name == 'a' or os_name == 'b' and os_name == 'c'",
    "a; platform_release >= '5' and platform_version == '#1 SMP'",
    "a; implementation_version >= '3.9' and python_full_version < '3.12.1'",
    "a; sys_platform == 'linux' and platform_system != 'Windows'",
    "a; extra == 'Some.Thing_Else'",
    "a; platform_version == 'say \"hi\"'",
    "a >=1.0a1.post2.dev3",
    "a>=1!2.0",
    "a ; python_version>='3'and os_name=='nt'",
]


def write_project(root: Path, pyproject: str, files: dict[str, str]) -> Path:
    """The project, with a module named after it unless ``files`` has its code (a project
    without code does not build, and ``validate()`` says so)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(pyproject, encoding="utf-8")
    name = tomllib.loads(pyproject)["project"]["name"]
    module = re.sub(r"[-_.]+", "_", name).lower()
    if not any(relpath.startswith(("src/", module)) for relpath in files):
        (root / f"{module}.py").write_text("", encoding="utf-8")
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def parse(text: str, what: str) -> Metadata:
    try:
        return Metadata.from_email(text, validate=True)
    except Exception as err:  # ExceptionGroup of InvalidMetadata
        problems = [str(e) for e in getattr(err, "exceptions", [err])]
        pytest.fail(f"{what} does not validate:\n  " + "\n  ".join(problems) + f"\n---\n{text}")


@pytest.mark.parametrize("name", list(SAMPLES))
def test_metadata_and_pkg_info_validate_with_packaging(
    name: str, tmp_path: Path, scm_env: Env
) -> None:
    scm_env.set("PACKKIT_PRETEND_VERSION", PRETEND_VERSION)
    pyproject, files = SAMPLES[name]
    project = write_project(tmp_path / name, pyproject, files)
    assert packkit.Project.load(project).validate() == []

    metadata = parse(packkit.Project.load(project).metadata, f"METADATA of {name}")
    sdist = packkit.build_sdist(project, tmp_path / "dist")
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"{sdist.name.removesuffix('.tar.gz')}/PKG-INFO")
        assert member is not None
        pkg_info = parse(member.read().decode("utf-8"), f"PKG-INFO of {name}")

    table = tomllib.loads(pyproject)["project"]
    version = Version(table.get("version", PRETEND_VERSION))
    for parsed in (metadata, pkg_info):
        assert (parsed.name, parsed.version) == (table["name"], version)
    assert (metadata.requires_dist or []) == (pkg_info.requires_dist or [])


def _with_extra(text: str, extra: str) -> str:
    """``text`` as packaging prints it once ``extra == EXTRA`` is added to its marker."""
    requirement = Requirement(text)
    marker = str(requirement.marker) if requirement.marker else None
    requirement.marker = None
    condition = f'({marker}) and extra == "{extra}"' if marker else f'extra == "{extra}"'
    return str(Requirement(f"{requirement} ; {condition}"))


@pytest.mark.parametrize("text", REQUIREMENTS)
def test_requirements_are_printed_like_packaging(text: str, tmp_path: Path) -> None:
    quoted = json.dumps(text)
    project = write_project(
        tmp_path,
        '[project]\nname = "x"\nversion = "0"\n'
        f"dependencies = [{quoted}]\n"
        f'[project.optional-dependencies]\n"X_Y" = [{quoted}]\n',
        {},
    )
    assert packkit.Project.load(project).validate() == []
    printed = packkit.Project.load(project).metadata_fields["Requires-Dist"]
    assert printed == [str(Requirement(text)), _with_extra(text, "x-y")]
