#!/usr/bin/env bash
# Copies the Kafka broker jars (version = <kafka.version> in pom.xml) plus the
# runtime dependencies and the log4j2 binding into infra/local/kafka/lib/
# (git-ignored) with `mvn dependency:copy-dependencies`.
#
# Runs Maven only once: after a successful copy it writes lib/.kafka-version
# containing the version; when that marker matches pom.xml, nothing is done.
# Change <kafka.version> in pom.xml and the next run re-fetches.
#
# Env: MVN (default: mvn), MAVEN_ARGS_EXTRA (e.g. "-Dmaven.repo.local=/path").
# Prints nothing when the jars are already there.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB="$HERE/lib"
MARKER="$LIB/.kafka-version"

kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml" | head -n1
}

VERSION="$(kafka_version)"
if [[ -z "$VERSION" ]]; then
  echo "fetch-jars: cannot read <kafka.version> from $HERE/pom.xml" >&2
  exit 1
fi

jars_ok() {
  [[ -f "$MARKER" && "$(cat "$MARKER")" == "$VERSION" && -f "$LIB/kafka_2.13-$VERSION.jar" ]]
}

if jars_ok; then
  exit 0
fi

mkdir -p "$LIB"
# Serialise concurrent fetches (two start.sh at once).
exec 8>"$LIB/.fetch.lock"
flock -w 600 8 || { echo "fetch-jars: timed out waiting for another fetch" >&2; exit 1; }
if jars_ok; then
  exit 0
fi

command -v "${MVN:-mvn}" >/dev/null || {
  echo "fetch-jars: Maven ('${MVN:-mvn}') not found; install Maven 3.6+ (apt-get install maven)" >&2
  exit 1
}

echo "Fetching Kafka $VERSION jars from Maven Central into $LIB (first run only) ..."
rm -f "$MARKER" "$LIB"/*.jar
start_s=$SECONDS
mvn_log="$(mktemp)"
trap 'rm -f "$mvn_log"' EXIT
# Output is captured (Maven -q still emits stray ANSI codes) and shown on failure.
# shellcheck disable=SC2086  # MAVEN_ARGS_EXTRA is intentionally word-split
if ! "${MVN:-mvn}" -B -q -Dstyle.color=never ${MAVEN_ARGS_EXTRA:-} \
  -f "$HERE/pom.xml" dependency:copy-dependencies >"$mvn_log" 2>&1; then
  cat "$mvn_log" >&2
  echo "fetch-jars: Maven failed (network? try: MAVEN_ARGS_EXTRA=-X $0)" >&2
  exit 1
fi
if [[ ! -f "$LIB/kafka_2.13-$VERSION.jar" ]]; then
  echo "fetch-jars: Maven finished but $LIB/kafka_2.13-$VERSION.jar is missing" >&2
  exit 1
fi
# Maven resolves target/ under the project dir for nothing useful; drop it.
rm -rf "$HERE/target"
echo "$VERSION" >"$MARKER"
echo "Fetched $(ls "$LIB"/*.jar | wc -l) jars in $((SECONDS - start_s)) s."
