# Shared settings for start.sh / stop.sh / status.sh. Sourced, not executed.
# shellcheck shell=bash

KAFKA_HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$KAFKA_HOME_DIR/../../.." && pwd)"

KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$REPO_ROOT/.local/kafka}"
mkdir -p "$KAFKA_DATA_DIR"
KAFKA_DATA_DIR="$(cd "$KAFKA_DATA_DIR" && pwd)" # absolute, so the pid check below is stable
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HOST=127.0.0.1

PID_FILE="$KAFKA_DATA_DIR/kafka.pid"
SERVER_PROPERTIES="$KAFKA_DATA_DIR/server.properties"
KAFKA_LOG_DIR="$KAFKA_DATA_DIR/logs"   # log4j output (server.log, kafka.out)
KAFKA_DATA_LOGS="$KAFKA_DATA_DIR/data" # log.dirs: topic partitions + KRaft metadata

# True when $1 is a live process that is *our* broker: a java process running
# kafka.Kafka with this data dir's server.properties. Guards against pid reuse:
# we never signal a pid that does not pass this check.
is_our_kafka() {
  local pid="$1" cmd
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  cmd="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$cmd" == *" kafka.Kafka $SERVER_PROPERTIES"* ]]
}

# Prints the recorded pid if it is our live broker; returns 1 otherwise.
running_pid() {
  local pid
  [[ -f "$PID_FILE" ]] || return 1
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  is_our_kafka "$pid" || return 1
  echo "$pid"
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() {
  (exec 3<>"/dev/tcp/$KAFKA_HOST/$1") 2>/dev/null
}
