"""Render ``packkit.status()``'s notebook view in headless Chromium and save it as a PNG.

``python scripts/status_screenshot.py OUT.png`` makes a small project (a git repository
tagged v1.4.0, three commits later, one file changed), installs it into a folder it puts on
``sys.path`` (so the view shows a stale install and its fix), and screenshots the HTML of
``packkit.status()`` as Jupyter would show it (the temporary folder shown as
``~/work/churn-model``). ``make status-screenshot`` writes the docs image
(docs/_static/status.png); tests/test_status.py runs it to check the view renders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Ada Analyst",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Analyst",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
    "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+00:00",
}

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>packkit.status()</title>
<style>
body {{ font-family: sans-serif; font-size: 14px; margin: 16px; }}
table {{ border-collapse: collapse; }}
th, td {{ padding: 3px 12px; border-bottom: 1px solid #ddd; }}
caption {{ text-align: left; padding-bottom: 6px; }}
</style></head>
<body><pre>In [1]: packkit.status()</pre>{table}</body></html>
"""


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no Chromium found: install it (`apt-get install chromium`)")


def demo_project(root: Path) -> Path:
    env = {**os.environ, **GIT_ENV}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=project, env=env, check=True, capture_output=True)

    project = root / "churn-model"
    (project / "src" / "churn_model").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["packkit"]\nbuild-backend = "packkit.backend"\n'
        '[project]\nname = "churn-model"\ndynamic = ["version"]\n'
    )
    (project / "src" / "churn_model" / "__init__.py").write_text('"""Churn model."""\n')
    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "feat: first model")
    git("tag", "v1.4.0")
    return project


def main() -> int:
    import packkit

    out = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        project = demo_project(root)
        wheel = packkit.build_wheel(project, root / "dist")
        site = root / "site"
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel],
            check=True,
        )
        sys.path.insert(0, str(site))
        env = {**os.environ, **GIT_ENV}
        for number in range(3):
            (project / f"notes{number}.md").write_text(f"note {number}\n")
            subprocess.run(["git", "add", "-A"], cwd=project, env=env, check=True)
            subprocess.run(
                ["git", "commit", "-q", "-m", f"fix: edge case {number}"],
                cwd=project,
                env=env,
                check=True,
            )
        (project / "src" / "churn_model" / "__init__.py").write_text('"""Churn model, v2."""\n')
        page = root / "status.html"
        html = packkit.status(project)._repr_html_().replace(str(project), "~/work/churn-model")
        page.write_text(PAGE.format(table=html), "utf-8")
        subprocess.run(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=760,420",
                f"--screenshot={out}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
