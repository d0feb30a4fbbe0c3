#!/usr/bin/env bash
# The dashboard in a real browser (Tests/Browser): Debian's chromium, driven by Playwright for
# Python (the package only, in .build/venv-clients; no browser download), against a real
# `synapse dev` on free ports with a temporary voice library. Screenshots of the dashboard go to
# .build/browser/. Exits non-zero on any failure. About 30 s once built.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${SYNAPSE_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then scripts/setup.sh --with-test-tools; fi
VENV=$(scripts/client-venv.sh)

# One block of free ports: the gateway, the control API, then its six mocks; the same again for
# a second synapse dev that requires an API key (the auth-required state).
PORT_BASE=$(python3 scripts/free-ports.py 16)
GATEWAY_PORT=$PORT_BASE
CONTROL_PORT=$((PORT_BASE + 1))
MOCK_BASE=$((PORT_BASE + 2))
KEYED_PORT=$((PORT_BASE + 8))
KEYED_KEY="sk-synapse-browser-test"

swift build --product synapse
LOG=$(mktemp)
VOICES=$(mktemp -d)  # main/ and keyed/: one voice library per gateway
# Model loads in half a second (the default 2 s would only make the chat test wait).
.build/debug/synapse dev --port "$GATEWAY_PORT" --control-port "$CONTROL_PORT" --port-base "$MOCK_BASE" \
  --voice-library "$VOICES/main" --router-load-time 500ms >"$LOG" 2>&1 &
DEV_PID=$!
SYNAPSE_API_KEYS="$KEYED_KEY" .build/debug/synapse dev --port "$KEYED_PORT" --control-port "$((KEYED_PORT + 1))" \
  --port-base "$((KEYED_PORT + 2))" --voice-library "$VOICES/keyed" >>"$LOG" 2>&1 &
KEYED_PID=$!
cleanup() {
  kill "$DEV_PID" "$KEYED_PID" 2>/dev/null || true
  wait "$DEV_PID" "$KEYED_PID" 2>/dev/null || true
  rm -rf "$LOG" "$VOICES"
}
trap cleanup EXIT INT TERM

deadline=$((SECONDS + 60))
for port in "$GATEWAY_PORT" "$KEYED_PORT"; do
  until curl -fsS --max-time 2 "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    if ! kill -0 "$DEV_PID" 2>/dev/null || ! kill -0 "$KEYED_PID" 2>/dev/null; then echo "synapse dev exited:"; cat "$LOG"; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "timed out waiting for synapse dev on $port"; cat "$LOG"; exit 1; fi
    sleep 0.2
  done
done

status=0
SYNAPSE_GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT" SYNAPSE_CHROMIUM="$CHROMIUM" SYNAPSE_SCREENSHOTS=.build/browser \
  SYNAPSE_KEYED_GATEWAY_URL="http://127.0.0.1:$KEYED_PORT" SYNAPSE_KEYED_GATEWAY_KEY="$KEYED_KEY" \
  timeout 300 "$VENV/bin/python" -m pytest -q -p no:cacheprovider Tests/Browser "$@" || status=$?
if [ $status -ne 0 ]; then echo "--- synapse dev log (last 60 lines)"; tail -n 60 "$LOG"; fi
exit $status
