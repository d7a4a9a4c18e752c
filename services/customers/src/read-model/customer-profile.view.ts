// A customer_profiles row as the query API answers it, and the columns to select for that.
import type { ConsentColumn, ProfileRow, ProfileStatus } from './customer-profile.row';

export const PROFILE_VIEW = 'customers.customer_profiles';

/** The columns the API reads (never `state`); created_at also as exact text, for the search cursor. */
export const PROFILE_SELECT = `customer_id, status, display_name, given_name, family_name, primary_email, emails, phones, company, city,
  country, tags, consents, purchase_count, purchase_totals, last_purchase_at, merged_into, created_at, updated_at, erased_at,
  revision::text AS revision, to_json(created_at)#>>'{}' AS created_key`;

/** A selected row: the written row without `state` and `search_text`, times as pg returns them. */
export type SelectedRow = Omit<ProfileRow, 'state' | 'search_text' | 'last_purchase_at' | 'created_at' | 'updated_at' | 'erased_at'> & {
  last_purchase_at: Date | null;
  created_at: Date;
  updated_at: Date;
  erased_at: Date | null;
  /** created_at with microseconds, as PostgreSQL writes it. */
  created_key: string;
};

export interface CustomerProfileView {
  customerId: string;
  status: ProfileStatus;
  /** null once erased. */
  name: { display: string | null; given: string | null; family: string | null } | null;
  primaryEmail: string | null;
  emails: string[] | null;
  phones: string[] | null;
  company: string | null;
  city: string | null;
  country: string | null;
  tags: string[];
  consents: ConsentColumn;
  purchases: { count: number; totals: { [currency: string]: string }; lastPurchaseAt: string | null };
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
  erasedAt: string | null;
  /** The stream revision the row reflects (the ETag). */
  revision: number;
}

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function profileViewOf(row: SelectedRow): CustomerProfileView {
  const erased = row.status === 'erased';
  return {
    customerId: row.customer_id,
    status: row.status,
    name: erased ? null : { display: row.display_name, given: row.given_name, family: row.family_name },
    primaryEmail: row.primary_email,
    emails: row.emails,
    phones: row.phones,
    company: row.company,
    city: row.city,
    country: row.country,
    tags: row.tags,
    consents: row.consents,
    purchases: { count: row.purchase_count, totals: row.purchase_totals, lastPurchaseAt: iso(row.last_purchase_at) },
    mergedInto: row.merged_into,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    erasedAt: iso(row.erased_at),
    revision: Number(row.revision),
  };
}
