# Sourced by scripts/bench.sh (ONLY=proxy or all): issue 16's comparison of Synapse with nginx as a
# reverse proxy, on one upstream, interleaved. Uses bench.sh's BIN, BUILD, WORK, PIDS, DURATION,
# REPS and helpers (free_port, wait_up, rss_kib, hwm_kib).
#
# The upstream is `synapse bench-upstream`: a fixed 27-byte JSON answer, an SSE stream computed per
# request (1,000 events, 1 ms apart, each with its send time), an upload sink and a download source
# of zero bytes. Nothing is memoized, so no figure is flattered by a cache. It listens with uvicorn's
# accept queue (2,048), so a proxy opening many connections at once meets a backend's, not 256.

# nginx: installed when missing, run in the foreground (master + 2 workers) from a config of its own.
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -x "$NGINX" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "bench: installing nginx (apt-get)"
  $SUDO apt-get update -qq
  # policy-rc.d or not, a started system nginx would not be ours: stop it again if it came up.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 \
    || DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nginx >/dev/null
  NGINX=$(command -v nginx || echo /usr/sbin/nginx)
fi

UP_PORT=$(free_port); NGINX_PORT=$(free_port); GW_PORT=$(free_port)
$BIN bench-upstream --port "$UP_PORT" > "$WORK/proxy-up.log" 2>&1 &
PIDS+=($!)

mkdir -p "$WORK/nginx"
# What an operator would write: 2 workers (one per core), keep-alive to the upstream, HTTP/1.1
# upstream connections, no body size limit, an access log (buffered), and buffering off where the
# answer or the upload streams (SSE, 1 GiB each way).
cat > "$WORK/nginx/nginx.conf" <<NGINX
$([ "$(id -u)" -eq 0 ] && echo "user root;")
worker_processes 2;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log $WORK/nginx/access.log combined buffer=64k flush=1s;
  client_body_temp_path $WORK/nginx/client-body;
  proxy_temp_path $WORK/nginx/proxy;
  client_max_body_size 0;
  upstream bench_upstream { server 127.0.0.1:$UP_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    location / { proxy_pass http://bench_upstream; }
    location ~ ^/(stream|denoise|convert)$ {
      proxy_pass http://bench_upstream;
      proxy_buffering off;
      proxy_request_buffering off;
    }
  }
}
NGINX
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" &
NGINX_PID=$!; PIDS+=($NGINX_PID)

# Synapse: every backend these routes need at the same upstream; the gateway's defaults otherwise
# (log level included: the access log is part of what a request costs), but for llama-embed's
# in-flight limit: its default (256 waiting for an answer, as many queued) protects a GPU backend,
# and at 1,024 connections it answers the excess 503 at once, which wrk would count as requests.
cat > "$WORK/proxy.yaml" <<YAML
gateway: {voiceLibraryDir: "$WORK/voices"}
backends:
  llama-embed: {url: "http://127.0.0.1:$UP_PORT", type: openai-compatible, limits: {maxInFlight: 1024}}
  whisper-stt: {url: "http://127.0.0.1:$UP_PORT", type: faster-whisper}
  deepfilter-audio: {url: "http://127.0.0.1:$UP_PORT", type: deepfilter}
YAML
$BIN serve --config "$WORK/proxy.yaml" --host 127.0.0.1 --port "$GW_PORT" > "$WORK/proxy-gw.log" 2>&1 &
SYN_PID=$!; PIDS+=($SYN_PID)
for _ in $(seq 1 200); do curl -sS -o /dev/null --max-time 1 "http://127.0.0.1:$UP_PORT/" 2>/dev/null && break; sleep 0.1; done
for _ in $(seq 1 200); do curl -sS -o /dev/null --max-time 1 "http://127.0.0.1:$NGINX_PORT/" 2>/dev/null && break; sleep 0.1; done
wait_up "http://127.0.0.1:$GW_PORT/healthz"

truncate -s 1G "$WORK/proxy-upload.bin"
GIB=1073741824

# One line per measurement: "CASE TARGET METRIC VALUE", summarized (medians) at the end.
RESULTS="$WORK/proxy-results.txt"; : > "$RESULTS"
record() { echo "$1 $2 $3 $4" >> "$RESULTS"; }
base_url() { case $1 in direct) echo "http://127.0.0.1:$UP_PORT" ;; nginx) echo "http://127.0.0.1:$NGINX_PORT" ;; synapse) echo "http://127.0.0.1:$GW_PORT" ;; esac; }
# Resident memory of what proxies: the gateway, or nginx's master and workers together (KiB).
proxy_pids() { case $1 in nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;; synapse) echo "$SYN_PID" ;; esac; }
# Resets the peak-RSS mark (VmHWM) of the target's processes, so the next reading is this run's peak.
reset_peak() { local pid; for pid in $(proxy_pids "$1"); do echo 5 > "/proc/$pid/clear_refs"; done; }
peak_kib() { local pid total=0; for pid in $(proxy_pids "$1"); do total=$((total + $(hwm_kib "$pid"))); done; echo "$total"; }
now_kib() { local pid total=0; for pid in $(proxy_pids "$1"); do total=$((total + $(rss_kib "$pid"))); done; echo "$total"; }
# Before a run: the peak mark reset and the RSS at that moment recorded, so the run's growth is its
# peak minus that (memory an earlier case left in the allocator is not charged to this one).
start_rss() { [ "$2" = direct ] && return 0; reset_peak "$2"; record "$1" "$2" base_kib "$(now_kib "$2")"; }
# wrk against a target: "rps p50_ms p99_ms non2xx_and_errors".
wrk_post() { # target connections threads url
  wrk -t"$3" -c"$2" -d"${DURATION}s" --latency -s scripts/bench-post.lua "$4" > "$WORK/proxy-wrk.out" 2>&1
  awk -v digits=4 -f scripts/wrk-summary.awk "$WORK/proxy-wrk.out" | awk '{ print $1, $2, $3, $4 + $5 }'
}
path_for() { # case target → path
  case $1 in
    sse) [ "$2" = synapse ] && echo "/stt/stream" || echo "/stream" ;;
    upload) [ "$2" = synapse ] && echo "/audio/denoise" || echo "/denoise" ;;
    download) [ "$2" = synapse ] && echo "/audio/convert?bytes=$GIB" || echo "/convert?bytes=$GIB" ;;
    *) echo "/v1/embeddings" ;;
  esac
}

measure() { # case target
  local url; url="$(base_url "$2")$(path_for "$1" "$2")"
  local rps p50 p99 bad n
  case $1 in
    c64 | c1024)
      start_rss "$1" "$2"
      read -r rps p50 p99 bad < <(wrk_post "$2" "${1#c}" 2 "$url")
      record "$1" "$2" rps "$rps"; record "$1" "$2" p99_ms "$p99"; record "$1" "$2" errors "$bad"
      [ "$bad" = 0 ] || echo "$1 $2: $(grep -E 'Socket errors|Non-2xx' "$WORK/proxy-wrk.out" | tr -s ' \n' ' ')" >> "$WORK/proxy-errors.txt"
      [ "$2" != direct ] && record "$1" "$2" peak_kib "$(peak_kib "$2")" ;;
    c1)
      read -r rps p50 p99 bad < <(wrk_post "$2" 1 1 "$url")
      record c1 "$2" p50_ms "$p50"; record c1 "$2" p99_ms "$p99"; record c1 "$2" errors "$bad" ;;
    sse)
      read -r n p50 p99 _ < <(python3 scripts/sse-latency.py "$url" 1000)
      record sse "$2" p50_us "$p50"; record sse "$2" p99_us "$p99" ;;
    upload | download)
      start_rss "$1" "$2"
      local speed
      if [ "$1" = upload ]; then
        speed=$(curl -fsS -X POST -T "$WORK/proxy-upload.bin" -H 'Expect:' -H 'Content-Type: multipart/form-data; boundary=bench' \
          -o "$WORK/proxy-up.json" -w '%{speed_upload}' "$url")
        grep -q "$GIB" "$WORK/proxy-up.json" || { echo "bench: upload through $2 answered $(cat "$WORK/proxy-up.json")"; exit 1; }
      else
        speed=$(curl -fsS -X POST -H 'Content-Type: multipart/form-data; boundary=bench' --data-binary $'--bench--\r\n' \
          -o /dev/null -w '%{speed_download} %{size_download}' "$url")
        [ "${speed#* }" = "$GIB" ] || { echo "bench: download through $2 got ${speed#* } bytes"; exit 1; }
        speed=${speed% *}
      fi
      record "$1" "$2" mb_s "$(python3 -c "print(f'{$speed / 1e6:.1f}')")"
      [ "$2" != direct ] && record "$1" "$2" peak_kib "$(peak_kib "$2")" ;;
  esac
  return 0
}

# Warm-up: a connection and a few requests per route on every target, then idle memory.
for target in direct nginx synapse; do
  wrk -t1 -c4 -d1s -s scripts/bench-post.lua "$(base_url "$target")/v1/embeddings" > /dev/null
  python3 scripts/sse-latency.py "$(base_url "$target")$(path_for sse "$target")?events=10" 10 > /dev/null
done
sleep 1
SYN_IDLE=$(rss_kib "$SYN_PID")
NGINX_IDLE=0; for pid in $(proxy_pids nginx); do NGINX_IDLE=$((NGINX_IDLE + $(rss_kib "$pid"))); done
# The container's binary (scripts/package.sh builds it into .build-static: the Swift libraries
# linked statically) idles smaller than the development build, which maps the shared Swift and
# Foundation libraries whole: measured the same way, on the same config, when it has been built.
STATIC_BIN=.build-static/release/synapse
STATIC_IDLE=0
if [ -x "$STATIC_BIN" ]; then
  STATIC_PORT=$(free_port)
  "$STATIC_BIN" serve --config "$WORK/proxy.yaml" --host 127.0.0.1 --port "$STATIC_PORT" > "$WORK/proxy-static.log" 2>&1 &
  STATIC_PID=$!
  wait_up "http://127.0.0.1:$STATIC_PORT/healthz"
  wrk -t1 -c4 -d1s -s scripts/bench-post.lua "http://127.0.0.1:$STATIC_PORT/v1/embeddings" > /dev/null
  python3 scripts/sse-latency.py "http://127.0.0.1:$STATIC_PORT/stt/stream?events=10" 10 > /dev/null
  sleep 1
  STATIC_IDLE=$(rss_kib "$STATIC_PID")
  kill "$STATIC_PID"; wait "$STATIC_PID" 2>/dev/null || true
fi

CASES=(c64 c1 sse upload download c1024)
echo "Synapse against nginx as a reverse proxy, on one upstream (synapse bench-upstream); $BUILD build; $(nproc) cores shared by"
echo "the load generator, the proxy and the upstream; ${DURATION}s per wrk run; $REPS repetitions, each case run direct, nginx,"
echo "synapse in turn; medians (peak RSS: the largest of the repetitions)"
for rep in $(seq 1 "$REPS"); do
  for case_name in "${CASES[@]}"; do
    for target in direct nginx synapse; do measure "$case_name" "$target"; done
  done
  echo "  repetition $rep of $REPS done"
done
SYN_END=$(rss_kib "$SYN_PID")
[ -s "$WORK/proxy-errors.txt" ] && { echo "  wrk runs with errors (wrk's own words):"; sed 's/^/    /' "$WORK/proxy-errors.txt"; }

python3 - "$RESULTS" "$SYN_IDLE" "$NGINX_IDLE" "$SYN_END" "$STATIC_IDLE" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
syn_idle, nginx_idle, syn_end, static_idle = (int(v) / 1024 for v in sys.argv[2:6])
values = {}
for case, target, metric, value in rows:
    values.setdefault((case, target, metric), []).append(float(value))
def med(case, target, metric):
    return statistics.median(values[(case, target, metric)])
def peak(case, target):
    return max(values[(case, target, "peak_kib")]) / 1024
def growth(case, target):  # the largest rise of a run over the RSS at its start
    return max(p - b for p, b in zip(values[(case, target, "peak_kib")], values[(case, target, "base_kib")])) / 1024
def errors(case):
    return "/".join(str(int(sum(values.get((case, t, "errors"), [0])))) for t in ("direct", "nginx", "synapse"))
lines = []
def row(name, direct, nginx, synapse, ratio, goal="", ok=None):
    mark = "" if ok is None else (" ✓" if ok else " ✗")
    lines.append(f"| {name} | {direct} | {nginx} | {synapse} | {ratio} | {goal}{mark} |")
lines.append("| measure | direct | nginx | synapse | synapse ÷ nginx | goal |")
lines.append("|---|---|---|---|---|---|")
r = {t: med("c64", t, "rps") for t in ("direct", "nginx", "synapse")}
row("JSON c=64 req/s", f"{r['direct']:,.0f}", f"{r['nginx']:,.0f}", f"{r['synapse']:,.0f}", f"{r['synapse'] / r['nginx']:.2f}×",
    "≥ 1.0× (milestone 0.6×)", r["synapse"] >= r["nginx"])
p = {t: med("c64", t, "p99_ms") for t in ("direct", "nginx", "synapse")}
row("JSON c=64 p99 ms", f"{p['direct']:.2f}", f"{p['nginx']:.2f}", f"{p['synapse']:.2f}", f"{p['synapse'] / p['nginx']:.2f}×")
c1 = {t: med("c1", t, "p50_ms") for t in ("direct", "nginx", "synapse")}
added_n, added_s = c1["nginx"] - c1["direct"], c1["synapse"] - c1["direct"]
row("JSON c=1 p50 ms", f"{c1['direct']:.3f}", f"{c1['nginx']:.3f}", f"{c1['synapse']:.3f}", f"{c1['synapse'] / c1['nginx']:.2f}×")
row("JSON c=1 p50 added over direct, ms", "", f"{added_n:.3f}", f"{added_s:.3f}", f"{added_s - added_n:+.3f} ms",
    "≤ nginx + 0.1 ms", added_s <= added_n + 0.1)
for stat in ("p50", "p99"):
    s = {t: med("sse", t, f"{stat}_us") for t in ("direct", "nginx", "synapse")}
    add_n, add_s = s["nginx"] - s["direct"], s["synapse"] - s["direct"]
    row(f"SSE per-event latency {stat} µs (added)", f"{s['direct']:.0f}", f"{s['nginx']:.0f} ({add_n:+.0f})",
        f"{s['synapse']:.0f} ({add_s:+.0f})", f"{s['synapse'] / s['nginx']:.2f}×",
        "added ≤ 200 µs" if stat == "p99" else "", (add_s <= 200) if stat == "p99" else None)
for case in ("upload", "download"):
    m = {t: med(case, t, "mb_s") for t in ("direct", "nginx", "synapse")}
    row(f"1 GiB {case} MB/s", f"{m['direct']:,.0f}", f"{m['nginx']:,.0f}", f"{m['synapse']:,.0f}", f"{m['synapse'] / m['nginx']:.2f}×",
        "≥ 0.8×", m["synapse"] >= 0.8 * m["nginx"])
    row(f"1 GiB {case} peak RSS MiB (rise during the run)", "", f"{peak(case, 'nginx'):.0f} ({growth(case, 'nginx'):+.0f})",
        f"{peak(case, 'synapse'):.0f} ({growth(case, 'synapse'):+.0f})", "", "synapse rise ≤ 64 MiB",
        growth(case, "synapse") <= 64)
k = {t: med("c1024", t, "rps") for t in ("direct", "nginx", "synapse")}
row("JSON c=1024 req/s", f"{k['direct']:,.0f}", f"{k['nginx']:,.0f}", f"{k['synapse']:,.0f}", f"{k['synapse'] / k['nginx']:.2f}×",
    f"≥ 0.9 × synapse c=64 ({k['synapse'] / r['synapse']:.2f}×)", k["synapse"] >= 0.9 * r["synapse"])
row("JSON c=1024 peak RSS MiB (over idle)", "", f"{peak('c1024', 'nginx'):.0f} ({peak('c1024', 'nginx') - nginx_idle:+.0f})",
    f"{peak('c1024', 'synapse'):.0f} ({peak('c1024', 'synapse') - syn_idle:+.0f})", "", "synapse ≤ idle + 128 MiB",
    peak("c1024", "synapse") - syn_idle <= 128)
row("idle RSS MiB (development build)", "", f"{nginx_idle:.0f}", f"{syn_idle:.0f}", "", "synapse ≤ 40 MiB", syn_idle <= 40)
if static_idle:
    row("idle RSS MiB (the container's static binary)", "", f"{nginx_idle:.0f}", f"{static_idle:.0f}", "", "synapse ≤ 40 MiB",
        static_idle <= 40)
else:
    row("idle RSS MiB (the container's static binary)", "", "", "not built (scripts/package.sh)", "", "synapse ≤ 40 MiB")
print("\n".join(lines))
print(f"  non-2xx answers and socket errors, direct/nginx/synapse, all repetitions: c=64 {errors('c64')}, c=1 {errors('c1')}, "
      f"c=1024 {errors('c1024')}; Synapse RSS idle {syn_idle:.0f} MiB, at the end {syn_end:.0f} MiB")
PY
kill "$SYN_PID" "$NGINX_PID" 2>/dev/null || true
wait "$SYN_PID" "$NGINX_PID" 2>/dev/null || true
