#!/usr/bin/env bash
# Runs TLSWatch on this machine with only a JDK: builds what is missing, starts PostgreSQL (embedded,
# data kept in .tlswatch-data/) unless QUARKUS_DATASOURCE_JDBC_URL points at one, a mail catcher that
# keeps the alert mail for you to read unless QUARKUS_MAILER_HOST points at a mail server, then the
# three services on the contract's local ports; waits until each is ready, and stops them on Ctrl-C.
#   ./run-local.sh          start (foreground; Ctrl-C stops everything it started)
#   ./run-local.sh --demo   start, then register a demo organisation and send it the sample reports
#   ./run-local.sh stop     stop a run started from another terminal
# Variables you set (QUARKUS_*, TLSWATCH_*) win over the defaults here and reach the services.
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR="${TLSWATCH_DATA_DIR:-$PWD/.tlswatch-data}"
LOG_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/run-local.pids"
SERVICES=(report-store report-ingest alert-service)
declare -A HTTP_PORT=([report-ingest]=8081 [report-store]=8082 [alert-service]=8083)
declare -A MGMT_PORT=([report-ingest]=9001 [report-store]=9002 [alert-service]=9003)
INGEST_SMTP_PORT="${TLSWATCH_INGEST_SMTP_PORT:-2525}"
PG_PORT="${TLSWATCH_LOCAL_PG_PORT:-15432}"
MAIL_SMTP_PORT="${TLSWATCH_LOCAL_MAIL_SMTP_PORT:-3025}"
MAIL_IMAP_PORT="${TLSWATCH_LOCAL_MAIL_IMAP_PORT:-3143}"
MAIL_VIEW_PORT="${TLSWATCH_LOCAL_MAIL_VIEW_PORT:-8025}"
SAMPLES="${TLSWATCH_SAMPLES:-$PWD/../shared/samples/tlsrpt}"

# Stops what this script started, newest first, so the services go before their database.
stop_started() {
  [ -f "$PID_FILE" ] || return 0
  for pid in $(tac "$PID_FILE"); do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  rm -f "$PID_FILE"
}

running_pids() {
  [ -f "$PID_FILE" ] || return 0
  while read -r pid; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done < "$PID_FILE"
}

port_in_use() { (: > "/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts a process in the background, its output in LOG_DIR/<name>.log, its pid in PID_FILE.
STARTED=()
start() {
  local name="$1"; shift
  "$@" > "$LOG_DIR/$name.log" 2>&1 &
  echo $! >> "$PID_FILE"
  STARTED+=("$name")
}

# Waits for a line starting with READY in a log (what LocalPostgres and LocalMail print).
await_ready_line() {
  local name="$1" pid
  pid="$(tail -1 "$PID_FILE")"
  for attempt in $(seq 1 240); do
    grep -q '^READY' "$LOG_DIR/$name.log" 2>/dev/null && return 0
    if [ "$attempt" = 240 ] || ! kill -0 "$pid" 2>/dev/null; then
      echo "$name did not start; see $LOG_DIR/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
}

DEMO=false
case "${1:-}" in
  stop)
    if [ -z "$(running_pids)" ]; then echo "TLSWatch is not running."; rm -f "$PID_FILE"; exit 0; fi
    stop_started
    echo "TLSWatch stopped."
    exit 0 ;;
  --demo) DEMO=true ;;
  "") ;;
  *) echo "usage: $0 [--demo | stop]" >&2; exit 2 ;;
esac

if [ -n "$(running_pids)" ]; then
  echo "TLSWatch is already running (pids $(running_pids | tr '\n' ' ')). Stop it with: ./run-local.sh stop" >&2
  exit 1
fi
if $DEMO && [ ! -d "$SAMPLES" ]; then
  echo "--demo sends the sample reports, but $SAMPLES does not exist; set TLSWATCH_SAMPLES to their folder" >&2
  exit 1
fi

# Every port we are about to listen on must be free, or a service would die with a bind error in its log.
PORTS=("${HTTP_PORT[@]}" "${MGMT_PORT[@]}" "$INGEST_SMTP_PORT")
if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then PORTS+=("$PG_PORT"); fi
if [ -z "${QUARKUS_MAILER_HOST:-}" ]; then PORTS+=("$MAIL_SMTP_PORT" "$MAIL_IMAP_PORT" "$MAIL_VIEW_PORT"); fi
for port in "${PORTS[@]}"; do
  if port_in_use "$port"; then
    echo "Port $port is already in use by another program; stop it (or change the port, see README.md) and try again." >&2
    exit 1
  fi
done

LOCAL_JAR=run-local/target/tlswatch-run-local.jar
for jar in "$LOCAL_JAR" "${SERVICES[@]/%//target/quarkus-app/quarkus-run.jar}"; do
  if [ ! -f "$jar" ]; then
    echo "Building (first run only, a few minutes)..."
    ./mvnw -B -q -DskipTests -pl report-store,report-ingest,alert-service,run-local -am install
    break
  fi
done

mkdir -p "$LOG_DIR"
chmod 700 "$DATA_DIR"
: > "$PID_FILE"
# From here on, whatever ends this script (Ctrl-C, kill, a failed start) stops what it started.
trap 'stop_started' EXIT
trap 'echo; echo "Stopping TLSWatch..."; exit 0' INT TERM

# Tokens: yours if set, else generated once and kept (readable by you only) for the next run.
TOKENS="$DATA_DIR/tokens.env"
if [ ! -f "$TOKENS" ]; then
  (umask 077
   printf 'GENERATED_ADMIN_TOKEN=%s\nGENERATED_INTERNAL_TOKEN=%s\n' \
     "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" > "$TOKENS")
fi
# The dashboard's first admin and session key (added to a tokens file from an older run if missing).
if ! grep -q '^GENERATED_DASHBOARD_PASSWORD=' "$TOKENS"; then
  (umask 077
   printf 'GENERATED_DASHBOARD_PASSWORD=%s\nGENERATED_SESSION_KEY=%s\n' \
     "$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')" "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" >> "$TOKENS")
fi
# shellcheck disable=SC1090
. "$TOKENS"
export TLSWATCH_ADMIN_TOKEN="${TLSWATCH_ADMIN_TOKEN:-$GENERATED_ADMIN_TOKEN}"
export TLSWATCH_INTERNAL_TOKEN="${TLSWATCH_INTERNAL_TOKEN:-$GENERATED_INTERNAL_TOKEN}"
export TLSWATCH_DASHBOARD_ADMIN_USER="${TLSWATCH_DASHBOARD_ADMIN_USER:-admin}"
export TLSWATCH_DASHBOARD_ADMIN_PASSWORD="${TLSWATCH_DASHBOARD_ADMIN_PASSWORD:-$GENERATED_DASHBOARD_PASSWORD}"
# Kept between runs, so a signed-in browser stays signed in across restarts.
export QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY="${QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY:-$GENERATED_SESSION_KEY}"
# A local run serves plain http: Secure cookies would never come back from the browser.
export TLSWATCH_DASHBOARD_SECURE_COOKIES="${TLSWATCH_DASHBOARD_SECURE_COOKIES:-false}"

if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  start postgres java -jar "$LOCAL_JAR" "$DATA_DIR/postgres" "$PG_PORT"
  await_ready_line postgres
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/tlswatch"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/tlswatch"
  export QUARKUS_DATASOURCE_USERNAME="${QUARKUS_DATASOURCE_USERNAME:-postgres}"
  export QUARKUS_DATASOURCE_PASSWORD="${QUARKUS_DATASOURCE_PASSWORD:-postgres}"
  DATABASE="embedded PostgreSQL on 127.0.0.1:$PG_PORT, data in $DATA_DIR/postgres"
else
  DATABASE="$QUARKUS_DATASOURCE_JDBC_URL"
fi

# Alert mail goes to your mail server when QUARKUS_MAILER_HOST is set; otherwise to the mail catcher.
if [ -n "${QUARKUS_MAILER_HOST:-}" ]; then
  MAIL="sent through $QUARKUS_MAILER_HOST:${QUARKUS_MAILER_PORT:-25}"
  MAIL_VIEWER=""
else
  start mail java -cp "$LOCAL_JAR" io.tlswatch.local.LocalMail "$MAIL_SMTP_PORT" "$MAIL_IMAP_PORT" "$MAIL_VIEW_PORT"
  await_ready_line mail
  export QUARKUS_MAILER_HOST=127.0.0.1 QUARKUS_MAILER_PORT="$MAIL_SMTP_PORT"
  MAIL_VIEWER="http://127.0.0.1:$MAIL_VIEW_PORT/"
  MAIL="caught locally: read it at $MAIL_VIEWER (or IMAP 127.0.0.1:$MAIL_IMAP_PORT, any user and password)"
fi
export TLSWATCH_DASHBOARD_URL="${TLSWATCH_DASHBOARD_URL:-http://127.0.0.1:8082}"
# Where senders reach this ingest: what goes into the _smtp._tls record report-store computes.
export TLSWATCH_INGEST_PUBLIC_URL="${TLSWATCH_INGEST_PUBLIC_URL:-http://127.0.0.1:8081}"
export TLSWATCH_INGEST_PUBLIC_MAIL_ADDRESS="${TLSWATCH_INGEST_PUBLIC_MAIL_ADDRESS:-tlsrpt@localhost}"
export TLSWATCH_INGEST_SMTP_PORT="$INGEST_SMTP_PORT"

for service in "${SERVICES[@]}"; do
  # Variables the caller sets win: QUARKUS_HTTP_PORT etc. override the defaults in application.properties.
  # run-local/jvm.options bounds the heap and tunes the JIT for start-up (see why there); JAVA_OPTS comes
  # after it, so its own -Xmx wins.
  # shellcheck disable=SC2086
  start "$service" java @run-local/jvm.options ${JAVA_OPTS:-} -jar "$service/target/quarkus-app/quarkus-run.jar"
done

for service in "${SERVICES[@]}"; do
  port="${MGMT_PORT[$service]}"
  for attempt in $(seq 1 240); do
    if curl -fsS "http://127.0.0.1:$port/q/health/ready" > /dev/null 2>&1; then break; fi
    if [ "$attempt" = 240 ]; then
      echo "$service did not become ready; see $LOG_DIR/$service.log" >&2
      exit 1
    fi
    sleep 0.5
  done
done

echo "TLSWatch is running."
for service in "${SERVICES[@]}"; do
  printf '  %-14s http://127.0.0.1:%s   health/metrics http://127.0.0.1:%s/q/health  /q/metrics\n' \
    "$service" "${HTTP_PORT[$service]}" "${MGMT_PORT[$service]}"
done
echo "  reports in     POST http://127.0.0.1:8081/v1/tlsrpt, or mail to tlsrpt@localhost at 127.0.0.1:$INGEST_SMTP_PORT"
echo "  database       $DATABASE"
echo "  alert mail     $MAIL"
echo "Dashboard: $TLSWATCH_DASHBOARD_URL/  sign in as $TLSWATCH_DASHBOARD_ADMIN_USER / $TLSWATCH_DASHBOARD_ADMIN_PASSWORD"
echo "Admin token (Authorization: Bearer ...): $TLSWATCH_ADMIN_TOKEN"
echo "  e.g. curl -H \"Authorization: Bearer $TLSWATCH_ADMIN_TOKEN\" http://127.0.0.1:8082/api/v1/domains"
echo "Each domain publishes (GET /api/v1/domains/<domain> gives it as \"dns-record\"):"
echo "  _smtp._tls.<domain>  TXT  \"v=TLSRPTv1; rua=${TLSWATCH_INGEST_PUBLIC_URL%/}/v1/tlsrpt,mailto:$TLSWATCH_INGEST_PUBLIC_MAIL_ADDRESS\""
echo "Logs: $LOG_DIR/{$(IFS=,; echo "${STARTED[*]}")}.log"

if $DEMO; then
  echo "Demo: registering an organisation and sending the samples in $SAMPLES ..."
  if ! java -cp "$LOCAL_JAR" io.tlswatch.local.Demo http://127.0.0.1:8082 http://127.0.0.1:8081 "$INGEST_SMTP_PORT" \
      http://127.0.0.1:8083 "$SAMPLES"; then
    echo "The demo failed (see above and the logs); TLSWatch keeps running." >&2
  fi
  if [ -n "$MAIL_VIEWER" ]; then echo "Read the alerts at $MAIL_VIEWER (the scheduled sweep may have sent some of them)"; fi
fi
echo "Ctrl-C (or ./run-local.sh stop) stops everything this started."
# wait returns when a signal arrives; the traps above then stop everything.
while [ -n "$(running_pids)" ]; do wait || true; done
