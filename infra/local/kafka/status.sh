#!/usr/bin/env bash
# Prints whether the local Kafka broker (start.sh) is running.
# Exit 0 = our broker is running, 1 = not running (3 = port answered by another process).
# Env: KAFKA_DATA_DIR, KAFKA_PORT (same defaults as start.sh).
set -euo pipefail

# shellcheck source=common.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/common.sh"

if pid="$(running_pid)"; then
  if port_open "$KAFKA_PORT"; then
    echo "Kafka running (pid $pid) on $KAFKA_HOST:$KAFKA_PORT (data $KAFKA_DATA_DIR)."
  else
    echo "Kafka process running (pid $pid) but $KAFKA_HOST:$KAFKA_PORT not accepting connections yet."
  fi
  exit 0
fi
if port_open "$KAFKA_PORT"; then
  echo "Not started by start.sh for $KAFKA_DATA_DIR, but something listens on $KAFKA_HOST:$KAFKA_PORT."
  exit 3
fi
echo "Kafka not running."
exit 1
