# Shared by scripts/start.sh and scripts/test.sh: prepare a fresh clone and start what is missing.
# Every step is idempotent; only what this shell started is stopped by stop_started.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
STARTED_KAFKA=0

log() { printf '\033[1m[crm]\033[0m %s\n' "$*"; }

ensure_node_modules() {
  # npm ci when node_modules is missing or older than the lock file.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "installing dependencies"
    install_dependencies
  fi
}

# npm ci, or — when the lock file lacks other platforms' optional binaries, which the registry reachable here
# does not serve (docs/decisions/0012-npm-ci-fallback.md) — npm install, which still installs the locked versions.
install_dependencies() {
  local out
  if out=$(npm ci --no-audit --no-fund "$@" 2>&1); then
    printf '%s\n' "$out" | grep -v '^npm warn' || true
    return 0
  fi
  if printf '%s' "$out" | grep -q 'EUSAGE'; then
    log "npm ci refused the lock file (missing optional platform packages); installing the locked versions with npm install"
    npm install --no-audit --no-fund --no-save "$@"
  else
    printf '%s\n' "$out" >&2
    return 1
  fi
}

kafka_answers() { (exec 3<>/dev/tcp/127.0.0.1/"${KAFKA_PORT:-9092}") 2>/dev/null; }

ensure_kafka() {
  if kafka_answers; then
    log "Kafka already answering on 127.0.0.1:${KAFKA_PORT:-9092}: using it (and leaving it running)"
  else
    bash infra/local/kafka/start.sh
    STARTED_KAFKA=1
  fi
}

ensure_postgres() { bash infra/local/postgres/ensure.sh; }

stop_started() {
  if [ "$STARTED_KAFKA" = 1 ]; then
    log "stopping the Kafka broker this run started"
    bash infra/local/kafka/stop.sh || true
    STARTED_KAFKA=0
  fi
}
