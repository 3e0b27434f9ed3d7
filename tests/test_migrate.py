"""``packkit migrate`` and ``packkit.migrate()``: the command line, the Python report, the
bytes kept, and the warnings of a project that still carries another backend's tables.

The translations themselves are unit-tested in ``src/migrate/tests.rs``; real projects are in
``tests/test_migrate_real.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import packkit
import pytest

HATCH = """\
# A project built with hatchling  <on purpose>
[build-system]
requires = [ "hatchling" ,"hatch-vcs" ]   # keep this comment
build-backend = "hatchling.build"

[project]
name    = "demo"          # odd spacing
dynamic = ["version"]

	# tab-indented comment
[tool.hatch.version]
source = "vcs"
tag-pattern = '^v(?P<version>.*)$'

[tool.ruff]
line-length = 99 # unrelated, untouched
"""


def project(tmp_path: Path, text: str = HATCH) -> Path:
    (tmp_path / "src" / "demo").mkdir(parents=True)
    (tmp_path / "src" / "demo" / "__init__.py").write_text("")
    (tmp_path / "pyproject.toml").write_text(text)
    return tmp_path


def cli(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "packkit", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    report = packkit.migrate(root, dry_run=True)
    assert isinstance(report, packkit.MigrationReport)
    assert report.ok and not report.written and report.dry_run
    assert [str(c) for c in report.changes] == [
        'pyproject.toml: [tool.hatch.version] source = "vcs" -> version from git tags',
        "pyproject.toml: [tool.hatch.version] tag-pattern = '^v(?P<version>.*)$' (as tag-regex)"
        ' -> [tool.packkit] tag-regex = "^v(?P<version>.*)$"',
        "pyproject.toml: [build-system] hatchling.build -> packkit.backend",
    ]
    assert (root / "pyproject.toml").read_text() == HATCH
    assert str(report).endswith("(dry run: nothing written)")
    with pytest.raises(AttributeError):
        report.written = True  # type: ignore[misc]


def test_migrating_keeps_every_byte_outside_the_changed_keys(tmp_path: Path) -> None:
    root = project(tmp_path)
    report = packkit.migrate(root)
    assert report.written
    expected = (
        HATCH.replace('[ "hatchling" ,"hatch-vcs" ]', '["packkit"]').replace(
            '"hatchling.build"', '"packkit.backend"'
        )
        + '\n[tool.packkit]\ntag-regex = "^v(?P<version>.*)$"\n'
    )
    assert (root / "pyproject.toml").read_text() == expected
    # Once migrated, nothing more to do.
    assert not packkit.migrate(root).written
    assert (root / "pyproject.toml").read_text() == expected


def test_untranslatable_configuration_blocks_the_write_unless_forced(tmp_path: Path) -> None:
    text = HATCH + '\n[tool.hatch.build.targets.wheel]\nforce-include = { "x" = "demo/x" }\n'
    root = project(tmp_path, text)
    blocked = cli("migrate", cwd=root)
    assert blocked.returncode == 1
    assert "cannot translate: pyproject.toml: `tool.hatch.build.targets.wheel.force-include`" in (
        blocked.stderr
    )
    assert "  fix: " in blocked.stderr
    assert "was not changed" in blocked.stderr
    assert (root / "pyproject.toml").read_text() == text
    forced = cli("migrate", "--force", "--format", "json", cwd=root)
    assert forced.returncode == 0, forced.stderr
    data = json.loads(forced.stdout)
    assert data["written"] is True
    assert [u["key"] for u in data["untranslatable"]] == [
        "tool.hatch.build.targets.wheel.force-include"
    ]
    assert "packkit.backend" in (root / "pyproject.toml").read_text()


def test_the_report_renders_escaped_html(tmp_path: Path) -> None:
    extra = '\n[tool.hatch.build.targets.wheel]\nartifacts = ["*.so"]\n'
    extra += '[tool.hatch.build.targets.sdist]\nexclude = ["<b>"]\n'
    root = project(tmp_path, HATCH + extra)
    report = packkit.migrate(root, dry_run=True)
    html = report._repr_html_()
    assert "<table>" in html and "&lt;b&gt;" in html and '["<b>"]' not in html
    assert not report.ok
    assert "cannot translate: pyproject.toml: `tool.hatch.build.targets.wheel.artifacts`" in str(
        report
    )


def test_a_folder_without_a_project_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(packkit.BuildError, match="nothing to migrate"):
        packkit.migrate(tmp_path)
    broken = tmp_path / "pyproject.toml"
    broken.write_text("[project\n")
    with pytest.raises(packkit.ConfigError):
        packkit.migrate(tmp_path)


def test_check_warns_about_another_backends_tables_until_they_are_cleaned(tmp_path: Path) -> None:
    # Outside git: the version comes from the fallback hatch-vcs names.
    text = HATCH.replace('source = "vcs"\n', 'source = "vcs"\nfallback-version = "0.0.0"\n')
    root = project(tmp_path, text)
    (root / "MANIFEST.in").write_text("include README.md\n")
    assert cli("migrate", cwd=root).returncode == 0
    checked = cli("check", cwd=root)
    assert checked.returncode == 0, checked.stderr
    assert (
        "warning: pyproject.toml: [tool.hatch.version] is ignored by packkit; run `packkit "
        "migrate` to translate it into [tool.packkit], or remove it"
    ) in checked.stderr
    assert "warning: MANIFEST.in is ignored by packkit" in checked.stderr
    (root / "MANIFEST.in").unlink()
    cleaned = cli("migrate", "--clean", cwd=root)
    assert "[tool.hatch.version] -> removed (--clean)" in cleaned.stdout
    assert "warning" not in cli("check", cwd=root).stderr


def test_the_backend_logs_the_tables_it_ignores(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = project(
        tmp_path,
        '[build-system]\nrequires = ["packkit"]\nbuild-backend = "packkit.backend"\n'
        '[project]\nname = "demo"\nversion = "1.0"\n[tool.setuptools]\nzip-safe = false\n',
    )
    with caplog.at_level("WARNING", logger="packkit"):
        packkit.build_wheel(root, tmp_path / "dist")
    assert [r.getMessage() for r in caplog.records] == [
        "pyproject.toml: [tool.setuptools] is ignored by packkit; run `packkit migrate` to "
        "translate it into [tool.packkit], or remove it"
    ]
