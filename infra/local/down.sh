#!/usr/bin/env bash
# Stops the Kafka broker started by infra/local/kafka/start.sh (PostgreSQL is the machine's and stays up).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/local/kafka/stop.sh
