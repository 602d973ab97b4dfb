#!/usr/bin/env bash
# requires-python admits 3.11 to 3.13. `make test` runs everything on .venv's
# Python; this runs the engine and platform tests once more on the newest other
# admitted Python found on the machine (pyenv's or the system's), in its own
# virtualenv, so that a version bump cannot slip in unnoticed.
set -euo pipefail
cd "$(dirname "$0")/.."
main=$(.venv/bin/python -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
found=""
for version in 3.13 3.12 3.11; do
  [ "$version" = "$main" ] && continue
  for candidate in "python$version" "$HOME/.pyenv/versions/$version"*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 \
      && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      found=$(command -v "$candidate"); break 2
    fi
  done
done
if [ -z "$found" ]; then
  echo "本机只有 Python $main，跳过其他 Python 版本的测试。"
  exit 0
fi
version=$("$found" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
venv=".venv-py$version"
echo "在 Python $version（$found）上再运行一遍测试…"
if [ ! -f "$venv/.installed-stamp" ] || [ pyproject.toml -nt "$venv/.installed-stamp" ]; then
  "$found" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -e '.[dev]'
  touch "$venv/.installed-stamp"
fi
# The browser tests drive the same Chromium either way; they stay with the main run.
"$venv/bin/pytest" -n auto -p no:cacheprovider --ignore=src/fazhi_web/browser_tests
