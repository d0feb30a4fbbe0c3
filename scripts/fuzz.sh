#!/usr/bin/env bash
# Fuzzes every input-facing parser and the HTTP layer with seeded generated inputs:
#   scripts/fuzz.sh [N] [SEED]    N inputs per parser target (default 1000000), N/10 (at least 100)
#                                 for the socket target; crashing inputs land in .build/fuzz-crashes/.
# Each target runs in a child process, so a trap is caught, reported and its input saved; exit 1
# if any input crashed. Targets, seeds (Fixtures/fuzz/<target>/) and the generator: README "Fuzzing".
set -euo pipefail
cd "$(dirname "$0")/.."

count="${1:-1000000}"
seed="${2:-1}"
configuration="${SYNAPSE_FUZZ_CONFIGURATION:-debug}"

swift build -c "$configuration" --product synapse
synapse="$(swift build -c "$configuration" --show-bin-path)/synapse"

# The supervisor must notice a dying worker: a target that traps on purpose has to be reported.
if "$synapse" fuzz --target trap-check --count 8 --crashes "$(mktemp -d)" > /dev/null; then
    echo "fuzz.sh: the trap-check target did not report its crashes" >&2
    exit 1
fi

"$synapse" fuzz --count "$count" --seed "$seed" --seeds Fixtures/fuzz --crashes .build/fuzz-crashes
