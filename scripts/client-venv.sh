#!/usr/bin/env bash
# Creates .build/venv-clients once (the official OpenAI Python SDK and pytest) and prints its path;
# used by the scripts that drive Synapse with real Python clients.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv-clients
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet openai pytest >&2
fi
echo "$VENV"
