#!/usr/bin/env bash
# Validates the gateway's OpenAPI document with the reference validator (openapi-spec-validator,
# in the client venv): writes `synapse serve`'s and `synapse dev`'s with `synapse openapi` (no
# server started) to .build/openapi.json and .build/openapi-dev.json and checks both; exits
# non-zero when one is not a valid OpenAPI 3.1 document.
# `scripts/openapi-check.sh FILE` checks FILE instead (to see it fail on a broken document).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$(scripts/client-venv.sh)
if [ $# -ge 1 ]; then
  DOCUMENTS=("$@")
else
  swift build --product synapse >&2
  DOCUMENTS=(.build/openapi.json .build/openapi-dev.json)
  "$(swift build --show-bin-path)/synapse" openapi --output .build/openapi.json
  "$(swift build --show-bin-path)/synapse" openapi --development --output .build/openapi-dev.json
fi
for document in "${DOCUMENTS[@]}"; do
  "$VENV/bin/python" -m openapi_spec_validator "$document"
done
