#!/usr/bin/env bash
# npm start: bring the whole system up on this machine — dependencies, PostgreSQL databases, Kafka,
# then build and start every service under services/. Ctrl-C stops what this script started.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

declare -A PORTS=([customers]=3001 [communications]=3002 [sales]=3003 [feedback]=3004 [analytics]=3005)
SERVICE_PIDS=()
LOG_DIR="$ROOT/.local/logs"

stop_all() {
  trap - EXIT INT TERM
  if [ ${#SERVICE_PIDS[@]} -gt 0 ]; then
    log "stopping services (SIGTERM, graceful drain)"
    kill -TERM "${SERVICE_PIDS[@]}" 2>/dev/null || true
    for pid in "${SERVICE_PIDS[@]}"; do
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  stop_started
}
trap stop_all EXIT
trap 'exit 130' INT TERM

ensure_node_modules
ensure_postgres
ensure_kafka

# The customers service encrypts personal data under a master key: generated once per clone, kept out of git.
# Changing it makes earlier personal data unreadable, so it is never regenerated.
MASTER_KEY_FILE="$ROOT/.local/customers-master-key"
if [ ! -s "$MASTER_KEY_FILE" ]; then
  mkdir -p "$(dirname "$MASTER_KEY_FILE")"
  (umask 077; node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64'))" >"$MASTER_KEY_FILE")
fi
export CUSTOMERS_MASTER_KEY=${CUSTOMERS_MASTER_KEY:-$(cat "$MASTER_KEY_FILE")}

# The sales service encrypts lead contact data under its own master key, kept the same way.
SALES_MASTER_KEY_FILE="$ROOT/.local/sales-master-key"
if [ ! -s "$SALES_MASTER_KEY_FILE" ]; then
  mkdir -p "$(dirname "$SALES_MASTER_KEY_FILE")"
  (umask 077; node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('base64'))" >"$SALES_MASTER_KEY_FILE")
fi
export SALES_MASTER_KEY=${SALES_MASTER_KEY:-$(cat "$SALES_MASTER_KEY_FILE")}

mapfile -t services < <(find services -mindepth 2 -maxdepth 2 -name project.json -printf '%h\n' 2>/dev/null | xargs -rn1 basename | sort)

echo
log "Kafka:      127.0.0.1:${KAFKA_PORT:-9092}   (kcat -b 127.0.0.1:9092 -L)"
log "PostgreSQL: postgres://postgres@127.0.0.1:5432  (databases crm_<service>; analysts: role crm_analyst)"

if [ ${#services[@]} -eq 0 ]; then
  log "no services under services/ yet: the infrastructure is up. Ctrl-C stops what this script started."
else
  log "building"
  npm run --silent build
  mkdir -p "$LOG_DIR"
  for name in "${services[@]}"; do
    port=${PORTS[$name]:-}
    if [ -z "$port" ]; then log "no port assigned to service '$name' in scripts/start.sh: skipped"; continue; fi
    PORT=$port \
    SERVICE_NAME=$name \
    DATABASE_URL=${DATABASE_URL_OVERRIDE:-postgres://crm_app:crm_app@127.0.0.1:5432/crm_$name} \
    KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:${KAFKA_PORT:-9092}} \
      node --max-semi-space-size=64 -r ./tools/runtime/register-aliases.js "dist/services/$name/src/main.js" >>"$LOG_DIR/$name.log" 2>&1 &
    SERVICE_PIDS+=($!)
  done
  for name in "${services[@]}"; do
    port=${PORTS[$name]:-}; [ -n "$port" ] || continue
    for _ in $(seq 1 120); do
      curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1 && break
      sleep 0.5
    done
    if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then
      log "$name: http://127.0.0.1:$port  (docs /docs, health /health/ready, metrics /metrics, log $LOG_DIR/$name.log)"
    else
      log "$name did not answer on port $port: see $LOG_DIR/$name.log"; tail -n 30 "$LOG_DIR/$name.log" || true
    fi
  done
  log "all started. Ctrl-C stops what this script started."
fi

# Stay in the foreground until Ctrl-C, or until a service dies.
if [ ${#SERVICE_PIDS[@]} -gt 0 ]; then
  wait -n "${SERVICE_PIDS[@]}" || true
  log "a service exited: see $LOG_DIR; stopping the rest"
else
  while true; do sleep 3600 & wait $!; done
fi
