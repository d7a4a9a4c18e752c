// What analysts get: schema `customers_analytics` with one stable, documented view per read model, readable by
// the role crm_analyst and nothing else of the service (no event_store, no customers.data_keys, no projections
// or messaging schema). The views select named columns from the read schema's views (customers.*), which
// @crm/projections re-points at each rebuilt version, so they survive rebuilds. Views run with their owner's
// rights: the analyst needs no access to the tables behind them. Applied at every start, idempotently.
import type { Pool } from 'pg';
import { commentStatements, PROFILE_COLUMNS, READ_SCHEMA, TABLE_COMMENT } from '../read-model/customer-profiles.schema';

export const ANALYTICS_SCHEMA = 'customers_analytics';
export const ANALYST_ROLE = 'crm_analyst';

const analystColumns = PROFILE_COLUMNS.filter((c) => c.analysts);

const PROFILES_VIEW = `${ANALYTICS_SCHEMA}.customer_profiles`;
const TOTALS_VIEW = `${ANALYTICS_SCHEMA}.customer_purchase_totals`;

const CONTACT_INDEX_COMMENTS = [
  `COMMENT ON COLUMN customers.contact_index.customer_id IS 'The customer holding the email or phone.'`,
  `COMMENT ON COLUMN customers.contact_index.kind IS 'email or phone.'`,
  `COMMENT ON COLUMN customers.contact_index.value_hmac IS 'HMAC-SHA256 of the normalised value (lower-case email, E.164 phone) under a key derived from the master key; the value itself is not stored. Not exposed to analysts.'`,
];

function statements(): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${ANALYTICS_SCHEMA}`,
    `COMMENT ON SCHEMA ${ANALYTICS_SCHEMA} IS 'Stable, documented views of the customers read models for analysts (role crm_analyst). See docs/analysts/customers.md.'`,
    `CREATE OR REPLACE VIEW ${PROFILES_VIEW} AS SELECT ${analystColumns.map((c) => c.name).join(', ')} FROM ${READ_SCHEMA}.customer_profiles`,
    ...commentStatements(
      PROFILES_VIEW,
      "One row per customer (all statuses). Personal columns are NULL for erased customers; purchase figures stay. Merged customers keep their own figures, which the survivor also counts: filter status <> 'merged' when summing.",
      analystColumns,
      'VIEW',
    ),
    `CREATE OR REPLACE VIEW ${TOTALS_VIEW} AS
       SELECT p.customer_id, p.status, t.key AS currency, t.value::numeric AS total
         FROM ${READ_SCHEMA}.customer_profiles p CROSS JOIN LATERAL jsonb_each_text(p.purchase_totals) t`,
    `COMMENT ON VIEW ${TOTALS_VIEW} IS 'Purchase totals per customer and currency, one row each, as numeric (from customer_profiles.purchase_totals). Kept after erasure.'`,
    `COMMENT ON COLUMN ${TOTALS_VIEW}.customer_id IS 'The customer id.'`,
    `COMMENT ON COLUMN ${TOTALS_VIEW}.status IS 'The customer status; exclude merged to avoid counting carried-over orders twice.'`,
    `COMMENT ON COLUMN ${TOTALS_VIEW}.currency IS 'ISO 4217 currency code.'`,
    `COMMENT ON COLUMN ${TOTALS_VIEW}.total IS 'Sum of the customer''s purchases in that currency.'`,
    ...commentStatements(`${READ_SCHEMA}.customer_profiles`, `${TABLE_COMMENT} (View over the live version.)`, PROFILE_COLUMNS, 'VIEW'),
    ...CONTACT_INDEX_COMMENTS,
    `REVOKE ALL ON SCHEMA ${ANALYTICS_SCHEMA} FROM PUBLIC`,
    // The role is created by infra (infra/local/postgres/ensure.sh, or the platform team); without it, no grants.
    `DO $$ BEGIN
       IF EXISTS (SELECT FROM pg_roles WHERE rolname = '${ANALYST_ROLE}') THEN
         GRANT USAGE ON SCHEMA ${ANALYTICS_SCHEMA} TO ${ANALYST_ROLE};
         GRANT SELECT ON ${PROFILES_VIEW}, ${TOTALS_VIEW} TO ${ANALYST_ROLE};
       END IF;
     END $$`,
  ];
}

/** Creates or refreshes the analysts' views, comments and grants. Call after the projection is installed. */
export async function installAnalystAccess(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('customers_analyst_access', 0))`);
    for (const sql of statements()) await client.query(sql);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
