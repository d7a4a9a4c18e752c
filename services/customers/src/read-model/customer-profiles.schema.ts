// The customer_profiles table: its columns with their documentation (COMMENT ON, the analysts' view and
// docs/analysts/customers.md say the same), and the DDL of one physical version (@crm/projections).
import { commentStatements } from '@crm/projections';

export const CUSTOMER_PROFILES = 'customer_profiles';
export const READ_SCHEMA = 'customers';

export interface ColumnDoc {
  name: string;
  type: string;
  comment: string;
  /** Shown in the analysts' view `customers_analytics.customer_profiles`. */
  analysts: boolean;
}

const column = (name: string, type: string, comment: string, analysts = true): ColumnDoc => ({ name, type, comment, analysts });

export const PROFILE_COLUMNS: readonly ColumnDoc[] = [
  column('customer_id', 'uuid PRIMARY KEY', 'The customer id (uuid); the key of its event stream customer-<id> and of its Kafka messages.'),
  column('status', "text NOT NULL CHECK (status IN ('active', 'inactive', 'merged', 'erased'))", 'active, inactive (deactivated), merged (into merged_into) or erased (personal data removed).'),
  column('display_name', 'text', 'Personal. The name to address the customer by: the given display name, else given and family name. NULL once erased.'),
  column('given_name', 'text', 'Personal. Given name. NULL once erased.'),
  column('family_name', 'text', 'Personal. Family name. NULL once erased.'),
  column('primary_email', 'text', 'Personal. The primary email address, trimmed and lower case. NULL once erased.'),
  column('emails', 'text[]', 'Personal. Every email address, primary first as registered. NULL once erased.'),
  column('phones', 'text[]', 'Personal. Every phone number in E.164 (+4930123456). NULL once erased.'),
  column('company', 'text', 'Personal. The company the customer works at or buys for. NULL once erased.'),
  column('city', 'text', 'Personal. City of the postal address (street and postal code are not in the read model). NULL once erased.'),
  column('country', 'text', 'Personal. Country of the postal address, ISO 3166-1 alpha-2. NULL once erased.'),
  column('tags', "text[] NOT NULL DEFAULT '{}'", 'Tags (not personal by rule). Empty once erased.'),
  column('consents', "jsonb NOT NULL DEFAULT '{}'", 'Per channel (email, sms, phone, marketing) the last decision: {"email": {"granted": true, "at": "<ISO time>", "source": "signup-form"}}. A channel without a key is unknown.'),
  column('purchase_count', 'integer NOT NULL DEFAULT 0', 'Number of recorded purchases (orders). Kept after erasure. A survivor counts the orders of the customers merged into it.'),
  column('purchase_totals', "jsonb NOT NULL DEFAULT '{}'", 'Total of the purchases per ISO 4217 currency as a decimal string: {"EUR": "129.90"}. Kept after erasure. Sum with (value)::numeric per currency.'),
  column('last_purchase_at', 'timestamptz', 'When the latest purchase was made. Kept after erasure.'),
  column('merged_into', 'uuid', 'For a merged customer, the survivor it was merged into (reads of this id resolve to it).'),
  column('created_at', 'timestamptz NOT NULL', 'When the customer was registered.'),
  column('updated_at', 'timestamptz NOT NULL', 'When the last event applied to this row was stored.'),
  column('erased_at', 'timestamptz', 'When the personal data was erased (GDPR art. 17); NULL if never.'),
  column('revision', 'bigint NOT NULL', 'Revision of the last event applied from the customer stream (the ETag of the API).'),
  column('search_text', 'text', 'Internal: lower-case names, emails, phones and company for the search API (trigram index). NULL once erased.', false),
  column('state', 'jsonb NOT NULL', 'Internal: the folded domain state the next event is applied to. Holds no personal data once erased.', false),
];

export const TABLE_COMMENT =
  'One row per customer, projected from the customer events (projection customer_profiles). Rebuilt from the events on a new projection version; query the view customers_analytics.customer_profiles.';

/** One physical version's table, its indexes and comments. */
export function customerProfilesDdl(table: string): string[] {
  return [
    // Trusted extension (PostgreSQL 13+): the service's role needs CREATE on the database, not superuser.
    'CREATE EXTENSION IF NOT EXISTS pg_trgm',
    `CREATE TABLE ${table} (\n  ${PROFILE_COLUMNS.map((c) => `${c.name} ${c.type}`).join(',\n  ')}\n)`,
    // Keyset pagination of the search: (created_at, customer_id) is the sort and the cursor.
    `CREATE INDEX ON ${table} (created_at, customer_id)`,
    `CREATE INDEX ON ${table} USING gin (search_text gin_trgm_ops)`,
    `CREATE INDEX ON ${table} USING gin (tags)`,
    `CREATE INDEX ON ${table} USING gin (consents jsonb_path_ops)`,
    `CREATE INDEX ON ${table} (last_purchase_at)`,
    // Duplicate candidates are pre-filtered by same company or same city.
    `CREATE INDEX ON ${table} (lower(company)) WHERE company IS NOT NULL`,
    `CREATE INDEX ON ${table} (lower(city), country) WHERE city IS NOT NULL`,
    ...commentStatements(table, TABLE_COMMENT, PROFILE_COLUMNS),
  ];
}
