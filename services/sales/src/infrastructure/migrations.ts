// The service's own tables in schema `sales`, applied at start-up by @crm/projections' migrateSchema (in order, once,
// under an advisory lock). The event store migrates its own schema; read-side projections, the saga and the reminders own theirs.
import { dataKeysTableDdl } from '@crm/event-store';
import { migrateSchema, type SchemaMigration } from '@crm/projections';
import type { Pool } from 'pg';
import { LEAD_DATA_KEYS } from './lead-data-keys';

export const SALES_SCHEMA = 'sales';

const MIGRATIONS: readonly SchemaMigration[] = [
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

export function migrateSalesSchema(pool: Pool): Promise<number[]> {
  return migrateSchema(pool, { schema: SALES_SCHEMA, migrations: MIGRATIONS });
}
