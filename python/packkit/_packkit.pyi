# Type stubs for the Rust extension module (checked by `python -m mypy.stubtest packkit._packkit`).
import datetime
from pathlib import Path
from typing import Any, Literal, final

from packkit._types import (
    BumpPart,
    CiName,
    LicenseId,
    LocalSchemeName,
    StrPath,
    VersionSchemeName,
)
from packkit.errors import Problem

__all__ = [
    "ScmVersion",
    "Status",
    "UpdateReport",
    "Version",
    "__version__",
    "build_sdist",
    "build_wheel",
    "changelog",
    "check",
    "core_metadata",
    "describe",
    "files",
    "get_version",
    "migrate_project",
    "new_project",
    "next_version",
    "prepare_metadata",
    "run_cli",
    "status",
    "update",
]
__version__: str

@final
class Version:
    def __new__(cls, version: str) -> Version: ...
    def __hash__(self) -> int: ...
    def __lt__(self, value: object, /) -> bool: ...
    def __le__(self, value: object, /) -> bool: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __ne__(self, value: object, /) -> bool: ...
    def __gt__(self, value: object, /) -> bool: ...
    def __ge__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    @property
    def epoch(self) -> int: ...
    @property
    def release(self) -> tuple[int, ...]: ...
    @property
    def pre(self) -> tuple[str, int] | None: ...
    @property
    def post(self) -> int | None: ...
    @property
    def dev(self) -> int | None: ...
    @property
    def local(self) -> str | None: ...
    @property
    def public(self) -> str: ...
    @property
    def base_version(self) -> str: ...
    @property
    def major(self) -> int: ...
    @property
    def minor(self) -> int: ...
    @property
    def micro(self) -> int: ...
    @property
    def is_prerelease(self) -> bool: ...
    @property
    def is_postrelease(self) -> bool: ...
    @property
    def is_devrelease(self) -> bool: ...
    @classmethod
    def from_parts(
        cls,
        *,
        epoch: int | None = None,
        release: tuple[int, ...],
        pre: tuple[str, int] | None = None,
        post: int | None = None,
        dev: int | None = None,
        local: str | None = None,
    ) -> Version:
        """The version made of these parts, as ``packaging.version.Version.from_parts``
        (packaging 26) makes it: ``from_parts(release=(1, 2), pre=("rc", 1))`` is ``1.2rc1``."""
    def bump(self, part: BumpPart) -> Version:
        """The next version that increments ``part`` (``"1.4.2"`` → ``bump("minor")`` →
        ``1.5.0``); ``"final"`` drops pre- and dev-release parts."""

@final
class ScmVersion:
    """What git says about a checkout, with the settings it was read with; a version is made
    from it by ``render()``. Made by :func:`describe`."""

    @property
    def root(self) -> str:
        """The project directory (where ``pyproject.toml`` is), absolute."""
    @property
    def project(self) -> str | None:
        """The project's name (``[project] name``), when it has one."""
    @property
    def version(self) -> str:
        """The version these facts make, with the settings they were described with (as
        ``render()`` and ``str()``)."""
    @property
    def commit(self) -> str | None:
        """HEAD's full commit id; ``None`` without commits (or when no git was read)."""
    @property
    def modified(self) -> list[str]:
        """The tracked files that differ from HEAD, sorted (empty when the tree is clean)."""
    @property
    def installed(self) -> str | None:
        """The version of the installed distribution of this project
        (``importlib.metadata``); ``None`` when it is not installed."""
    @property
    def stale(self) -> bool:
        """The installed distribution has another version than the source (an editable
        install after new commits): reinstall to refresh its metadata."""
    @property
    def tag(self) -> str | None:
        """The version of the nearest tag (``"1.4.0"`` for ``v1.4.0``), or the version used as
        is (pretend, PKG-INFO, fallback); ``None`` when untagged."""
    @property
    def tag_name(self) -> str | None:
        """The tag as named in git (``"v1.4.0"``)."""
    @property
    def distance(self) -> int:
        """Commits between the tag (or the root, if untagged) and HEAD."""
    @property
    def node(self) -> str | None:
        """``g`` and the first 9 hex digits of HEAD's commit id; ``None`` without commits."""
    @property
    def dirty(self) -> bool:
        """Tracked files differ from HEAD (untracked files do not count)."""
    @property
    def branch(self) -> str | None:
        """The current branch, ``"HEAD"`` when detached."""
    @property
    def node_date(self) -> datetime.date | None:
        """HEAD's commit date in UTC."""
    @property
    def shallow(self) -> bool:
        """The clone is shallow (its history is cut off)."""
    @property
    def exact(self) -> bool:
        """HEAD is exactly on the tag and the tree is clean."""
    @property
    def source(self) -> str:
        """Where the facts came from: ``git``, ``archival``, ``pkg-info``, ``fallback``,
        ``pretend``."""
    def render(
        self,
        *,
        version_scheme: VersionSchemeName | None = None,
        local_scheme: LocalSchemeName | None = None,
    ) -> str:
        """The version these facts make, with the schemes they were described with or the
        ones given; as :func:`get_version` would print it."""
    def format_with(self, fmt: str, /, **kwargs: object) -> str:
        """setuptools_scm's ``format_with``: ``fmt.format(...)`` with ``tag``, ``distance``,
        ``node``, ``dirty``, ``branch``, ``node_date``, ``time`` and ``kwargs``."""
    def __str__(self) -> str: ...
    def _repr_html_(self) -> str: ...
    def _repr_markdown_(self) -> str: ...

def get_version(
    root: StrPath | None = None,
    *,
    version_scheme: VersionSchemeName | None = None,
    local_scheme: LocalSchemeName | None = None,
    tag_regex: str | None = None,
    tag_prefix: str | None = None,
    fallback_version: str | None = None,
    normalize: bool | None = None,
    dist_name: str | None = None,
    write_version_file: bool = False,
) -> str:
    """The version of the project at ``root``, as ``pip install`` would see it.

    Without ``root``, the project is the nearest folder at or above the current directory with
    a ``pyproject.toml`` (not past the top of the git work tree): a notebook in
    ``notebooks/`` gets its project's version. Settings come from ``root/pyproject.toml``
    (``[tool.packkit]``, or a legacy ``[tool.setuptools_scm]`` table); keyword arguments
    override them. With
    ``write_version_file``, the configured ``version-file`` is written too. Raises
    :class:`~packkit.ConfigError` for bad settings (every problem in ``.problems``) and
    :class:`~packkit.ScmError` when no version can be found.
    """

def describe(
    root: StrPath | None = None,
    *,
    version_scheme: VersionSchemeName | None = None,
    local_scheme: LocalSchemeName | None = None,
    tag_regex: str | None = None,
    tag_prefix: str | None = None,
    fallback_version: str | None = None,
    normalize: bool | None = None,
    dist_name: str | None = None,
) -> ScmVersion:
    """The facts the version of the project at ``root`` is made from (nearest tag, distance,
    node, dirty, ...), with these settings kept for ``ScmVersion.render()``. Without
    ``root``, the project above the current directory, as for :func:`get_version`;
    ``ScmVersion.root`` says which folder was used."""

def run_cli(argv: list[str]) -> int:
    """Run the command line with ``argv`` (the program name first); the exit code."""

def build_wheel(
    project_dir: StrPath,
    out_dir: StrPath,
    *,
    editable: bool = False,
    metadata_dir: StrPath | None = None,
) -> str:
    """Build the wheel (or the editable wheel) of the project into ``out_dir``; its file name."""

def build_sdist(project_dir: StrPath, out_dir: StrPath) -> str:
    """Build the sdist of the project into ``out_dir``; its file name."""

def prepare_metadata(project_dir: StrPath, out_dir: StrPath) -> str:
    """Write the ``.dist-info`` folder a wheel will carry into ``out_dir``; its name."""

def check(project_dir: StrPath) -> list[Problem]:
    """Every configuration problem of the project (empty when it is valid)."""

def files(project_dir: StrPath) -> dict[str, Any]:
    """What goes into the wheel and the sdist and why, and what is left out."""

def core_metadata(project_dir: StrPath) -> str:
    """The project's core metadata text (METADATA) for its current version."""

def migrate_project(
    path: StrPath,
    *,
    dry_run: bool = False,
    force: bool = False,
    clean: bool = False,
) -> tuple[str, bool, list[tuple[str, str, str]], list[tuple[str, str, str, str]]]:
    """Migrate the project in ``path``: (pyproject.toml, written, changes, untranslatable).

    ``packkit.migrate`` is the public face of this function (it returns a ``MigrationReport``).
    """

def new_project(
    path: StrPath,
    name: str | None = None,
    *,
    license: LicenseId = "MIT",
    ci: CiName = "github",
    rst: bool = False,
    namespace: str | None = None,
    data_science: bool = False,
    git: bool = True,
    force_name: bool = False,
    author: str | None = None,
    email: str | None = None,
) -> str:
    """Create a new project in the folder ``path`` (absent or empty); the folder, as given.

    ``packkit.new`` is the public face of this function (it returns a ``pathlib.Path``).
    """

@final
class Status:
    """A project at a glance, made by :func:`packkit.status`: the version now and the
    installed one, the git facts and the release channel. Shows as a table in Jupyter."""

    @property
    def project(self) -> str:
        """The project's name (``[project] name``)."""
    @property
    def root(self) -> Path:
        """The project directory, absolute."""
    @property
    def version(self) -> str:
        """The version a build would have now."""
    @property
    def installed(self) -> str | None:
        """The installed distribution's version; ``None`` when it is not installed."""
    @property
    def editable(self) -> bool:
        """Installed with ``pip install -e`` (its ``direct_url.json`` says so)."""
    @property
    def stale(self) -> bool:
        """The installed version differs from :attr:`version`."""
    @property
    def fix(self) -> str | None:
        """The command that refreshes a stale install; ``None`` when it is not stale."""
    @property
    def tag(self) -> str | None:
        """The last version tag's name."""
    @property
    def distance(self) -> int:
        """Commits since that tag."""
    @property
    def dirty_files(self) -> int:
        """Tracked files that differ from HEAD (counted up to 1,000)."""
    @property
    def branch(self) -> str | None: ...
    @property
    def commit(self) -> str | None:
        """HEAD's full commit id."""
    @property
    def date(self) -> str | None:
        """HEAD's commit date (UTC), ``YYYY-MM-DD``."""
    @property
    def channel(self) -> Literal["unstable", "testing", "stable"]:
        """The version's release channel."""
    @property
    def publishable(self) -> bool:
        """The version may be published (``packkit channel`` lists why not)."""
    def to_dict(self) -> dict[str, Any]:
        """Every field as plain values (what ``packkit status --format json`` prints)."""
    def _repr_html_(self) -> str: ...
    def _repr_markdown_(self) -> str: ...

def status(root: StrPath | None = None) -> Status:
    """The state of the project at ``root`` (default: the nearest project at or above the
    current directory)."""

@final
class UpdateReport:
    """What ``packkit new --update`` did (or, for a dry run, would do). Made by
    :func:`packkit.update`; ``str()`` is the report the command prints."""

    @property
    def root(self) -> Path:
        """The project folder."""
    @property
    def dry_run(self) -> bool:
        """Whether this was a dry run: nothing was written."""
    @property
    def changed(self) -> bool:
        """Whether the update writes anything (``False`` when run a second time)."""
    @property
    def created(self) -> list[str]:
        """The files created (for a dry run: that would be), as slash paths."""
    @property
    def unchanged(self) -> list[str]:
        """The files already there, byte for byte as packkit writes them."""
    @property
    def conflicts(self) -> list[str]:
        """The files there that differ from packkit's version: never overwritten."""
    @property
    def diffs(self) -> dict[str, str]:
        """The unified diff of each conflict, from the file to packkit's version."""
    @property
    def written_aside(self) -> list[str]:
        """The ``<file>.packkit-new`` files written beside the conflicts."""
    @property
    def added_keys(self) -> list[str]:
        """The ``pyproject.toml`` keys added, dotted."""
    @property
    def kept_keys(self) -> list[str]:
        """The ``pyproject.toml`` keys that were there: kept as they are, whatever their value."""
    @property
    def pyproject_diff(self) -> str | None:
        """The unified diff of ``pyproject.toml``; ``None`` when it is not changed."""
    def _repr_html_(self) -> str: ...

def update(
    path: StrPath,
    *,
    ci: CiName | None = None,
    data_science: bool = False,
    docs: bool = False,
    pre_commit: bool = False,
    nox: bool = False,
    dry_run: bool = False,
    allow_dirty: bool = False,
    write_conflicts: bool = False,
) -> UpdateReport:
    """Add the pieces named to the project at ``path``, as ``packkit new`` would make them.

    The pieces: ``ci`` (``"github"`` or ``"gitlab"``), ``data_science`` (``notebooks/``,
    ``data/``, ``models/``), ``docs`` (Sphinx ``docs/``), ``pre_commit``
    (``.pre-commit-config.yaml`` and ``[tool.ruff]``) and ``nox`` (``noxfile.py``), with the
    ``pyproject.toml`` keys they need (``project.optional-dependencies.test`` and ``docs``,
    ``tool.pytest.ini_options``, ``tool.ruff``). A missing file is created; a file that differs
    from packkit's version is never overwritten: its diff is in the report, and with
    ``write_conflicts`` packkit's version is written beside it as ``<file>.packkit-new``. A
    key already in ``pyproject.toml`` is kept as it is; added keys go in through packkit's
    editor, which keeps every other byte of the file.

    The project must be built by packkit (``packkit migrate`` switches one); its git tree must
    be clean unless ``allow_dirty``. With ``dry_run`` nothing is written (and the tree may be
    dirty). Raises :class:`~packkit.ConfigError` (another backend, no piece named, a path
    packkit will not write through), :class:`~packkit.ScmError` (a dirty tree) and
    :class:`~packkit.BuildError` (no ``pyproject.toml``).
    """

def next_version(root: StrPath | None = None) -> str | None:
    """The next version of the project at ``root`` (default: the nearest project at or above
    the current directory) from the Conventional Commits since its last version tag, as
    ``packkit next`` prints it; ``None`` when no commit calls for a release.

    Raises :class:`~packkit.ScmError` outside a git checkout, in a shallow clone or without
    commits, and :class:`~packkit.ConfigError` for a wrong ``[tool.packkit.release]``.
    """

def changelog(root: StrPath | None = None, *, since: str | None = None) -> str:
    """The Conventional Commits since the tag ``since`` (default: the last version tag) as a
    Markdown changelog, as ``packkit changelog`` prints it.

    Raises :class:`~packkit.ScmError` for a tag that does not exist (naming the nearest ones).
    """
