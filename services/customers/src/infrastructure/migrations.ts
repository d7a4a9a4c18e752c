// The service's own tables in schema `customers`, applied at start-up by @crm/projections' migrateSchema (in order,
// once, under an advisory lock). The event store migrates its own schema (`event_store`); read-side projections own theirs.
import { migrateSchema, type SchemaMigration } from '@crm/projections';
import type { Pool } from 'pg';

export const CUSTOMERS_SCHEMA = 'customers';

const MIGRATIONS: readonly SchemaMigration[] = [
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

export function migrateCustomersSchema(pool: Pool): Promise<number[]> {
  return migrateSchema(pool, { schema: CUSTOMERS_SCHEMA, migrations: MIGRATIONS });
}
