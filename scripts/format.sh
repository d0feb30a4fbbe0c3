#!/usr/bin/env bash
# Formats the Swift sources with the toolchain's swift-format and the checked-in `.swift-format`
# (4-space indent, 160 columns, otherwise swift-format's defaults). `scripts/format.sh --check`
# changes nothing and fails when a file is not formatted or breaks a lint rule; the test command
# runs it. Two default rules are off on purpose (JSON has no comments, so the reasons live here):
#  - OnlyOneTrailingClosureArgument: test helpers take a setup closure and a body closure, and the
#    body reads best as the trailing one;
#  - AlwaysUseLowerCamelCase: Codable wire types mirror the snake_case keys of the protocols they
#    speak (`voice_id`), and mock model constants carry the real model names.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Mocks Tests)
if [ "${1:-}" = "--check" ]; then
  # lint --strict turns every finding (formatting included) into an error.
  swift format lint --strict --recursive --parallel "${paths[@]}"
  echo "format: clean"
else
  swift format format --in-place --recursive --parallel "${paths[@]}"
fi
