{{/*
The non-secret settings of each service, as environment variables (Quarkus' own keys where one
exists, tlswatch.* otherwise: see PRODUCT.md's contract). They go into each component's ConfigMap,
and their checksum into the pod template, so a change restarts the pods.
*/}}

{{- define "tlswatch.env.common" -}}
QUARKUS_HTTP_PORT: "8080"
QUARKUS_MANAGEMENT_PORT: "9000"
{{- end }}

{{- define "tlswatch.env.ingest" -}}
{{ include "tlswatch.env.common" . }}
QUARKUS_REST_CLIENT_REPORT_STORE_URL: {{ include "tlswatch.storeUrl" . | quote }}
TLSWATCH_INGEST_MAX_REPORT_SIZE: {{ .Values.ingest.maxReportSize | int64 | quote }}
TLSWATCH_INGEST_MAX_DECOMPRESSED_SIZE: {{ .Values.ingest.maxDecompressedSize | int64 | quote }}
TLSWATCH_INGEST_MAX_COMPRESSION_RATIO: {{ .Values.ingest.maxCompressionRatio | quote }}
TLSWATCH_INGEST_RATE_LIMIT_REQUESTS_PER_SECOND: {{ .Values.ingest.rateLimit.requestsPerSecond | quote }}
TLSWATCH_INGEST_RATE_LIMIT_BURST: {{ .Values.ingest.rateLimit.burst | quote }}
TLSWATCH_INGEST_SMTP_PORT: "2525"
{{- with .Values.ingest.smtp.acceptedRecipientDomains }}
TLSWATCH_INGEST_ACCEPTED_RECIPIENT_DOMAINS: {{ join "," . | quote }}
{{- end }}
TLSWATCH_INGEST_SMTP_HOST_NAME: {{ .Values.ingest.smtp.hostName | quote }}
TLSWATCH_INGEST_SMTP_MAX_MESSAGE_SIZE: {{ .Values.ingest.smtp.maxMessageSize | int64 | quote }}
TLSWATCH_INGEST_SMTP_MAX_CONNECTIONS: {{ .Values.ingest.smtp.maxConnections | quote }}
TLSWATCH_INGEST_SMTP_MAX_CONNECTIONS_PER_CLIENT: {{ .Values.ingest.smtp.maxConnectionsPerClient | quote }}
TLSWATCH_INGEST_SMTP_MESSAGES_PER_MINUTE_PER_CLIENT: {{ .Values.ingest.smtp.messagesPerMinutePerClient | quote }}
{{- if .Values.ingest.smtp.tls.existingSecret }}
# STARTTLS: the Quarkus TLS configuration "smtp" (quarkus.tls."smtp".key-store.pem."0".cert ...), from
# the mounted kubernetes.io/tls Secret. The double underscores quote the names "smtp" and "0": without
# them Quarkus cannot tell these map keys apart in an environment variable and ignores it.
QUARKUS_TLS__SMTP__KEY_STORE_PEM__0__CERT: /etc/tlswatch/smtp-tls/tls.crt
QUARKUS_TLS__SMTP__KEY_STORE_PEM__0__KEY: /etc/tlswatch/smtp-tls/tls.key
QUARKUS_TLS__SMTP__RELOAD_PERIOD: {{ .Values.ingest.smtp.tls.reloadPeriod | quote }}
{{- end }}
{{- with .Values.ingest.trustedProxies }}
# X-Forwarded-For is believed only from these proxies, so the rate limit sees the real client.
QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING: "true"
QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED: "true"
QUARKUS_HTTP_PROXY_TRUSTED_PROXIES: {{ join "," . | quote }}
{{- end }}
{{- end }}

{{- define "tlswatch.env.store" -}}
{{ include "tlswatch.env.common" . }}
{{- $db := printf "%s:%s/%s" (include "tlswatch.databaseHost" .) (include "tlswatch.databasePort" .) (include "tlswatch.databaseName" .) }}
QUARKUS_DATASOURCE_JDBC_URL: {{ printf "jdbc:postgresql://%s" $db | quote }}
QUARKUS_DATASOURCE_REACTIVE_URL: {{ printf "postgresql://%s" $db | quote }}
QUARKUS_DATASOURCE_USERNAME: {{ include "tlswatch.databaseUser" . | quote }}
QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE: {{ .Values.store.databasePoolSize | quote }}
TLSWATCH_ALERT_SUPPRESSION_WINDOW: {{ .Values.alert.suppressionWindow | quote }}
TLSWATCH_ALERT_CLAIM_LEASE: {{ .Values.store.claimLease | quote }}
{{- with include "tlswatch.publicUrl" . }}
TLSWATCH_INGEST_PUBLIC_URL: {{ . | quote }}
{{- end }}
{{- with .Values.publicMailAddress }}
TLSWATCH_INGEST_PUBLIC_MAIL_ADDRESS: {{ . | quote }}
{{- end }}
{{- with include "tlswatch.dashboardUrl" . }}
TLSWATCH_DASHBOARD_URL: {{ . | quote }}
{{- end }}
{{- end }}

{{- define "tlswatch.env.alert" -}}
{{ include "tlswatch.env.common" . }}
QUARKUS_REST_CLIENT_REPORT_STORE_URL: {{ include "tlswatch.storeUrl" . | quote }}
TLSWATCH_ALERT_SWEEP_INTERVAL: {{ .Values.alert.sweepInterval | quote }}
TLSWATCH_ALERT_SUPPRESSION_WINDOW: {{ .Values.alert.suppressionWindow | quote }}
TLSWATCH_ALERT_CURSOR_NAME: {{ .Values.alert.cursorName | quote }}
TLSWATCH_ALERT_PAGE_SIZE: {{ .Values.alert.pageSize | quote }}
TLSWATCH_ALERT_MAX_PAGES_PER_SWEEP: {{ .Values.alert.maxPagesPerSweep | quote }}
TLSWATCH_ALERT_CONCURRENCY: {{ .Values.alert.concurrency | quote }}
TLSWATCH_ALERT_SEND_TIMEOUT: {{ .Values.alert.sendTimeout | quote }}
{{- with include "tlswatch.dashboardUrl" . }}
TLSWATCH_DASHBOARD_URL: {{ . | quote }}
{{- end }}
{{- with .Values.alert.mail.host }}
QUARKUS_MAILER_HOST: {{ . | quote }}
{{- end }}
QUARKUS_MAILER_PORT: {{ .Values.alert.mail.port | quote }}
QUARKUS_MAILER_FROM: {{ .Values.alert.mail.from | quote }}
QUARKUS_MAILER_START_TLS: {{ .Values.alert.mail.startTls | quote }}
QUARKUS_MAILER_TLS: {{ .Values.alert.mail.tls | quote }}
QUARKUS_MAILER_MOCK: {{ .Values.alert.mail.mock | quote }}
{{- end }}
