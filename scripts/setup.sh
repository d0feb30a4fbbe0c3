#!/usr/bin/env bash
# Installs what a fresh machine needs to build Synapse (system libraries for SwiftNIO SSL and zlib,
# and libsndfile and libsamplerate, which the audio mocks read, write and resample with), then
# builds; extra arguments go to `swift build`. With --with-test-tools (scripts/test.sh) it also
# installs ffmpeg and sox, the independent readers and writers the audio tests check the mocks'
# audio against, chromium, the browser scripts/browser-tests.sh drives, and openssl, which makes
# the TLS tests' certificates. With --packages-only (scripts/package.sh, which builds in its own
# way) it installs and does not build. Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libssl-dev zlib1g-dev curl libsndfile1-dev libsamplerate0-dev)
build=yes
if [ "${1:-}" = "--with-test-tools" ]; then
  packages+=(ffmpeg sox chromium openssl)
  shift
elif [ "${1:-}" = "--packages-only" ]; then
  build=no
  shift
fi
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$build" = yes ]; then swift build --product synapse "$@"; fi
