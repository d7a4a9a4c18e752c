#!/usr/bin/env bash
# Stops the local Kafka broker started by start.sh - and nothing else.
#
# Only the pid recorded in $KAFKA_DATA_DIR/kafka.pid is signalled, and only if
# that pid is still a java process running kafka.Kafka with this data dir's
# server.properties (protects against pid reuse). SIGTERM (clean shutdown),
# wait up to KAFKA_STOP_TIMEOUT (default 30) s, then SIGKILL. The pid file is
# removed. No pid file / process already gone: says so and exits 0.
# Env: KAFKA_DATA_DIR (same default as start.sh), KAFKA_STOP_TIMEOUT.
set -euo pipefail

# shellcheck source=common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

if [[ ! -f "$PID_FILE" ]]; then
  echo "Kafka not running (no pid file $PID_FILE)."
  exit 0
fi
pid="$(tr -dc '0-9' <"$PID_FILE")"
if ! is_our_kafka "$pid"; then
  echo "Kafka not running (pid ${pid:-?} from $PID_FILE is gone or is not our broker); removing pid file."
  rm -f "$PID_FILE"
  exit 0
fi

echo "Stopping Kafka (pid $pid) ..."
kill -TERM "$pid" 2>/dev/null || true
deadline=$((SECONDS + STOP_TIMEOUT))
while is_our_kafka "$pid" && ((SECONDS < deadline)); do
  sleep 0.5
done
if is_our_kafka "$pid"; then
  echo "Kafka (pid $pid) still running after ${STOP_TIMEOUT}s; sending SIGKILL." >&2
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 20); do is_our_kafka "$pid" || break; sleep 0.25; done
fi
rm -f "$PID_FILE"
if is_our_kafka "$pid"; then
  echo "stop.sh: pid $pid did not exit" >&2
  exit 1
fi
echo "Kafka stopped."
