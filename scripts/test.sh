#!/usr/bin/env bash
# The whole test suite: the format check, Swift tests (unit, gateway, mocks, conformance, scenarios
# in-process and against a remote mock set), a short fuzz run, the real-client tests (the official
# OpenAI Python SDK against the mocks), record and replay end to end, and the attack probes.
# Used by the README and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-test-tools
# Formatting and lint first: seconds, and nothing else is worth running on an unformatted tree.
scripts/format.sh --check
swift build --build-tests
# A Swift test run, its output kept in .build/test-logs/NAME.log; when it fails, the failures and
# any crash report are printed again at the end, where a CI excerpt (the tail) shows them.
swift_tests() {
  local name=$1 limit=$2; shift 2
  mkdir -p .build/test-logs
  if timeout --signal=KILL "$limit" swift test --skip-build "$@" 2>&1 | tee ".build/test-logs/$name.log"; then return 0; fi
  echo "=== $name failed; the failures and crash reports from .build/test-logs/$name.log:"
  grep -E -A3 "✘|Fatal error|Crash|crashed|Thread [0-9]+ crashed|error:" ".build/test-logs/$name.log" | grep -v "^0x" | head -150
  return 1
}
# The suite takes about a minute; a hung test must fail the run, not eat CI's 90 minutes.
swift_tests main 1800 --skip RealTime
# Suites that hold real time to milliseconds (SSE playback offsets within 20 ms, an open-model
# rate within 5%) run on their own once the machine is quiet.
swift_tests realtime 600 --filter RealTime
# The OpenAPI document against the reference validator (openapi-spec-validator): seconds.
scripts/openapi-check.sh
# The Kubernetes manifests (deploy/k8s): rendered with kustomize, validated against the Kubernetes
# API schemas, checked against the gateway's own configuration (seconds).
scripts/deploy-check.sh
# A short, seeded and deterministic fuzz run of every parser target (10^4 inputs each; 1000 for the socket target).
scripts/fuzz.sh 10000
scripts/client-tests.sh
# Record through synapse dev, replay at 5x with thresholds and reports, play back (about 30 s).
scripts/record-replay.sh
# Every attack of the hardening issue against a real synapse dev (about 20 s).
scripts/attack.sh
# The pass-through benchmark's regression guard: a per-request sleep, a whole-body buffer or a held-back SSE stream fails it, noise does not (about 20 s).
scripts/bench-smoke.sh
# The dashboard in headless chromium against a real synapse dev, with screenshots in .build/browser/ (about 30 s).
scripts/browser-tests.sh
# The container's binary: the Dockerfile's static release build, its libraries against the runtime
# stage's packages, and a start of it (about 11 minutes from scratch, seconds when nothing changed).
scripts/package.sh
