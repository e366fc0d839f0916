#!/usr/bin/env bash
# Runs TLSWatch on this machine with only a JDK: builds what is missing, starts the three services
# on the contract's local ports, waits until each is ready, and stops them on Ctrl-C.
#   ./run-local.sh          start (foreground; Ctrl-C stops everything it started)
#   ./run-local.sh stop     stop a run started from another terminal
# Not yet: PostgreSQL, the mail catcher and --demo (issue 6); the services are bare until their
# issues land, so for now this shows them starting, healthy, with metrics.
set -euo pipefail
cd "$(dirname "$0")"

DATA_DIR="${TLSWATCH_DATA_DIR:-$PWD/.tlswatch-data}"
LOG_DIR="$DATA_DIR/logs"
PID_FILE="$DATA_DIR/run-local.pids"
SERVICES=(report-store report-ingest alert-service)
declare -A HTTP_PORT=([report-ingest]=8081 [report-store]=8082 [alert-service]=8083)
declare -A MGMT_PORT=([report-ingest]=9001 [report-store]=9002 [alert-service]=9003)

stop_started() {
  [ -f "$PID_FILE" ] || return 0
  while read -r pid; do
    kill "$pid" 2>/dev/null || true
  done < "$PID_FILE"
  while read -r pid; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  done < "$PID_FILE"
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

for service in "${SERVICES[@]}"; do
  if [ ! -f "$service/target/quarkus-app/quarkus-run.jar" ]; then
    echo "Building (first run only)..."
    ./mvnw -B -q -DskipTests install
    break
  fi
done

mkdir -p "$LOG_DIR"
: > "$PID_FILE"
trap 'echo; echo "Stopping TLSWatch..."; stop_started; exit 0' INT TERM

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

echo "TLSWatch is running:"
for service in "${SERVICES[@]}"; do
  printf '  %-14s http://127.0.0.1:%s   health/metrics http://127.0.0.1:%s/q/health  /q/metrics\n' \
    "$service" "${HTTP_PORT[$service]}" "${MGMT_PORT[$service]}"
done
echo "Logs: $LOG_DIR/. Ctrl-C (or ./run-local.sh stop) stops it."
wait
