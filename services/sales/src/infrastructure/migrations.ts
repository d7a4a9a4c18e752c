// The service's own tables in schema `sales`, applied in order under an advisory lock at start-up. The event store
// migrates its own schema (`event_store`); read-side projections, the saga and the reminders own theirs.
import { dataKeysTableDdl } from '@crm/event-store';
import type { Pool, PoolClient } from 'pg';
import { LEAD_DATA_KEYS } from './lead-data-keys';

export const SALES_SCHEMA = 'sales';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'lead data keys and known customers',
    sql: `
${dataKeysTableDdl(LEAD_DATA_KEYS)}
COMMENT ON TABLE ${LEAD_DATA_KEYS.table} IS 'Per-lead data keys for crypto-shredding of lead contact data, wrapped by SALES_MASTER_KEY; erasure sets wrapped_key to NULL.';

-- What the sales service knows of the customers service's customers (projected from crm.customers.v1 by the
-- customers feed): opportunities are opened only for active ones.
CREATE TABLE sales.known_customers (
  customer_id uuid PRIMARY KEY,
  status      text NOT NULL CHECK (status IN ('active', 'inactive', 'merged', 'erased')),
  -- Set while merged: the customer it was merged into.
  survivor_id uuid
);
COMMENT ON TABLE sales.known_customers IS 'Customers of the customers service as the sales service knows them (from crm.customers.v1): status and, once merged, the survivor.';
`,
  },
];

export async function migrateSalesSchema(pool: Pool): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query(`SELECT pg_advisory_lock(hashtextextended('sales_migrations', 0))`);
    try {
      return await applyPending(client);
    } finally {
      await client.query(`SELECT pg_advisory_unlock(hashtextextended('sales_migrations', 0))`);
    }
  } finally {
    client.release();
  }
}

async function applyPending(client: PoolClient): Promise<number[]> {
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${SALES_SCHEMA}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${SALES_SCHEMA}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${SALES_SCHEMA}.schema_migrations`);
  const done = new Set(rows.map((row) => row.version));
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (done.has(migration.version)) continue;
    await client.query('BEGIN');
    try {
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${SALES_SCHEMA}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    applied.push(migration.version);
  }
  return applied;
}
