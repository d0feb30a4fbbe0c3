#!/usr/bin/env bash
# Benchmarks the pass-through path and the gateway's memory while streaming.
#  (proxy) Issue 16's comparison, interleaved on one upstream (`synapse bench-upstream`, which
#      answers fixed bytes or computes on the spot; nothing memoized): straight to the upstream,
#      through nginx as a reverse proxy (installed with apt-get when missing; 2 workers, upstream
#      keep-alive, buffering off for the streaming routes) and through Synapse (default settings,
#      default log level), REPS times in turn (default 3), medians reported:
#        - small JSON POST /v1/embeddings, wrk -t2 -c64 (req/s) and wrk -t1 -c1 (p50 added over direct);
#        - an SSE stream of 1,000 events, 1 ms apart, each carrying its CLOCK_MONOTONIC send time
#          (scripts/sse-latency.py: per-event latency p50/p99, added over direct);
#        - a 1 GiB upload and a 1 GiB download (curl; MB/s, peak RSS);
#        - wrk -t2 -c1024 keep-alive connections (req/s, peak RSS);
#      then one table with the ratios against nginx and issue 16's goals (✓/✗).
#  (a) POST /v1/embeddings with a small JSON body, straight to an upstream and through the gateway,
#      in the same run (wrk: requests/s, p50, p99, and the ratios), for two upstreams: the
#      llama-embed mock and a minimal one that shows the gateway's own ceiling.
#  (b) Gateway peak RSS while streaming a 1 GiB upload and a 1 GiB download, against idle.
#  (c) The load tester itself: `synapse load --concurrency 64 --loop` and `wrk -t2 -c64` against
#      the same minimal upstream for the same time (requests/s and their ratio; the goal is ≥ 0.5),
#      then the load tester's RSS sampled every second over a longer run (LOAD_SOAK seconds,
#      default 30; 600 for the ten-minute check), and its peak RSS replaying a 1 GiB upload from
#      its body file.
# Usage: scripts/bench.sh [seconds per load run, default 10]. Builds in release mode (slow the
# first time; not part of CI). BUILD=debug scripts/bench.sh for a quick, unrepresentative run.
# ONLY=proxy runs the nginx comparison alone, ONLY=gateway (a) and (b), ONLY=load (c); the default
# ONLY=all runs everything. REPS=N sets the proxy comparison's repetitions.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-10}
CONNECTIONS=${CONNECTIONS:-64}
BUILD=${BUILD:-release}
ONLY=${ONLY:-all}
LOAD_SOAK=${LOAD_SOAK:-30}
REPS=${REPS:-3}
case "$ONLY" in all | proxy | gateway | load) ;; *) echo "ONLY must be all, proxy, gateway or load" >&2; exit 2 ;; esac

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
scripts/setup.sh -c "$BUILD" >/dev/null
BIN=.build/$BUILD/synapse
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 200); do curl -fsS -o /dev/null --max-time 1 "$1" 2>/dev/null && return 0; sleep 0.1; done; echo "not up: $1"; exit 1; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }


run_wrk() { # url → "rps p50_ms p99_ms non2xx socket_errors"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s scripts/bench-post.lua "$1" > "$WORK/wrk.out"
  awk -f scripts/wrk-summary.awk "$WORK/wrk.out"
}

if [ "$ONLY" = all ] || [ "$ONLY" = proxy ]; then
  source scripts/bench-proxy.sh
fi

if [ "$ONLY" = all ] || [ "$ONLY" = gateway ]; then
# (a) throughput: the llama-embed mock (its real answer: a 1024-float vector, ~20 KB of JSON) and a
# minimal upstream (a 27-byte JSON answer), each straight and through the gateway.
MOCK_PORT=$(free_port); TINY_PORT=$(free_port); GW_PORT=$(free_port); GW2_PORT=$(free_port)
SYNAPSE_LOG_LEVEL=warning $BIN mocks --only llama-embed --port-base "$MOCK_PORT" --control-port "$(free_port)" --write-config "$WORK/mocks.yaml" > "$WORK/mocks.log" 2>&1 &
PIDS+=($!)
$BIN bench-upstream --port "$TINY_PORT" > "$WORK/tiny.log" 2>&1 &
PIDS+=($!)
wait_up "http://127.0.0.1:$MOCK_PORT/health"
SYNAPSE_LOG_LEVEL=warning SYNAPSE_VOICE_LIBRARY_DIR="$WORK/voices" $BIN serve --config "$WORK/mocks.yaml" --host 127.0.0.1 --port "$GW_PORT" > "$WORK/gw.log" 2>&1 &
GW_PID=$!; PIDS+=($GW_PID)
cat > "$WORK/tiny.yaml" <<YAML
gateway: {logLevel: warning, voiceLibraryDir: "$WORK/voices"}
backends:
  llama-embed: {url: "http://127.0.0.1:$TINY_PORT", type: openai-compatible}
YAML
$BIN serve --config "$WORK/tiny.yaml" --host 127.0.0.1 --port "$GW2_PORT" > "$WORK/gw-tiny.log" 2>&1 &
GW2_PID=$!; PIDS+=($GW2_PID)
wait_up "http://127.0.0.1:$GW_PORT/healthz"
wait_up "http://127.0.0.1:$GW2_PORT/healthz"

echo "POST /v1/embeddings, small JSON request, wrk -t2 -c$CONNECTIONS -d${DURATION}s ($BUILD build, $(nproc) cores shared by wrk, gateway and upstream)"
printf "  %-34s %9s %9s %9s %8s\n" "" "req/s" "p50 ms" "p99 ms" "non-2xx"
# Prints one table row and leaves the requests/s in RPS.
row() { read -r RPS p50 p99 bad _ < <(run_wrk "$2"); printf "  %-34s %9s %9s %9s %8s\n" "$1" "$RPS" "$p50" "$p99" "$bad"; }
row "llama-embed mock, direct" "http://127.0.0.1:$MOCK_PORT/v1/embeddings"; mock_direct=$RPS
row "llama-embed mock, through gateway" "http://127.0.0.1:$GW_PORT/v1/embeddings"; mock_gw=$RPS
row "minimal upstream, direct" "http://127.0.0.1:$TINY_PORT/v1/embeddings"; tiny_direct=$RPS
row "minimal upstream, through gateway" "http://127.0.0.1:$GW2_PORT/v1/embeddings"; tiny_gw=$RPS
echo "  gateway/direct: mock $(python3 -c "print(f'{$mock_gw/$mock_direct:.2f}')"), minimal $(python3 -c "print(f'{$tiny_gw/$tiny_direct:.2f}')")"
echo "  mock direct / mock through gateway: $(python3 -c "print(f'{$mock_direct/$mock_gw:.2f}')")x (issue 3 asks for at least 2x)"
kill "$GW_PID" "$GW2_PID"; wait "$GW_PID" "$GW2_PID" 2>/dev/null || true

# (b) memory while streaming 1 GiB each way, in a fresh gateway process
UP_PORT=$(free_port); GW_PORT=$(free_port)
$BIN bench-upstream --port "$UP_PORT" > "$WORK/up.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/stream.yaml" <<YAML
gateway: {logLevel: warning, voiceLibraryDir: "$WORK/voices"}
backends:
  deepfilter-audio: {url: "http://127.0.0.1:$UP_PORT", type: deepfilter, health: /denoise}
routes:
  /audio/*: deepfilter-audio
YAML
$BIN serve --config "$WORK/stream.yaml" --host 127.0.0.1 --port "$GW_PORT" > "$WORK/gw2.log" 2>&1 &
GW_PID=$!; PIDS+=($GW_PID)
wait_up "http://127.0.0.1:$GW_PORT/healthz"
curl -fsS -o /dev/null "http://127.0.0.1:$GW_PORT/healthz"
idle=$(rss_kib "$GW_PID")
truncate -s 1G "$WORK/upload.bin"
up_start=$(date +%s.%N)
curl -fsS -X POST -T "$WORK/upload.bin" -H 'Content-Type: multipart/form-data; boundary=bench' \
  "http://127.0.0.1:$GW_PORT/audio/denoise" -o "$WORK/up.json"
up_end=$(date +%s.%N)
after_up=$(hwm_kib "$GW_PID")
down_bytes=$(curl -fsS -X POST -H 'Content-Type: multipart/form-data; boundary=bench' --data-binary $'--bench--\r\n' \
  "http://127.0.0.1:$GW_PORT/audio/convert?bytes=1073741824" -o /dev/null -w '%{size_download}')
down_end=$(date +%s.%N)
peak=$(hwm_kib "$GW_PID")
echo "Gateway memory while streaming 1 GiB ($BUILD build)"
echo "  upload:   $(cat "$WORK/up.json") in $(python3 -c "print(f'{$up_end-$up_start:.1f}')") s"
echo "  download: $down_bytes bytes in $(python3 -c "print(f'{$down_end-$up_end:.1f}')") s"
echo "  RSS idle: $((idle / 1024)) MiB   peak during upload: $((after_up / 1024)) MiB   peak overall: $((peak / 1024)) MiB"
growth=$(( (peak - idle) / 1024 ))
echo "  peak - idle: ${growth} MiB (limit 64 MiB): $([ "$growth" -le 64 ] && echo PASS || echo FAIL)"
fi

if [ "$ONLY" = all ] || [ "$ONLY" = load ]; then
# (c) the load tester against wrk: one recorded POST, looped, 64 connections each, same upstream.
TINY_PORT=$(free_port)
$BIN bench-upstream --port "$TINY_PORT" > "$WORK/tiny-c.log" 2>&1 &
TINY_PID=$!; PIDS+=($TINY_PID)
# The minimal upstream has no health route: any answer (a 404) means it is up.
for _ in $(seq 1 200); do curl -sS -o /dev/null --max-time 1 "http://127.0.0.1:$TINY_PORT/" 2>/dev/null && break; sleep 0.1; done
cat > "$WORK/one-post.har" <<'HAR'
{"log": {"version": "1.2", "creator": {"name": "bench.sh", "version": "1"}, "entries": [{
  "startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1,
  "request": {"method": "POST", "url": "http://gateway/v1/embeddings", "httpVersion": "HTTP/1.1",
    "headers": [{"name": "Content-Type", "value": "application/json"}], "queryString": [], "cookies": [],
    "headersSize": -1, "bodySize": 70,
    "postData": {"mimeType": "application/json", "text": "{\"input\":\"The quick brown fox jumps over the lazy dog\",\"model\":\"bench\"}"}},
  "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
    "content": {"size": 0, "mimeType": "application/json"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
  "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}]}}
HAR
# Prints the requests/s of a `synapse load` run (its summary line on stderr).
load_rps() { # seconds → rps
  $BIN load "$WORK/one-post.har" --target "http://127.0.0.1:$TINY_PORT" --concurrency "$CONNECTIONS" --loop --duration "${1}s" \
    > "$WORK/load.out" 2> "$WORK/load.err"
  sed -n 's/^synapse load: .* req\/s.*$/&/p' "$WORK/load.err" | sed 's/.*: \([0-9.]*\) req\/s.*/\1/'
}
echo "The load tester: POST /v1/embeddings to the minimal upstream, 64 connections, ${DURATION}s each ($BUILD build, $(nproc) cores)"
read -r WRK_RPS _ < <(run_wrk "http://127.0.0.1:$TINY_PORT/v1/embeddings")
LOAD_RPS=$(load_rps "$DURATION")
printf "  %-44s %9s\n" "wrk -t2 -c$CONNECTIONS" "$WRK_RPS" "synapse load --concurrency $CONNECTIONS --loop" "${LOAD_RPS%.*}"
ratio=$(python3 -c "print(f'{$LOAD_RPS/$WRK_RPS:.2f}')")
echo "  synapse load / wrk: $ratio (goal ≥ 0.5): $(python3 -c "print('PASS' if $LOAD_RPS/$WRK_RPS >= 0.5 else 'FAIL')")"

# Memory over a longer run: RSS every second; flat means the last samples are near the first ones.
$BIN load "$WORK/one-post.har" --target "http://127.0.0.1:$TINY_PORT" --concurrency "$CONNECTIONS" --loop --duration "${LOAD_SOAK}s" \
  > "$WORK/soak.out" 2> "$WORK/soak.err" &
LOAD_PID=$!; PIDS+=($LOAD_PID)
: > "$WORK/rss.txt"
sleep 2
while kill -0 "$LOAD_PID" 2>/dev/null; do rss_kib "$LOAD_PID" >> "$WORK/rss.txt" 2>/dev/null || true; sleep 1; done
wait "$LOAD_PID" 2>/dev/null || true
python3 - "$WORK/rss.txt" "$LOAD_SOAK" <<'PY'
import sys
values = [int(v) for v in open(sys.argv[1]).read().split()]
if len(values) < 4:
    print("  not enough RSS samples"); sys.exit(0)
first, last, peak = values[:3], values[-3:], max(values)
start, end = sum(first) / 3 / 1024, sum(last) / 3 / 1024
print(f"  RSS over {sys.argv[2]} s ({len(values)} samples): start {start:.1f} MiB, end {end:.1f} MiB, peak {peak / 1024:.1f} MiB, "
      f"growth {end - start:+.1f} MiB: {'FLAT' if end - start < 16 else 'GROWING'}")
PY
grep '^synapse load:' "$WORK/soak.err" | sed 's/^/  /'

# A 1 GiB upload replayed from its body file: the load tester's peak RSS against its idle RSS.
mkdir -p "$WORK/big/bodies"
truncate -s 1G "$WORK/big/bodies/one-gib"
cat > "$WORK/big/upload.har" <<'HAR'
{"log": {"version": "1.2", "creator": {"name": "bench.sh", "version": "1"}, "entries": [{
  "startedDateTime": "2026-01-01T00:00:00.000Z", "time": 1,
  "request": {"method": "POST", "url": "http://gateway/denoise", "httpVersion": "HTTP/1.1",
    "headers": [{"name": "Content-Type", "value": "application/octet-stream"}], "queryString": [], "cookies": [],
    "headersSize": -1, "bodySize": 1073741824,
    "postData": {"mimeType": "application/octet-stream", "text": "", "_file": "bodies/one-gib", "_size": 1073741824}},
  "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
    "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
  "cache": {}, "timings": {"send": 0, "wait": 1, "receive": 0}}]}}
HAR
$BIN load "$WORK/big/upload.har" --target "http://127.0.0.1:$TINY_PORT" --timeout 120s > "$WORK/big.out" 2> "$WORK/big.err" &
BIG_PID=$!; PIDS+=($BIG_PID)
sleep 0.3
BIG_IDLE=$(rss_kib "$BIG_PID" 2>/dev/null || echo 0)
while kill -0 "$BIG_PID" 2>/dev/null; do BIG_HWM=$(hwm_kib "$BIG_PID" 2>/dev/null || echo "${BIG_HWM:-0}"); sleep 0.2; done
wait "$BIG_PID" 2>/dev/null || true
echo "  1 GiB upload replayed from its body file: RSS at start $((BIG_IDLE / 1024)) MiB, peak $((BIG_HWM / 1024)) MiB ($(grep '^synapse load:' "$WORK/big.err" | sed 's/^synapse load: //'))"
fi
