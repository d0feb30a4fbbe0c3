#!/usr/bin/env bash
# Runs Tests/clients (the official OpenAI Python SDK) against the llama mocks.
# Creates .build/venv-clients once, starts `synapse mocks --only llama-embed,llama-router` on a free
# port base, waits for /health, runs pytest, and always stops the mocks.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.build/venv-clients
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet openai pytest
fi

# A free base port: the OS picks one, we release it and use it and the next one.
PORT_BASE=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
EMBED_PORT=${EMBED_PORT:-$PORT_BASE}
ROUTER_PORT=${ROUTER_PORT:-$((PORT_BASE + 1))}

swift build --product synapse
LOG=$(mktemp)
.build/debug/synapse mocks --only llama-embed,llama-router --port-base "$PORT_BASE" >"$LOG" 2>&1 &
MOCKS_PID=$!
cleanup() {
  kill "$MOCKS_PID" 2>/dev/null || true
  wait "$MOCKS_PID" 2>/dev/null || true
  rm -f "$LOG"
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

SYNAPSE_LLAMA_EMBED_URL="http://127.0.0.1:$EMBED_PORT" \
SYNAPSE_LLAMA_ROUTER_URL="http://127.0.0.1:$ROUTER_PORT" \
  timeout 300 "$VENV/bin/python" -m pytest -q Tests/clients "$@"
