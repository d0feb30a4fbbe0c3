# wrk's --latency output → one line: "requests/s p50_ms p99_ms non-2xx socket_errors".
# Used by scripts/bench.sh, bench-proxy.sh and bench-smoke.sh; -v digits=N sets the decimals of
# the latencies (default 3).
function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
/Requests\/sec/ { rps = $2 }
/ 50%/ { p50 = ms($2) }
/ 99%/ { p99 = ms($2) }
/Non-2xx/ { non2xx += $4 }
/Socket errors/ { gsub(",", ""); sockets += $4 + $6 + $8 + $10 }
END {
  if (digits == "") digits = 3
  printf "%.0f %." digits "f %." digits "f %d %d\n", rps, p50, p99, non2xx, sockets
}
