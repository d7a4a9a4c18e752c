// The service's own tables in schema `customers`, applied in order under an advisory lock at start-up.
// The event store migrates its own schema (`event_store`); read-side projections own theirs.
import type { Pool, PoolClient } from 'pg';

export const CUSTOMERS_SCHEMA = 'customers';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'data keys and contact index',
    sql: `
CREATE TABLE customers.data_keys (
  customer_id  uuid PRIMARY KEY,
  -- iv | tag | AES-256-GCM(data key), under the master key's wrapping key; NULL once destroyed.
  wrapped_key  bytea,
  -- The master key version that wrapped it (rotation re-wraps row by row).
  key_version  smallint    NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  destroyed_at timestamptz,
  CONSTRAINT data_keys_destroyed_has_no_key CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
-- A destroyed key lingers in dead tuples until vacuum: vacuum this small table eagerly.
ALTER TABLE customers.data_keys SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 20);
COMMENT ON TABLE customers.data_keys IS 'Per-customer data keys for crypto-shredding, wrapped by the master key; erasure sets wrapped_key to NULL.';

CREATE TABLE customers.contact_index (
  customer_id uuid  NOT NULL,
  kind        text  NOT NULL CHECK (kind IN ('email', 'phone')),
  -- HMAC-SHA256 of the normalised value under a key derived from the master key: equal values match,
  -- the value itself is not stored, and erasure only deletes the customer's rows.
  value_hmac  bytea NOT NULL,
  PRIMARY KEY (customer_id, kind, value_hmac)
);
CREATE INDEX contact_index_lookup ON customers.contact_index (kind, value_hmac);
COMMENT ON TABLE customers.contact_index IS 'Normalised emails and phones of customers, as keyed hashes, for the duplicate check on registration. Projected from the customer events.';
`,
  },
];

export async function migrateCustomersSchema(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtextextended('customers_migrations', 0))`);
    try {
      return await applyPending(client);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended('customers_migrations', 0))`);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient): Promise<number[]> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${CUSTOMERS_SCHEMA}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${CUSTOMERS_SCHEMA}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${CUSTOMERS_SCHEMA}.schema_migrations`);
  const done = new Set(rows.map((row) => row.version));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${CUSTOMERS_SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}
