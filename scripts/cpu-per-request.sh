#!/usr/bin/env bash
# The CPU a running process spends per request: `scripts/cpu-per-request.sh PID URL [CONNECTIONS]
# [SECONDS]` runs `wrk -t2 -cCONNECTIONS -dSECONDS` with the benchmarks' small JSON POST against URL
# and divides the process's user+system CPU time over the run (fields 14 and 15 of /proc/PID/stat)
# by the requests wrk completed. For A/B comparisons: start both builds side by side on one
# upstream and alternate the runs, as the machine's figures drift by ±5 µs between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
PID=$1; URL=$2; CONNECTIONS=${3:-64}; SECONDS_=${4:-5}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$PID/stat"; }
before=$(cpu_ticks)
out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_}s" -s scripts/bench-post.lua "$URL")
after=$(cpu_ticks)
requests=$(echo "$out" | awk '/requests in/ { print $1 }')
rate=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
python3 -c "print(f'{float($rate):,.0f} req/s, {($after - $before) / $(getconf CLK_TCK) * 1e6 / $requests:.1f} µs of CPU a request')"
