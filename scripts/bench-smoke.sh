#!/usr/bin/env bash
# The benchmark's regression guard (issue 16): seconds, a debug build is fine, and it fails only on
# gross regressions of the pass-through path, never on noise. Against `synapse bench-upstream` (a
# fixed 27-byte JSON answer, an upload sink, a download source; nothing memoized) it starts a
# gateway and checks:
#  - throughput: wrk -t1 -c8 POST /v1/embeddings through the gateway ÷ straight to the upstream, in
#    the same run, must stay above RATIO_FLOOR (about a quarter of today's debug-build ratio, see
#    below): a gateway several times slower (a lock, a connection per request, heavy per-request
#    work) falls below it;
#  - latency: the p50 the gateway adds at c=1 must stay under ADDED_P50_CEILING_MS (a per-request
#    sleep or timer shows here first);
#  - SSE: 200 events 1 ms apart, each with its send time (scripts/sse-latency.py): all must arrive
#    through the gateway, and their p50 latency may exceed the direct one by at most
#    SSE_ADDED_P50_CEILING_MS (a relay that collects the stream delivers most events 100+ ms late);
#  - memory: the gateway's peak RSS while a 256 MiB upload and a 256 MiB download stream through it
#    must stay under its idle RSS + 128 MiB (a whole-body buffer adds at least 256 MiB).
# Usage: scripts/bench-smoke.sh. BIN=path/to/synapse picks the binary (default the debug build,
# which scripts/test.sh has just built; built here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

# Today's figures (2026-12-07, debug build, 2 cores, two runs): gateway ÷ direct at c=8 0.17 and
# 0.21 (direct 3.5–5.4k req/s, gateway 0.7–0.9k); added p50 at c=1 1.3 and 1.4 ms; SSE added p50
# 0.2–0.3 ms; streaming peak idle + 5 and + 16 MiB. The thresholds sit far outside that noise:
#  - RATIO_FLOOR 0.05, about a quarter of today's ratio: the gateway 4× slower relative to the
#    upstream (a debug gateway is CPU-bound at ~1 ms a request, so a short sleep barely moves it:
#    the latency ceiling catches that);
#  - ADDED_P50_CEILING_MS 8, about 6× today's added p50: a per-request sleep of ~7 ms or more;
#  - SSE_ADDED_P50_CEILING_MS 20: events held back (collected, or flushed late) by 20 ms or more;
#  - the memory limit, idle + 128 MiB, half of what a whole 256 MiB body held in memory would add.
RATIO_FLOOR=${RATIO_FLOOR:-0.05}
ADDED_P50_CEILING_MS=${ADDED_P50_CEILING_MS:-8}
SSE_ADDED_P50_CEILING_MS=${SSE_ADDED_P50_CEILING_MS:-20}
RSS_GROWTH_LIMIT_MIB=128
STREAM_BYTES=$((256 << 20))

BIN=${BIN:-.build/debug/synapse}
[ -x "$BIN" ] || swift build --product synapse
if ! command -v wrk >/dev/null; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

UP_PORT=$(free_port); GW_PORT=$(free_port)
$BIN bench-upstream --port "$UP_PORT" > "$WORK/up.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/smoke.yaml" <<YAML
gateway: {logLevel: warning, voiceLibraryDir: "$WORK/voices"}
backends:
  llama-embed: {url: "http://127.0.0.1:$UP_PORT", type: openai-compatible}
  deepfilter-audio: {url: "http://127.0.0.1:$UP_PORT", type: deepfilter}
  whisper-stt: {url: "http://127.0.0.1:$UP_PORT", type: faster-whisper}
YAML
$BIN serve --config "$WORK/smoke.yaml" --host 127.0.0.1 --port "$GW_PORT" > "$WORK/gw.log" 2>&1 &
GW_PID=$!; PIDS+=($GW_PID)
up=0
for _ in $(seq 1 300); do
  curl -sS -o /dev/null --max-time 1 "http://127.0.0.1:$UP_PORT/" 2>/dev/null \
    && curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$GW_PORT/healthz" 2>/dev/null && { up=1; break; }
  sleep 0.1
done
[ "$up" = 1 ] || { echo "bench-smoke: the gateway or the upstream did not come up"; cat "$WORK/gw.log"; exit 1; }

# wrk → "rps p50_ms failures" (non-2xx answers and socket errors together).
run_wrk() { # connections seconds url
  wrk -t1 -c"$1" -d"$2s" --latency -s scripts/bench-post.lua "$3" > "$WORK/wrk.out" 2>&1
  awk -f scripts/wrk-summary.awk "$WORK/wrk.out" | awk '{ print $1, $2, $4 + $5 }'
}
DIRECT="http://127.0.0.1:$UP_PORT/v1/embeddings"; GATEWAY="http://127.0.0.1:$GW_PORT/v1/embeddings"
run_wrk 8 1 "$GATEWAY" > /dev/null # warm-up: connections, first-use allocations
read -r direct_rps _ direct_bad < <(run_wrk 8 3 "$DIRECT")
read -r gw_rps _ gw_bad < <(run_wrk 8 3 "$GATEWAY")
read -r _ direct_p50 _ < <(run_wrk 1 2 "$DIRECT")
read -r _ gw_p50 gw1_bad < <(run_wrk 1 2 "$GATEWAY")
sse_direct=$(python3 scripts/sse-latency.py "http://127.0.0.1:$UP_PORT/stream?events=200" 200 || echo "0 0")
sse_gw=$(python3 scripts/sse-latency.py "http://127.0.0.1:$GW_PORT/stt/stream?events=200" 200 || echo "0 0")

idle=$(awk '/^VmRSS/ {print $2}' "/proc/$GW_PID/status")
echo 5 > "/proc/$GW_PID/clear_refs" 2>/dev/null || true # the peak mark from here on (VmHWM since start otherwise)
truncate -s "$STREAM_BYTES" "$WORK/upload.bin"
received=$(curl -fsS -X POST -T "$WORK/upload.bin" -H 'Content-Type: multipart/form-data; boundary=smoke' \
  "http://127.0.0.1:$GW_PORT/audio/denoise")
downloaded=$(curl -fsS -X POST -H 'Content-Type: multipart/form-data; boundary=smoke' --data-binary $'--smoke--\r\n' \
  -o /dev/null -w '%{size_download}' "http://127.0.0.1:$GW_PORT/audio/convert?bytes=$STREAM_BYTES")
peak=$(awk '/^VmHWM/ {print $2}' "/proc/$GW_PID/status")

failed=0
check() { # description ok(0/1)
  if [ "$2" = 1 ]; then echo "  ok    $1"; else echo "  FAIL  $1"; failed=1; fi
}
ratio=$(python3 -c "print(f'{$gw_rps / max($direct_rps, 1):.3f}')")
added=$(python3 -c "print(f'{$gw_p50 - $direct_p50:.3f}')")
growth=$(( (peak - idle) / 1024 ))
echo "bench-smoke ($BIN): c=8 direct $direct_rps req/s, through the gateway $gw_rps req/s; c=1 p50 direct $direct_p50 ms, gateway $gw_p50 ms"
check "gateway ÷ direct at c=8: $ratio (floor $RATIO_FLOOR)" "$(python3 -c "print(int($ratio >= $RATIO_FLOOR))")"
check "added p50 at c=1: $added ms (ceiling $ADDED_P50_CEILING_MS ms)" "$(python3 -c "print(int($added <= $ADDED_P50_CEILING_MS))")"
check "failed requests: $((direct_bad + gw_bad + gw1_bad)) (must be 0)" "$([ $((direct_bad + gw_bad + gw1_bad)) = 0 ] && echo 1 || echo 0)"
read -r sse_n sse_direct_p50 _ <<< "$sse_direct"; read -r sse_gw_n sse_gw_p50 _ <<< "$sse_gw"
sse_added=$(python3 -c "print(f'{($sse_gw_p50 - $sse_direct_p50) / 1000:.3f}')")
check "SSE through the gateway: $sse_gw_n of 200 events (direct $sse_n), added p50 $sse_added ms (ceiling $SSE_ADDED_P50_CEILING_MS ms)" \
  "$(python3 -c "print(int($sse_n == 200 and $sse_gw_n == 200 and $sse_added <= $SSE_ADDED_P50_CEILING_MS))")"
check "256 MiB streamed each way: upload answered $received, download $downloaded bytes" \
  "$([ "$received" = "{\"received\":$STREAM_BYTES}" ] && [ "$downloaded" = "$STREAM_BYTES" ] && echo 1 || echo 0)"
check "peak RSS while streaming: idle $((idle / 1024)) MiB + $growth MiB (limit + $RSS_GROWTH_LIMIT_MIB MiB)" \
  "$([ "$growth" -le "$RSS_GROWTH_LIMIT_MIB" ] && echo 1 || echo 0)"
[ "$failed" = 0 ] && echo "bench-smoke: pass" || { echo "bench-smoke: FAILED (a gross regression of the pass-through path; scripts/bench.sh measures it properly)"; exit 1; }
