{{/* Chart name, truncated to 63 characters (the DNS label limit). */}}
{{- define "tlswatch.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name: the release name, plus the chart name unless the release name contains it. */}}
{{- define "tlswatch.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "tlswatch.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "tlswatch.labels" -}}
helm.sh/chart: {{ include "tlswatch.chart" . }}
{{ include "tlswatch.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tlswatch
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{- define "tlswatch.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tlswatch.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Labels of one component: (dict "ctx" $ "component" "ingest"). */}}
{{- define "tlswatch.componentLabels" -}}
{{ include "tlswatch.labels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "tlswatch.componentSelectorLabels" -}}
{{ include "tlswatch.selectorLabels" .ctx }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/* Object name of one component, e.g. tlswatch-ingest. */}}
{{- define "tlswatch.componentName" -}}
{{- printf "%s-%s" (include "tlswatch.fullname" .ctx | trunc 50 | trimSuffix "-") .component }}
{{- end }}

{{- define "tlswatch.image" -}}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}

{{/* Secret names. */}}
{{- define "tlswatch.tokensSecret" -}}
{{- default (printf "%s-tokens" (include "tlswatch.fullname" .)) .Values.tokens.existingSecret }}
{{- end }}

{{- define "tlswatch.databaseSecret" -}}
{{- if .Values.postgresql.enabled }}
{{- default (printf "%s-postgresql" (include "tlswatch.fullname" .)) .Values.postgresql.existingSecret }}
{{- else }}
{{- default (printf "%s-database" (include "tlswatch.fullname" .)) .Values.externalDatabase.existingSecret }}
{{- end }}
{{- end }}

{{- define "tlswatch.databasePasswordKey" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.passwordKey }}{{ else }}{{ .Values.externalDatabase.existingSecretPasswordKey }}{{ end }}
{{- end }}

{{- define "tlswatch.mailSecret" -}}
{{- default (printf "%s-mail" (include "tlswatch.fullname" .)) .Values.alert.mail.existingSecret }}
{{- end }}

{{/* True when the alert-service has SMTP credentials (from existingSecret or values). */}}
{{- define "tlswatch.mailCredentials" -}}
{{- if or .Values.alert.mail.existingSecret .Values.alert.mail.password }}true{{ end }}
{{- end }}

{{/* Database coordinates. */}}
{{- define "tlswatch.databaseHost" -}}
{{- if .Values.postgresql.enabled }}{{ include "tlswatch.componentName" (dict "ctx" . "component" "postgresql") }}{{ else }}{{ required "externalDatabase.host is required when postgresql.enabled=false" .Values.externalDatabase.host }}{{ end }}
{{- end }}

{{- define "tlswatch.databasePort" -}}
{{- if .Values.postgresql.enabled }}5432{{ else }}{{ .Values.externalDatabase.port }}{{ end }}
{{- end }}

{{- define "tlswatch.databaseName" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.database }}{{ else }}{{ .Values.externalDatabase.database }}{{ end }}
{{- end }}

{{- define "tlswatch.databaseUser" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.username }}{{ else }}{{ .Values.externalDatabase.username }}{{ end }}
{{- end }}

{{/* URL of report-store inside the cluster, for ingest's and alert's REST client. */}}
{{- define "tlswatch.storeUrl" -}}
{{- printf "http://%s:%v" (include "tlswatch.componentName" (dict "ctx" . "component" "store")) .Values.store.service.port }}
{{- end }}

{{/* Public URLs: the value if set, else derived from the Ingress. */}}
{{- define "tlswatch.publicUrl" -}}
{{- if .Values.publicUrl }}{{ .Values.publicUrl | trimSuffix "/" }}{{ else if .Values.ingress.enabled }}{{ printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.ingest.host }}{{ end }}
{{- end }}

{{- define "tlswatch.dashboardUrl" -}}
{{- if .Values.dashboardUrl }}{{ .Values.dashboardUrl | trimSuffix "/" }}{{ else if and .Values.ingress.enabled .Values.ingress.dashboard.enabled }}{{ printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.dashboard.host }}{{ end }}
{{- end }}

{{/*
A random value kept across upgrades: the one already in the Secret if it exists (lookup), else a
new one. (dict "ctx" $ "secret" NAME "key" KEY). `helm template` has no cluster, so it always
generates a new one.
*/}}
{{- define "tlswatch.keptRandom" -}}
{{- $existing := lookup "v1" "Secret" .ctx.Release.Namespace .secret }}
{{- if and $existing $existing.data (hasKey $existing.data .key) }}
{{- index $existing.data .key }}
{{- else }}
{{- randAlphaNum 40 | b64enc }}
{{- end }}
{{- end }}

{{/* Pod-level settings shared by the three services: (dict "ctx" $ "values" .Values.ingest). */}}
{{- define "tlswatch.podCommon" -}}
{{- with .ctx.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
# No service links: they would inject TLSWATCH_*_PORT variables that read like our settings.
enableServiceLinks: false
securityContext:
  {{- toYaml .ctx.Values.podSecurityContext | nindent 2 }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .values.affinity }}
affinity:
  {{- toYaml .values.affinity | nindent 2 }}
{{- else }}
affinity:
  podAntiAffinity:
    preferredDuringSchedulingIgnoredDuringExecution:
      - weight: 100
        podAffinityTerm:
          topologyKey: kubernetes.io/hostname
          labelSelector:
            matchLabels:
              {{- include "tlswatch.componentSelectorLabels" (dict "ctx" .ctx "component" .component) | nindent 14 }}
{{- end }}
{{- with .values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end }}

{{/* Probes on the management port (dict "values" .Values.ingest). */}}
{{- define "tlswatch.probes" -}}
startupProbe:
  httpGet:
    path: /q/health/started
    port: management
  {{- toYaml .values.startupProbe | nindent 2 }}
livenessProbe:
  httpGet:
    path: /q/health/live
    port: management
  {{- toYaml .values.livenessProbe | nindent 2 }}
readinessProbe:
  httpGet:
    path: /q/health/ready
    port: management
  {{- toYaml .values.readinessProbe | nindent 2 }}
{{- end }}

{{/* Pod annotations: Prometheus scraping, the checksums that restart pods when config changes, and the user's own. */}}
{{- define "tlswatch.podAnnotations" -}}
{{- if .ctx.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/path: /q/metrics
prometheus.io/port: "9000"
{{- end }}
checksum/config: {{ include (printf "tlswatch.env.%s" .component) .ctx | sha256sum }}
checksum/secrets: {{ include (print .ctx.Template.BasePath "/secrets.yaml") .ctx | sha256sum }}
{{- with .values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end }}
