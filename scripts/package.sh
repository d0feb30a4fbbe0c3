#!/usr/bin/env bash
# Builds the release binary the Dockerfile builds, here, and checks that the Dockerfile's runtime
# stage can run it (images cannot be pulled on every machine; this script can run in CI):
#  1. the Swift toolchain here has the Dockerfile's Swift version (major.minor), and this machine,
#     the build stage and the runtime stage are one Debian release (library sonames differ between
#     releases);
#  2. the Dockerfile's build command is this script's;
#  3. builds: swift build -c release --product synapse --static-swift-stdlib (into .build-static/);
#  4. every shared library `ldd` lists is in deploy/runtime-libraries.txt (none "not found"),
#     and, where dpkg can tell, comes from the package the list names;
#  5. the Dockerfile's runtime `apt-get install` names exactly the list's packages;
#  6. the binary starts: `--help`, then `synapse mocks` and `synapse serve` on free loopback ports,
#     as UID 10001 (the image's user) when run as root, with everything written in a temporary
#     folder: /healthz and /readyz answer 200, /health reports the six mocks healthy, and SIGTERM
#     exits 0.
# Prints the binary's path, size and libraries. Safe to run again (the build is incremental);
# works from any directory. Exit status 1 with the reason on any failure.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

BUILD_FLAGS="-c release --product synapse --static-swift-stdlib"
SCRATCH=.build-static
LIBS=deploy/runtime-libraries.txt
DOCKERFILE=Dockerfile
fail() { echo "package: FAIL: $*" >&2; exit 1; }
say() { echo "package: $*"; }

# ---- 1, 2: the Dockerfile against this machine ----------------------------------------------
build_from=$(grep -E '^FROM[[:space:]]+swift:' "$DOCKERFILE" | head -1 | awk '{print $2}')
runtime_from=$(grep -E '^FROM[[:space:]]' "$DOCKERFILE" | tail -1 | awk '{print $2}')
[ -n "$build_from" ] || fail "$DOCKERFILE has no 'FROM swift:…' build stage"
image_swift=$(sed -E 's/^swift:([0-9]+\.[0-9]+).*/\1/' <<<"$build_from")
image_codename=$(sed -E 's/^swift:[^-]*-([a-z]+).*/\1/' <<<"$build_from")
runtime_codename=$(sed -E 's/^debian:([a-z]+).*/\1/' <<<"$runtime_from")
local_swift=$(swift --version 2>/dev/null | sed -nE 's/.*Swift version ([0-9]+\.[0-9]+).*/\1/p' | head -1)
local_codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")
[ "$local_swift" = "$image_swift" ] \
  || fail "Swift here is ${local_swift:-missing}, the Dockerfile builds with $build_from: update one of them"
[ "$image_codename" = "$runtime_codename" ] \
  || fail "the Dockerfile builds on $image_codename ($build_from) but runs on $runtime_from: use one Debian release"
[ "$local_codename" = "$runtime_codename" ] \
  || fail "this machine is Debian $local_codename, the image runs $runtime_from: ldd here would not show the image's sonames"
# Every `swift build` of the Dockerfile (the build and its --show-bin-path) has exactly our flags.
builds=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$DOCKERFILE" | grep -oE 'swift build [^&")]*' | sed -E 's/ --show-bin-path//; s/[[:space:]]+/ /g; s/ $//')
[ -n "$builds" ] || fail "$DOCKERFILE has no 'swift build'"
while IFS= read -r build; do
  [ "$build" = "swift build $BUILD_FLAGS" ] \
    || fail "$DOCKERFILE runs '$build', this script 'swift build $BUILD_FLAGS': keep them the same"
done <<<"$builds"
say "Swift $local_swift and Debian $local_codename, as $build_from → $runtime_from"

# ---- 3: build -------------------------------------------------------------------------------
# The system libraries the build links, when missing (scripts/setup.sh's list).
scripts/setup.sh --packages-only
# shellcheck disable=SC2086 # BUILD_FLAGS is a list of flags
swift build $BUILD_FLAGS --scratch-path "$SCRATCH"
# shellcheck disable=SC2086
BIN=$(swift build $BUILD_FLAGS --scratch-path "$SCRATCH" --show-bin-path 2>/dev/null)/synapse
[ -x "$BIN" ] || fail "no binary at $BIN"

# ---- 4, 5: libraries and the Dockerfile's packages ------------------------------------------
ldd_out=$(ldd "$BIN" 2>&1) || true
python3 - "$LIBS" "$DOCKERFILE" "$ldd_out" <<'PY' || exit 1
import re, shutil, subprocess, sys

libs_path, dockerfile_path, ldd_out = sys.argv[1:4]
problems = []

# The allow-list: "soname package" per line, "-" for a package that is not a library.
allowed, packages = {}, set()
for number, line in enumerate(open(libs_path), 1):
    fields = line.split("#", 1)[0].split()
    if not fields:
        continue
    if len(fields) != 2:
        sys.exit(f"package: FAIL: {libs_path}:{number}: expected 'soname package', got {line.strip()!r}")
    soname, package = fields
    packages.add(package)
    if soname != "-":
        allowed[soname] = package

# What the binary needs, as ldd resolves it here.
needed = []  # (soname, resolved path or None)
if "not a dynamic executable" not in ldd_out:
    for line in ldd_out.splitlines():
        line = line.strip()
        if not line:
            continue
        if "=>" in line:
            name, target = (part.strip() for part in line.split("=>", 1))
            if target.startswith("not found"):
                problems.append(f"{name}: not found (the binary needs it and nothing here provides it)")
                continue
            path = target.split(" (", 1)[0].strip() or None
        else:
            path = line.split(" (", 1)[0].strip()
            name = path.rsplit("/", 1)[-1]
            path = path if path.startswith("/") else None
        if name.startswith("linux-vdso") or name.startswith("linux-gate"):
            continue  # provided by the kernel
        needed.append((name, path))

for name, path in needed:
    if name not in allowed:
        problems.append(f"{name} ({path}): not in {libs_path} — the runtime image would not have it; "
                        "add it with its Debian package (and to the Dockerfile), or remove the dependency")
        continue
    # Which package owns it here (dpkg knows the files of installed packages).
    if path and shutil.which("dpkg-query"):
        result = subprocess.run(["dpkg-query", "-S", f"*/{name}"], capture_output=True, text=True)
        owners = {entry.split(":", 1)[0].strip() for entry in result.stdout.splitlines()
                  if entry.rstrip().endswith("/" + name)}
        owners = {owner.split(":")[0] for owner in owners}
        if owners and allowed[name] not in owners:
            problems.append(f"{name}: {libs_path} says package {allowed[name]}, dpkg says {', '.join(sorted(owners))}")

# The runtime stage's apt-get install (the stage after the last FROM), continuation lines joined.
text = open(dockerfile_path).read().replace("\\\n", " ")
runtime = re.split(r"(?m)^FROM\s", text)[-1]
installs = [line for line in runtime.splitlines() if line.startswith("RUN") and "apt-get install" in line]
if len(installs) != 1:
    problems.append(f"{dockerfile_path}: expected one 'apt-get install' in the runtime stage, found {len(installs)}")
else:
    words = installs[0].split("apt-get install", 1)[1].split("&&", 1)[0].split()
    listed = {word for word in words if not word.startswith("-")}
    for package in sorted(listed - packages):
        problems.append(f"{dockerfile_path} installs {package}, which {libs_path} does not list")
    for package in sorted(packages - listed):
        problems.append(f"{libs_path} lists {package}, which the {dockerfile_path} runtime stage does not install")

if problems:
    print("package: FAIL: the binary and the runtime image do not agree:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)
    sys.exit(1)
print(f"package: libraries ({len(needed)}), all in {libs_path}:")
for name, path in needed:
    print(f"  {name:<28} {allowed[name]:<16} {path or ''}")
print(f"package: {dockerfile_path} runtime stage installs exactly {libs_path}'s {len(packages)} packages")
PY

# ---- 6: the binary starts -------------------------------------------------------------------
"$BIN" --help >/dev/null || fail "$BIN --help exited $?"

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
mkdir -p "$WORK/tmp" "$WORK/voices"
# As the image's user when we can: then nothing the binary needs may be root's.
RUN_AS=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  chown -R 10001:10001 "$WORK"
  RUN_AS=(setpriv --reuid=10001 --regid=10001 --clear-groups)
fi
# A clean environment, as in the container: only what is set here reaches the binary.
ENVIRONMENT=(env -i PATH=/usr/bin:/bin HOME="$WORK" TMPDIR="$WORK/tmp")
BASE=$(python3 scripts/free-ports.py 8)
CONTROL=$BASE MOCKS=$((BASE + 1)) GATEWAY=$((BASE + 7))

"${ENVIRONMENT[@]}" "${RUN_AS[@]}" "$BIN" mocks --port-base "$MOCKS" --control-port "$CONTROL" \
  --write-config "$WORK/backends.yaml" >"$WORK/mocks.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do [ -s "$WORK/backends.yaml" ] && break; sleep 0.1; done
[ -s "$WORK/backends.yaml" ] || { cat "$WORK/mocks.log" >&2; fail "synapse mocks did not start"; }

"${ENVIRONMENT[@]}" SYNAPSE_VOICE_LIBRARY_DIR="$WORK/voices" SYNAPSE_MODEL_PROFILES_PATH="$WORK/voices/model-profiles.json" \
  SYNAPSE_GATEWAY_DRAIN_WINDOW=0s SYNAPSE_INSTANCE_ID=package-check "${RUN_AS[@]}" \
  "$BIN" serve --config "$WORK/backends.yaml" --host 127.0.0.1 --port "$GATEWAY" >"$WORK/serve.log" 2>&1 &
SERVE=$!
PIDS+=($SERVE)
G=http://127.0.0.1:$GATEWAY
up=no
for _ in $(seq 1 100); do curl -fsS -o /dev/null --max-time 1 "$G/healthz" 2>/dev/null && { up=yes; break; }; sleep 0.1; done
[ "$up" = yes ] || { cat "$WORK/serve.log" >&2; fail "synapse serve did not answer $G/healthz"; }
curl -fsS -o /dev/null --max-time 2 "$G/readyz" || fail "$G/readyz did not answer 200"
health=$(curl -sS --max-time 10 "$G/health") || fail "$G/health did not answer"
python3 -c 'import json, sys
health = json.loads(sys.argv[1])
bad = [name for name, backend in health["backends"].items() if backend.get("status") != "healthy"]
assert health["status"] == "healthy" and len(health["backends"]) == 6 and not bad, sys.argv[1]' "$health" \
  || fail "$G/health is not six healthy mocks: $health"
kill -TERM "$SERVE"
status=0
wait "$SERVE" || status=$?
[ "$status" -eq 0 ] || { cat "$WORK/serve.log" >&2; fail "synapse serve exited $status after SIGTERM (expected 0)"; }
say "starts: --help; mocks + serve$([ ${#RUN_AS[@]} -gt 0 ] && echo ' as UID 10001'): /healthz, /readyz 200, /health six mocks healthy, SIGTERM exit 0"

size=$(stat -c %s "$BIN")
say "OK: $BIN ($((size / 1024 / 1024)) MiB, $size bytes)"
