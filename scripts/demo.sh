#!/usr/bin/env bash
# Build packkit, install it into a fresh virtual environment, and show what it does on a
# sample project: a git repository with a release tag, a few commits after it, and a
# modified file.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s install
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$work"
export GIT_AUTHOR_NAME=Demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=Demo GIT_COMMITTER_EMAIL=demo@example.com
sample="$work/my-analysis"
mkdir -p "$sample/src/my_analysis"
cd "$sample"
git init -q -b main
cat > pyproject.toml <<'TOML'
[build-system]
requires = ["packkit"]
build-backend = "packkit.backend"

[project]
name = "my-analysis"
dynamic = ["version"]
description = "A sample analysis packaged with packkit"

[project.scripts]
my-analysis = "my_analysis:main"

[tool.packkit]
version-scheme = "guess-next-dev"
TOML
printf '"""My analysis."""\n\ndef main() -> None:\n    print("hello from my-analysis")\n' > src/my_analysis/__init__.py
git add -A && git commit -qm "first analysis"
git tag -a v1.4.0 -m "release 1.4.0"
for n in 1 2 3; do echo "step = $n" >> src/my_analysis/__init__.py; git commit -qam "step $n"; done

packkit=("$OLDPWD/.venv/bin/packkit")
py="$OLDPWD/.venv/bin/python"
run() { echo "\$ $*"; "$@"; echo; }
run git describe --tags --long --dirty
run "${packkit[@]}" version
run "${packkit[@]}" version --format json
run "${packkit[@]}" version --version-scheme post-release --local-scheme no-local-version
echo "# a modified tracked file makes the tree dirty; the local part gains the build date"
echo "# edit" >> src/my_analysis/__init__.py
run "${packkit[@]}" version
run "$py" -c 'import packkit; v = packkit.describe("."); print(v); print(v.render(version_scheme="no-guess-dev", local_scheme="dirty-tag")); print(packkit.Version("1.0rc1") < packkit.Version("1.0"))'

echo "# build the sample's wheel and sdist (no frontend), install the wheel, run its script"
git checkout -q -- src/my_analysis/__init__.py
run "${packkit[@]}" files
run "${packkit[@]}" build -o "$work/dist"
python3 -m venv "$work/env"
"$work/env/bin/pip" install -q --no-index "$work"/dist/*.whl
run "$work/env/bin/my-analysis"
run "$work/env/bin/python" -c 'import importlib.metadata as m; print(m.version("my-analysis"))'
