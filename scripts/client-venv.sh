#!/usr/bin/env bash
# Creates .build/venv-clients once (the official OpenAI Python SDK, pytest and openapi-spec-validator)
# and prints its path; used by the scripts that drive Synapse with real Python clients and by
# scripts/openapi-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.build/venv-clients
# `python -m pip`, not bin/pip: in a venv copied from another checkout (a worktree's copied
# .build), bin/pip's first line names the other venv and would install there.
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/python" -m pip install --quiet openai pytest openapi-spec-validator >&2
fi
# A venv made before the validator joined the list gets it once.
if ! "$VENV/bin/python" -c 'import openapi_spec_validator' 2>/dev/null; then
  "$VENV/bin/python" -m pip install --quiet openapi-spec-validator >&2
fi
echo "$VENV"
