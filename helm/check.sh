#!/usr/bin/env bash
# Checks the Helm chart and the plain manifests offline (no cluster): what .ci/run runs, and what a
# developer runs after changing helm/ or k8s/:
#   helm/check.sh
# 1. helm lint --strict; every value documented in helm/tlswatch/README.md;
# 2. helm template with the default values, with an external database, and with the Ingress,
#    NetworkPolicies, ServiceMonitor, HPA and STARTTLS on; NOTES.txt of the first and last;
#    postgresql.settings on PostgreSQL's command line;
# 3. every rendered object, and `kubectl kustomize k8s/`, validated against the Kubernetes schemas
#    (helm/validate-manifests.mjs, npm package kubernetes-models);
# 4. k8s/tlswatch.yaml in sync with the chart (k8s/render.sh --check).
# Tools come from the npm registry into .tools/ (helm/tools.sh). Needs bash, node and npm.
# The chart-and-services agreement test is separate: the Maven module helm-check (./mvnw verify).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
HELM="$(helm/tools.sh helm)"
KUBECTL="$(helm/tools.sh kubectl)"
export NODE_PATH="$(helm/tools.sh validator)/node_modules"
CHART=helm/tlswatch
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
passed=0 failed=0

check() { # name command...
  local name="$1"; shift
  if "$@" > "$OUT/log" 2>&1; then
    passed=$((passed + 1)); echo "ok    $name"; sed 's/^/      /' "$OUT/log" | tail -3
  else
    failed=$((failed + 1)); echo "FAIL  $name"; sed 's/^/      /' "$OUT/log"
  fi
}

# The value sets CI renders. The mail host is set where alert-service should start.
declare -A SETS=(
  [defaults]=""
  [external-database]="--set postgresql.enabled=false --set externalDatabase.host=db.example.com --set externalDatabase.existingSecret=tlswatch-db"
  [ingress-and-network-policies]="--set ingress.enabled=true --set networkPolicy.enabled=true
     --set networkPolicy.dashboardFrom[0].namespaceSelector.matchLabels.kubernetes\.io/metadata\.name=ingress-nginx
     --set metrics.serviceMonitor.enabled=true --set ingest.autoscaling.enabled=true
     --set ingest.smtp.tls.existingSecret=tlswatch-smtp-tls --set ingest.trustedProxies={10.0.0.0/8}
     --set ingest.smtp.acceptedRecipientDomains={tlsrpt.example.com} --set publicMailAddress=tlsrpt@tlsrpt.example.com
     --set alert.mail.host=smtp.example.com --set alert.mail.existingSecret=tlswatch-mail"
)

render() { # set-name
  # shellcheck disable=SC2086
  "$HELM" template tlswatch "$CHART" --namespace tlswatch ${SETS[$1]} > "$OUT/$1.yaml"
}

# NOTES.txt is not rendered by `helm template`, and `helm install --dry-run` wants a cluster: render
# it as a template of a copy of the chart.
notes() { # set-name expected-text...
  local set="$1"; shift
  rm -rf "$OUT/notes-chart" && cp -r "$CHART" "$OUT/notes-chart"
  cp "$CHART/templates/NOTES.txt" "$OUT/notes-chart/notes.tpl"
  printf 'notes: |\n{{ tpl (.Files.Get "notes.tpl") . | indent 2 }}\n' > "$OUT/notes-chart/templates/notes.yaml"
  # shellcheck disable=SC2086
  "$HELM" template tlswatch "$OUT/notes-chart" --namespace tlswatch ${SETS[$set]} \
    --show-only templates/notes.yaml > "$OUT/notes.txt"
  for text in "$@"; do
    grep -qF -- "$text" "$OUT/notes.txt" || { cat "$OUT/notes.txt"; echo "NOTES.txt lacks: $text"; return 1; }
  done
  echo "NOTES.txt names: $*"
}

check "helm lint --strict" "$HELM" lint --strict "$CHART"
check "README documents every value" node helm/values-documented.mjs
for set in defaults external-database ingress-and-network-policies; do
  check "helm template ($set)" render "$set"
  check "schemas ($set)" node helm/validate-manifests.mjs "$OUT/$set.yaml"
done
refused() { # expected-error helm-args...
  local expected="$1"; shift
  if "$HELM" template tlswatch "$CHART" "$@" > "$OUT/refused.log" 2>&1; then echo "rendered, but should not: $*"; return 1; fi
  grep -qF -- "$expected" "$OUT/refused.log" || { cat "$OUT/refused.log"; return 1; }
  echo "refused: $expected"
}
check "external database without a host is refused" refused "externalDatabase.host is required" \
  --set postgresql.enabled=false --set externalDatabase.existingSecret=x
check "external database without a password is refused" refused "externalDatabase.existingSecret (or externalDatabase.password) is required" \
  --set postgresql.enabled=false --set externalDatabase.host=db.example.com
check "a wrong value is refused by values.schema.json" refused "must be one of the following" --set alert.mail.startTls=yes
# postgresql.settings reach the server as -c pairs, numbers from a values file as written (not 1e+06).
pg_settings() {
  printf 'postgresql:\n  settings:\n    temp_file_limit: 1000000\n    random_page_cost: 1.1\n' > "$OUT/settings.yaml"
  "$HELM" template tlswatch "$CHART" --show-only templates/postgresql.yaml -f "$OUT/settings.yaml" \
    --set postgresql.settings.max_connections=300 > "$OUT/postgresql.yaml"
  for arg in '- "max_connections=300"' '- "random_page_cost=1.1"' '- "shared_buffers=256MB"' \
    '- "temp_file_limit=1000000"'; do
    grep -qF -- "$arg" "$OUT/postgresql.yaml" || { cat "$OUT/postgresql.yaml"; echo "missing: $arg"; return 1; }
  done
  [ "$(grep -cF -- '- "-c"' "$OUT/postgresql.yaml")" = 4 ] || { cat "$OUT/postgresql.yaml"; echo "not 4 -c"; return 1; }
  echo "args: -c max_connections=300 -c random_page_cost=1.1 -c shared_buffers=256MB -c temp_file_limit=1000000"
}
check "postgresql.settings on the server's command line" pg_settings
check "NOTES.txt (defaults)" notes defaults '_smtp._tls.<domain>. IN TXT "v=TLSRPTv1; rua=https://<public host>/v1/tlsrpt"' \
  'http://tlswatch-ingest.tlswatch.svc:8080/v1/tlsrpt' 'WARNING: alert.mail.host is not set'
check "NOTES.txt (ingress)" notes ingress-and-network-policies 'POST https://tlsrpt.example.com/v1/tlsrpt' \
  '"v=TLSRPTv1; rua=https://tlsrpt.example.com/v1/tlsrpt,mailto:tlsrpt@tlsrpt.example.com"'
check "k8s/ in sync with the chart" k8s/render.sh --check
check "kubectl kustomize k8s/" sh -c "'$KUBECTL' kustomize k8s/ > '$OUT/k8s.yaml'"
check "schemas (k8s/)" node helm/validate-manifests.mjs "$OUT/k8s.yaml"

echo "helm-check: $passed passed, $failed failed"
[ "$failed" = 0 ]
