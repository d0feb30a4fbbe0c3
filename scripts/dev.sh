#!/usr/bin/env bash
# Runs the gateway and every mock backend in one process (the control API included), with the
# voice library in the git-ignored .synapse/ folder. Extra arguments go to `synapse dev`.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
exec .build/debug/synapse dev "$@"
