#!/usr/bin/env bash
# The whole test suite: Swift tests (unit, gateway, mocks, conformance), a short fuzz run, the
# real-client tests (the official OpenAI Python SDK against the mocks) and the attack probes.
# Used by the README and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-test-tools
swift build --build-tests
swift test --skip-build
# A short, seeded and deterministic fuzz run of every parser target (10^4 inputs each; 1000 for the socket target).
scripts/fuzz.sh 10000
scripts/client-tests.sh
# Every attack of the hardening issue against a real synapse dev (about 20 s).
scripts/attack.sh
