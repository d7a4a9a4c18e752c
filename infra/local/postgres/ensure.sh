#!/usr/bin/env bash
# Makes sure the local PostgreSQL server answers and that the project's databases and roles exist.
# Idempotent: safe to run on every start. Starts the machine's cluster only if it is down.
set -euo pipefail

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
export PGHOST PGPORT PGUSER

answers() { pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; }

if ! answers; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    version=$(ls /etc/postgresql | sort -V | tail -n1)
    echo "PostgreSQL is not answering on $PGHOST:$PGPORT; starting cluster $version/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  else
    echo "PostgreSQL is not answering on $PGHOST:$PGPORT and no local cluster can be started here." >&2
    echo "Set PGHOST/PGPORT to a reachable server." >&2
    exit 1
  fi
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
  answers || { echo "PostgreSQL did not come up on $PGHOST:$PGPORT" >&2; exit 1; }
fi

psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

# Roles: the services' login role, and the analysts' read-only role (granted per schema by each service's migrations).
psql_admin <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_app') THEN
    CREATE ROLE crm_app LOGIN PASSWORD 'crm_app';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_analyst') THEN
    CREATE ROLE crm_analyst NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'crm_analyst_login') THEN
    CREATE ROLE crm_analyst_login LOGIN PASSWORD 'crm_analyst' IN ROLE crm_analyst;
  END IF;
END $$;
SQL

for db in crm_customers crm_communications crm_sales crm_feedback crm_analytics; do
  exists=$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")
  if [ "$exists" != "1" ]; then
    psql_admin -c "CREATE DATABASE $db OWNER crm_app"
    echo "created database $db"
  fi
  psql_admin -c "REVOKE ALL ON DATABASE $db FROM PUBLIC; GRANT CONNECT ON DATABASE $db TO crm_app, crm_analyst;" >/dev/null
done
echo "PostgreSQL ready on $PGHOST:$PGPORT (databases crm_customers, crm_communications, crm_sales, crm_feedback, crm_analytics)"
