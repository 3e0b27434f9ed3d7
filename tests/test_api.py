"""The notebook API: ScmVersion's rendering, warnings through logging, threads."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import packkit
import pytest
from helpers.git import Repo
from helpers.pyproject import write_pyproject


def project(make_repo: Callable[..., Repo], name: str = "repo") -> Repo:
    repo = make_repo(name)
    write_pyproject(repo.path, name="demo<&>")
    repo.commit(files={"pyproject.toml": (repo.path / "pyproject.toml").read_text()})
    repo.tag("v1.4.0", annotated=True)
    repo.commits(3)
    return repo


def test_scm_version_renders_its_facts_as_html_and_markdown(
    make_repo: Callable[..., Repo],
) -> None:
    repo = project(make_repo)
    (repo.path / "pyproject.toml").write_text((repo.path / "pyproject.toml").read_text() + "#\n")
    facts = packkit.describe(repo.path)
    node = "g" + repo.head()[:9]

    html = facts._repr_html_()
    assert html.startswith("<table><caption><b>packkit</b> <code>")
    assert f"<code>{facts.format_with()}</code>" in html
    assert facts.format_with().startswith(f"1.4.1.dev3+{node}.d")
    for cell in ("1.4.0 (v1.4.0)", "3", node, "yes", "main", "git"):
        assert f"<td><code>{cell}</code></td>" in html

    markdown = facts._repr_markdown_()
    assert markdown.splitlines()[:2] == ["| fact | value |", "| --- | --- |"]
    assert f"| node | `{node}` |" in markdown
    assert "| dirty | `yes` |" in markdown


def test_untagged_repository_warns_through_logging(
    make_repo: Callable[..., Repo], caplog: pytest.LogCaptureFixture
) -> None:
    repo = make_repo()
    repo.commits(2)
    with caplog.at_level(logging.WARNING, logger="packkit"):
        version = packkit.get_version(repo.path)
    assert version.startswith("0.1.dev2+g")
    assert [r.name for r in caplog.records] == ["packkit"]
    assert "no version tag found" in caplog.records[0].getMessage()
    assert "git tag v0.1.0" in caplog.records[0].getMessage()


def test_versions_of_several_repositories_from_threads(make_repo: Callable[..., Repo]) -> None:
    repos = [project(make_repo, f"repo{n}") for n in range(4)]
    expected = [packkit.get_version(repo.path) for repo in repos]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(packkit.get_version, [r.path for r in repos] * 5))
    assert results == expected * 5


def test_public_names_load_lazily_and_list_in_dir() -> None:
    assert "get_version" in dir(packkit)
    assert packkit.Version is packkit._packkit.Version  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        packkit.nope  # type: ignore[attr-defined]  # noqa: B018


def test_project_metadata_as_text_and_fields(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "Fields.Demo"\nversion = "2.0"\nreadme = "README.md"\n'
        'dependencies = ["packaging>=24", "tomli; python_version < \'3.11\'"]\n'
    )
    (tmp_path / "README.md").write_text("# Fields demo\n")
    project = packkit.Project.load(tmp_path)
    assert project.validate() == []
    fields = project.metadata_fields
    assert fields["Name"] == ["Fields.Demo"]
    assert fields["Version"] == ["2.0"]
    assert fields["Requires-Dist"] == ["packaging>=24", 'tomli; python_version < "3.11"']
    assert fields["Description"] == ["# Fields demo\n"]
    assert project.metadata.startswith("Metadata-Version: 2.1\nName: Fields.Demo\n")
