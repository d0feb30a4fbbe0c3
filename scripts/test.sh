#!/usr/bin/env bash
# The whole test suite: the format check, Swift tests (unit, gateway, mocks, conformance, scenarios
# in-process and against a remote mock set), a short fuzz run, the real-client tests (the official
# OpenAI Python SDK against the mocks) and the attack probes.
# Used by the README and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-test-tools
# Formatting and lint first: seconds, and nothing else is worth running on an unformatted tree.
scripts/format.sh --check
swift build --build-tests
# The suite takes about a minute; a hung test must fail the run, not eat CI's 90 minutes.
timeout --signal=KILL 1800 swift test --skip-build
# A short, seeded and deterministic fuzz run of every parser target (10^4 inputs each; 1000 for the socket target).
scripts/fuzz.sh 10000
scripts/client-tests.sh
# Every attack of the hardening issue against a real synapse dev (about 20 s).
scripts/attack.sh
