#!/usr/bin/env bash
# Creates .build/venv-clients once (the official OpenAI Python SDK, pytest, and Playwright for the
# browser tests) and prints its path; used by the scripts that drive Synapse with real Python
# clients. Playwright is only the Python package: it drives Debian's chromium (scripts/setup.sh
# --with-test-tools); `playwright install` (a browser download) is never run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv-clients
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/python" -m pip install --quiet openai pytest >&2
fi
if ! "$VENV/bin/python" -c 'import playwright' 2>/dev/null; then
  "$VENV/bin/python" -m pip install --quiet playwright >&2
fi
echo "$VENV"
