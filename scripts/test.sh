#!/usr/bin/env bash
# npm test: prepare the machine (dependencies, PostgreSQL, Kafka), then lint, type-check and run
# every test on the real infrastructure. Stops whatever it started, pass or fail.
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"

trap stop_started EXIT
trap 'exit 130' INT TERM

ensure_node_modules
ensure_postgres
ensure_kafka

log "lint"
npm run --silent lint
log "type-check"
npm run --silent typecheck
log "tests"
export NX_DAEMON=false
mkdir -p .local
status=0
npx jest --ci --json --outputFile=.local/jest-results.json "$@" || status=$?
# One closing line in the plain form CI reads: 'N passed, N failed, N skipped'.
node -e '
  const r = require("./.local/jest-results.json");
  // Skipped suites say why in their title: show it, so that nothing is skipped silently.
  const reasons = new Set();
  for (const file of r.testResults)
    for (const t of file.assertionResults)
      if (t.status === "pending" || t.status === "skipped") reasons.add(`${file.name.replace(process.cwd() + "/", "")}: ${t.ancestorTitles[0] ?? t.title}`);
  for (const reason of reasons) console.log(`skipped — ${reason}`);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' || true
exit $status
