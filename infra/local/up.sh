#!/usr/bin/env bash
# Brings up the local infrastructure and leaves it running (npm run infra:up); infra/local/down.sh stops Kafka.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash infra/local/postgres/ensure.sh
bash infra/local/kafka/start.sh
