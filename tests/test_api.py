"""The notebook API: ScmVersion's rendering, warnings through logging, threads."""

from __future__ import annotations

import errno
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
    # The caption is the project (its name escaped), not packkit.
    assert html.startswith("<table><caption><b>demo&lt;&amp;&gt;</b> <code>")
    assert f"<code>{facts.render()}</code>" in html
    assert facts.render().startswith(f"1.4.1.dev3+{node}.d")
    commit = repo.head()
    for cell in ("1.4.0 (v1.4.0)", "3", commit, "main", "git", str(repo.path.resolve())):
        assert f"<td><code>{cell}</code></td>" in html
    # A dirty tree is highlighted, with the files that make it dirty.
    assert "style='color:#b00020;font-weight:bold'><code>yes: pyproject.toml</code>" in html

    markdown = facts._repr_markdown_()
    assert markdown.splitlines()[:2] == ["| fact | value |", "| --- | --- |"]
    assert f"| commit | `{commit}` |" in markdown
    assert "| dirty | `yes: pyproject.toml` |" in markdown


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
    (tmp_path / "fields_demo.py").write_text("")
    project = packkit.Project.load(tmp_path)
    assert project.validate() == []
    fields = project.metadata_fields
    assert fields["Name"] == ["Fields.Demo"]
    assert fields["Version"] == ["2.0"]
    assert fields["Requires-Dist"] == ["packaging>=24", 'tomli; python_version < "3.11"']
    assert fields["Description"] == ["# Fields demo\n"]
    assert project.metadata.startswith("Metadata-Version: 2.1\nName: Fields.Demo\n")


def test_settings_are_keyword_only(make_repo: Callable[..., Repo]) -> None:
    repo = project(make_repo)
    with pytest.raises(TypeError):
        packkit.get_version(repo.path, "post-release")  # type: ignore[misc]
    with pytest.raises(TypeError):
        packkit.describe(repo.path, "^v(.*)$")  # type: ignore[misc]


def test_config_error_carries_every_problem(make_repo: Callable[..., Repo]) -> None:
    repo = make_repo()
    write_pyproject(
        repo.path,
        packkit={"version-schme": "x", "local-scheme": "nope", "normalize": "yes"},
    )
    with pytest.raises(packkit.ConfigError) as info:
        packkit.get_version(repo.path)
    error = info.value
    assert isinstance(error, ValueError)
    problems = [(p.key, p.line, p.column) for p in error.problems]
    assert problems == [
        ("tool.packkit.version-schme", 6, 1),
        ("tool.packkit.local-scheme", 7, 16),
        ("tool.packkit.normalize", 8, 13),
    ]
    assert all(p.path == str(repo.path / "pyproject.toml") for p in error.problems)
    assert error.problems[0].hint == "did you mean `version-scheme`?"
    assert (error.key, error.line, error.column) == problems[0]
    assert str(error) == "\n".join(
        ["3 problems in the project configuration:", *(str(p) for p in error.problems)]
    )


def test_file_errors_are_os_errors(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(OSError) as info:
        packkit.get_version(missing)
    error = info.value
    assert isinstance(error, packkit.FileError) and isinstance(error, packkit.PackkitError)
    assert error.errno == errno.ENOENT
    assert error.filename == str(missing)
    assert str(missing) in str(error)


def test_render_uses_the_settings_the_facts_were_described_with(
    make_repo: Callable[..., Repo],
) -> None:
    repo = make_repo()
    write_pyproject(repo.path, packkit={"version-scheme": "post-release"})
    repo.commit(files={"pyproject.toml": (repo.path / "pyproject.toml").read_text()})
    repo.tag("v1.0.0")
    repo.tag("rel-2.0.0")
    repo.commits(2)
    facts = packkit.describe(repo.path, tag_regex=r"^v(?P<version>.*)$", local_scheme="dirty-tag")
    assert facts.tag == "1.0.0"
    assert (
        facts.render()
        == "1.0.0.post2"
        == packkit.get_version(repo.path, tag_regex=r"^v(?P<version>.*)$", local_scheme="dirty-tag")
    )
    assert facts.render(version_scheme="guess-next-dev") == "1.0.1.dev2"
    # The file changing afterwards does not change the facts' settings.
    write_pyproject(repo.path, packkit={"version-scheme": "no-guess-dev"})
    assert facts.render() == "1.0.0.post2"
    with pytest.raises(packkit.ConfigError) as info:
        facts.render(version_scheme="post-releas")  # type: ignore[arg-type]
    assert info.value.key == "version_scheme"
    assert 'did you mean "post-release"' in str(info.value)


def test_format_with_fills_a_format_string_like_setuptools_scm(
    make_repo: Callable[..., Repo],
) -> None:
    repo = project(make_repo)
    facts = packkit.describe(repo.path)
    node = "g" + repo.head()[:9]
    assert facts.format_with("{tag}.post{distance}+{node}") == f"1.4.0.post3+{node}"
    assert facts.format_with("{branch}/{dirty}/{extra}", extra="x") == "main/False/x"
    with pytest.raises(TypeError, match="multiple values for keyword argument 'tag'"):
        facts.format_with("{tag}", tag="9.9")
    assert facts.format_with("{node_date:%Y}") == str(facts.node_date.year)  # type: ignore[union-attr]
    assert facts.format_with("{time:%Y-%m-%d}") == "2024-06-15"  # SOURCE_DATE_EPOCH
    assert repr(facts) == (
        f"<ScmVersion tag='1.4.0' distance=3 node='{node}' dirty=False branch='main' source='git'>"
    )
