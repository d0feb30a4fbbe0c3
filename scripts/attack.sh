#!/usr/bin/env bash
# Re-runs every attack of issue 12 ("Hardening") and prints pass/fail per probe (scripts/attack.py).
#   scripts/attack.sh                       starts `synapse dev` on free ports with an API key and short
#                                           slow-client limits, attacks it (RSS and SIGTERM probes too),
#                                           and stops it
#   scripts/attack.sh GATEWAY CONTROL [KEY] attacks a gateway that is already running
# Exit code: the number of failed probes. Not part of CI (the slow-client probes take a while).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ge 2 ]; then
  exec python3 scripts/attack.py "$1" "$2" ${3:+--api-key "$3"} --synapse .build/debug/synapse
fi

scripts/setup.sh >/dev/null
# One block of free ports: the gateway and the control API, then the mocks in catalogue order
# (with room for more backends than the catalogue has).
PORT_BASE=$(python3 scripts/free-ports.py 18)
GATEWAY_PORT=$PORT_BASE; CONTROL_PORT=$((PORT_BASE + 1)); MOCK_BASE=$((PORT_BASE + 2))
WORK=$(mktemp -d)
KEY=attack-$RANDOM$RANDOM
SYNAPSE_API_KEYS=$KEY SYNAPSE_GATEWAY_HEADER_READ_TIMEOUT=3s SYNAPSE_GATEWAY_BODY_IDLE_TIMEOUT=5s \
SYNAPSE_GATEWAY_BODY_RATE_GRACE_PERIOD=5s SYNAPSE_LOG_LEVEL=warning \
  .build/debug/synapse dev --port "$GATEWAY_PORT" --control-port "$CONTROL_PORT" --port-base "$MOCK_BASE" \
  --voice-library "$WORK/voices" --drain-window 2s >"$WORK/dev.log" 2>&1 &
PID=$!
cleanup() { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
for _ in $(seq 1 300); do curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$GATEWAY_PORT/healthz" 2>/dev/null && break; sleep 0.1; done
echo "synapse dev (pid $PID) with an API key, header read timeout 3 s, body idle timeout 5 s, rate checked after 5 s, drain 2 s"
python3 scripts/attack.py "http://127.0.0.1:$GATEWAY_PORT" "http://127.0.0.1:$CONTROL_PORT" --pid "$PID" --api-key "$KEY" \
  --synapse .build/debug/synapse
