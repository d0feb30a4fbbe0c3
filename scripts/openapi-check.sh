#!/usr/bin/env bash
# Validates the gateway's OpenAPI document with the reference validator (openapi-spec-validator,
# in the client venv): writes it with `synapse openapi` (no server started) to .build/openapi.json
# and checks it; exits non-zero when it is not a valid OpenAPI 3.1 document.
# `scripts/openapi-check.sh FILE` checks FILE instead (to see it fail on a broken document).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$(scripts/client-venv.sh)
if [ $# -ge 1 ]; then
  DOCUMENT=$1
else
  swift build --product synapse >&2
  DOCUMENT=.build/openapi.json
  "$(swift build --show-bin-path)/synapse" openapi --output "$DOCUMENT"
fi
"$VENV/bin/python" -m openapi_spec_validator "$DOCUMENT"
