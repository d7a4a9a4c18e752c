// What analysts get of the customers service (@crm/projections' analyst access): schema `customers_analytics` with
// one stable, documented view per read model, readable by the role crm_analyst and nothing else of the service
// (no event_store, no customers.data_keys, no projections or messaging schema). See docs/analysts/customers.md.
import { commentStatements, installAnalystAccess as install, type AnalystAccess } from '@crm/projections';
import type { Pool } from 'pg';
import { PROFILE_COLUMNS, READ_SCHEMA, TABLE_COMMENT } from '../read-model/customer-profiles.schema';

export const ANALYTICS_SCHEMA = 'customers_analytics';
export const ANALYST_ROLE = 'crm_analyst';

const analystColumns = PROFILE_COLUMNS.filter((c) => c.analysts);

const CONTACT_INDEX_COMMENTS = [
  `COMMENT ON COLUMN customers.contact_index.customer_id IS 'The customer holding the email or phone.'`,
  `COMMENT ON COLUMN customers.contact_index.kind IS 'email or phone.'`,
  `COMMENT ON COLUMN customers.contact_index.value_hmac IS 'HMAC-SHA256 of the normalised value (lower-case email, E.164 phone) under a key derived from the master key; the value itself is not stored. Not exposed to analysts.'`,
];

export const CUSTOMERS_ANALYST_ACCESS: AnalystAccess = {
  schema: ANALYTICS_SCHEMA,
  comment: 'Stable, documented views of the customers read models for analysts (role crm_analyst). See docs/analysts/customers.md.',
  role: ANALYST_ROLE,
  lockName: 'customers_analyst_access',
  views: [
    {
      name: 'customer_profiles',
      select: `SELECT ${analystColumns.map((c) => c.name).join(', ')} FROM ${READ_SCHEMA}.customer_profiles`,
      comment:
        "One row per customer (all statuses). Personal columns are NULL for erased customers; purchase figures stay. Merged customers keep their own figures, which the survivor also counts: filter status <> 'merged' when summing.",
      columns: analystColumns,
    },
    {
      name: 'customer_purchase_totals',
      select: `SELECT p.customer_id, p.status, t.key AS currency, t.value::numeric AS total
         FROM ${READ_SCHEMA}.customer_profiles p CROSS JOIN LATERAL jsonb_each_text(p.purchase_totals) t`,
      comment: 'Purchase totals per customer and currency, one row each, as numeric (from customer_profiles.purchase_totals). Kept after erasure.',
      columns: [
        { name: 'customer_id', comment: 'The customer id.' },
        { name: 'status', comment: 'The customer status; exclude merged to avoid counting carried-over orders twice.' },
        { name: 'currency', comment: 'ISO 4217 currency code.' },
        { name: 'total', comment: "Sum of the customer's purchases in that currency." },
      ],
    },
  ],
  statements: [
    ...commentStatements(`${READ_SCHEMA}.customer_profiles`, `${TABLE_COMMENT} (View over the live version.)`, PROFILE_COLUMNS, 'VIEW'),
    ...CONTACT_INDEX_COMMENTS,
  ],
};

/** Creates or refreshes the analysts' views, comments and grants. Call after the projection is installed. */
export function installAnalystAccess(pool: Pool): Promise<void> {
  return install(pool, CUSTOMERS_ANALYST_ACCESS);
}
