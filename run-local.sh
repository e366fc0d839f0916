#!/usr/bin/env bash
# Runs TLSWatch on this machine with only a JDK: builds what is missing, starts PostgreSQL (embedded,
# data kept in .tlswatch-data/) unless QUARKUS_DATASOURCE_JDBC_URL points at one, then the three
# services on the contract's local ports, waits until each is ready, and stops them on Ctrl-C.
#   ./run-local.sh          start (foreground; Ctrl-C stops everything it started)
#   ./run-local.sh stop     stop a run started from another terminal
# Variables you set (QUARKUS_*, TLSWATCH_*) win over the defaults here and reach the services.
# Not yet: the mail catcher and --demo (issue 6).
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR="${TLSWATCH_DATA_DIR:-$PWD/.tlswatch-data}"
LOG_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/run-local.pids"
SERVICES=(report-store report-ingest alert-service)
declare -A HTTP_PORT=([report-ingest]=8081 [report-store]=8082 [alert-service]=8083)
declare -A MGMT_PORT=([report-ingest]=9001 [report-store]=9002 [alert-service]=9003)

# Stops what this script started, newest first, so the services go before their database.
stop_started() {
  [ -f "$PID_FILE" ] || return 0
  for pid in $(tac "$PID_FILE"); do
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done
  rm -f "$PID_FILE"
}

running_pids() {
  [ -f "$PID_FILE" ] || return 0
  while read -r pid; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done < "$PID_FILE"
}

if [ "${1:-}" = "stop" ]; then
  if [ -z "$(running_pids)" ]; then echo "TLSWatch is not running."; rm -f "$PID_FILE"; exit 0; fi
  stop_started
  echo "TLSWatch stopped."
  exit 0
fi

if [ -n "$(running_pids)" ]; then
  echo "TLSWatch is already running (pids $(running_pids | tr '\n' ' ')). Stop it with: ./run-local.sh stop" >&2
  exit 1
fi

LOCAL_JAR=run-local/target/tlswatch-run-local.jar
for jar in "$LOCAL_JAR" "${SERVICES[@]/%//target/quarkus-app/quarkus-run.jar}"; do
  if [ ! -f "$jar" ]; then
    echo "Building (first run only)..."
    ./mvnw -B -q -DskipTests install
    break
  fi
done

mkdir -p "$LOG_DIR"
chmod 700 "$DATA_DIR"
: > "$PID_FILE"
trap 'echo; echo "Stopping TLSWatch..."; stop_started; exit 0' INT TERM

# Tokens: yours if set, else generated once and kept (readable by you only) for the next run.
TOKENS="$DATA_DIR/tokens.env"
if [ ! -f "$TOKENS" ]; then
  umask 077
  printf 'GENERATED_ADMIN_TOKEN=%s\nGENERATED_INTERNAL_TOKEN=%s\n' \
    "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" "$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')" > "$TOKENS"
fi
# shellcheck disable=SC1090
. "$TOKENS"
export TLSWATCH_ADMIN_TOKEN="${TLSWATCH_ADMIN_TOKEN:-$GENERATED_ADMIN_TOKEN}"
export TLSWATCH_INTERNAL_TOKEN="${TLSWATCH_INTERNAL_TOKEN:-$GENERATED_INTERNAL_TOKEN}"

if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  PG_PORT="${TLSWATCH_LOCAL_PG_PORT:-15432}"
  java -jar "$LOCAL_JAR" "$DATA_DIR/postgres" "$PG_PORT" > "$LOG_DIR/postgres.log" 2>&1 &
  echo $! >> "$PID_FILE"
  for attempt in $(seq 1 120); do
    grep -q '^READY ' "$LOG_DIR/postgres.log" 2>/dev/null && break
    if [ "$attempt" = 120 ] || ! kill -0 "$(tail -1 "$PID_FILE")" 2>/dev/null; then
      echo "PostgreSQL did not start; see $LOG_DIR/postgres.log" >&2
      stop_started
      exit 1
    fi
    sleep 0.5
  done
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/tlswatch"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/tlswatch"
  export QUARKUS_DATASOURCE_USERNAME=postgres QUARKUS_DATASOURCE_PASSWORD=postgres
  DATABASE="embedded PostgreSQL on 127.0.0.1:$PG_PORT, data in $DATA_DIR/postgres"
else
  DATABASE="$QUARKUS_DATASOURCE_JDBC_URL"
fi

# Alert mail goes to your mail server when QUARKUS_MAILER_HOST is set; otherwise it is only logged
# (alert-service's log) until the mail catcher of issue 6 arrives.
if [ -n "${QUARKUS_MAILER_HOST:-}" ]; then
  MAIL="$QUARKUS_MAILER_HOST:${QUARKUS_MAILER_PORT:-25}"
else
  export QUARKUS_MAILER_MOCK=true
  MAIL="logged to $LOG_DIR/alert-service.log"
fi
export TLSWATCH_DASHBOARD_URL="${TLSWATCH_DASHBOARD_URL:-http://127.0.0.1:8082}"

for service in "${SERVICES[@]}"; do
  # Variables the caller sets win: QUARKUS_HTTP_PORT etc. override the defaults in application.properties.
  java ${JAVA_OPTS:-} -jar "$service/target/quarkus-app/quarkus-run.jar" > "$LOG_DIR/$service.log" 2>&1 &
  echo $! >> "$PID_FILE"
done

for service in "${SERVICES[@]}"; do
  port="${MGMT_PORT[$service]}"
  for attempt in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/q/health/ready" > /dev/null 2>&1; then break; fi
    if [ "$attempt" = 120 ]; then
      echo "$service did not become ready; see $LOG_DIR/$service.log" >&2
      stop_started
      exit 1
    fi
    sleep 0.5
  done
done

echo "TLSWatch is running (database: $DATABASE; alert mail: $MAIL):"
for service in "${SERVICES[@]}"; do
  printf '  %-14s http://127.0.0.1:%s   health/metrics http://127.0.0.1:%s/q/health  /q/metrics\n' \
    "$service" "${HTTP_PORT[$service]}" "${MGMT_PORT[$service]}"
done
echo "Admin token (Authorization: Bearer ...): $TLSWATCH_ADMIN_TOKEN"
echo "  e.g. curl -H \"Authorization: Bearer $TLSWATCH_ADMIN_TOKEN\" http://127.0.0.1:8082/api/v1/domains"
echo "Logs: $LOG_DIR/. Ctrl-C (or ./run-local.sh stop) stops it."
wait
