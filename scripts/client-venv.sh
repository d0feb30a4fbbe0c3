#!/usr/bin/env bash
# Creates .build/venv-clients once and prints its path: the official OpenAI Python SDK and pytest
# (scripts driving Synapse with real Python clients), openapi-spec-validator
# (scripts/openapi-check.sh) and Playwright for the browser tests. Playwright is only the Python
# package: it drives Debian's chromium (scripts/setup.sh --with-test-tools); `playwright install`
# (a browser download) is never run. A venv made before a package joined the list gets it once.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv-clients
# `python -m pip`, not bin/pip: in a venv copied from another checkout (a worktree's copied
# .build), bin/pip's first line names the other venv and would install there.
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
fi
missing=()
for module in openai:openai pytest:pytest openapi_spec_validator:openapi-spec-validator playwright:playwright; do
  "$VENV/bin/python" -c "import ${module%%:*}" 2>/dev/null || missing+=("${module#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
  "$VENV/bin/python" -m pip install --quiet "${missing[@]}" >&2
fi
echo "$VENV"
