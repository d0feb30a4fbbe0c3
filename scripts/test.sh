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
# The suite takes about a minute; a hung test must fail the run, not eat CI's 90 minutes.
timeout --signal=KILL 1800 swift test --skip-build --skip RealTime
# Suites that hold real time to milliseconds (SSE playback offsets within 20 ms, an open-model
# rate within 5%) run on their own once the machine is quiet.
timeout --signal=KILL 600 swift test --skip-build --filter RealTime
# The OpenAPI document against the reference validator (openapi-spec-validator): seconds.
scripts/openapi-check.sh
# A short, seeded and deterministic fuzz run of every parser target (10^4 inputs each; 1000 for the socket target).
scripts/fuzz.sh 10000
scripts/client-tests.sh
# Record through synapse dev, replay at 5x with thresholds and reports, play back (about 30 s).
scripts/record-replay.sh
# Every attack of the hardening issue against a real synapse dev (about 20 s).
scripts/attack.sh
