#!/usr/bin/env bash
# Runs Tests/clients (the official OpenAI Python SDK) against the llama mocks directly and through
# the gateway. Creates .build/venv-clients once, starts `synapse dev` (gateway + mocks) on free
# ports, waits for /health, runs pytest, and always stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=$(scripts/client-venv.sh)

# One block of free ports below the ephemeral range (picking each port separately could land a
# mock's port on one of the others): the gateway, the control API and the keyed gateway first, then
# the mocks from MOCK_BASE in catalogue order, with room for more backends than the catalogue has.
PORT_BASE=$(python3 scripts/free-ports.py 19)
GATEWAY_PORT=$PORT_BASE
CONTROL_PORT=$((PORT_BASE + 1))
KEYED_PORT=$((PORT_BASE + 2))
MOCK_BASE=$((PORT_BASE + 3))
EMBED_PORT=$MOCK_BASE
ROUTER_PORT=$((MOCK_BASE + 1))

swift build --product synapse
LOG=$(mktemp)
VOICES=$(mktemp -d)
.build/debug/synapse dev --port "$GATEWAY_PORT" --port-base "$MOCK_BASE" --control-port "$CONTROL_PORT" \
  --voice-library "$VOICES" >"$LOG" 2>&1 &
MOCKS_PID=$!
KEYED_PID=
cleanup() {
  kill "$MOCKS_PID" 2>/dev/null || true
  wait "$MOCKS_PID" 2>/dev/null || true
  if [ -n "$KEYED_PID" ]; then kill "$KEYED_PID" 2>/dev/null || true; wait "$KEYED_PID" 2>/dev/null || true; fi
  rm -rf "$LOG" "$VOICES"
}
trap cleanup EXIT INT TERM

wait_healthy() {
  local url=$1 deadline=$((SECONDS + 60))
  until curl -fsS --max-time 2 "$url/health" >/dev/null 2>&1; do
    if ! kill -0 "$MOCKS_PID" 2>/dev/null; then echo "mocks exited:"; cat "$LOG"; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for $url/health"; cat "$LOG"; exit 1; fi
    sleep 0.2
  done
}
wait_healthy "http://127.0.0.1:$EMBED_PORT"
wait_healthy "http://127.0.0.1:$ROUTER_PORT"
wait_healthy "http://127.0.0.1:$GATEWAY_PORT"

# A second gateway (`synapse serve`) in front of the same llama mocks, with an API key required.
KEYED_KEY="sk-synapse-client-test"
cat >"$VOICES/keyed.yaml" <<YAML
backends:
  llama-embed: {url: "http://127.0.0.1:$EMBED_PORT", type: openai-compatible}
  llama-router: {url: "http://127.0.0.1:$ROUTER_PORT", type: openai-compatible}
YAML
SYNAPSE_API_KEYS="$KEYED_KEY" SYNAPSE_VOICE_LIBRARY_DIR="$VOICES/keyed-voices" SYNAPSE_MODEL_PROFILES_PATH="$VOICES/keyed-profiles.json" \
  .build/debug/synapse serve --config "$VOICES/keyed.yaml" --host 127.0.0.1 --port "$KEYED_PORT" >>"$LOG" 2>&1 &
KEYED_PID=$!
wait_healthy "http://127.0.0.1:$KEYED_PORT"

SYNAPSE_LLAMA_EMBED_URL="http://127.0.0.1:$EMBED_PORT" \
SYNAPSE_LLAMA_ROUTER_URL="http://127.0.0.1:$ROUTER_PORT" \
SYNAPSE_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" \
SYNAPSE_KEYED_GATEWAY_URL="http://127.0.0.1:$KEYED_PORT" SYNAPSE_KEYED_GATEWAY_KEY="$KEYED_KEY" \
  timeout 300 "$VENV/bin/python" -m pytest -q Tests/clients "$@"
