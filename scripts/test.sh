#!/usr/bin/env bash
# The whole test suite: Swift tests (unit, gateway, mocks, conformance), then the real-client tests
# (the official OpenAI Python SDK against the mocks). Used by the README and by CI.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --with-test-tools
swift build --build-tests
swift test --skip-build
scripts/client-tests.sh
