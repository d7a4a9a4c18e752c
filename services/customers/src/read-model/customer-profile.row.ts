// One customer's folded state as its read-model row (pure). The row is derived from the domain's own `evolve`,
// so the read model cannot disagree with the command side about merges, unmerges and erasure; the state itself
// is kept beside the row (column `state`) so that the next event folds onto it without reading the stream.
import type { CustomerState, EmailAddress, PhoneNumber, PurchaseSummary, RegisteredCustomer } from '../domain';
import { minorDigits } from '../record-purchase/money';

export const PROFILE_STATUSES = ['active', 'inactive', 'merged', 'erased'] as const;
export type ProfileStatus = (typeof PROFILE_STATUSES)[number];

/** Per channel, the last consent decision. */
export type ConsentColumn = { [channel: string]: { granted: boolean; at: string; source: string } };

/** A row of `customers.customer_profiles`, as written (times ISO-8601, revision a decimal string). */
export interface ProfileRow {
  customer_id: string;
  status: ProfileStatus;
  display_name: string | null;
  given_name: string | null;
  family_name: string | null;
  primary_email: string | null;
  emails: string[] | null;
  phones: string[] | null;
  company: string | null;
  city: string | null;
  country: string | null;
  tags: string[];
  consents: ConsentColumn;
  purchase_count: number;
  /** Per ISO 4217 currency, the total as a decimal string at the currency's precision: `{ "EUR": "129.90" }`. */
  purchase_totals: { [currency: string]: string };
  last_purchase_at: string | null;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
  erased_at: string | null;
  revision: string;
  search_text: string | null;
  state: CustomerState;
}

export interface RowMeta {
  revision: bigint;
  updatedAt: Date;
}

/** "12990" EUR → "129.90". */
export function decimalOf(minor: string, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return minor;
  const padded = minor.padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

export function displayNameOf(name: { given?: string; family?: string; display?: string } | undefined): string | null {
  if (name === undefined) return null;
  return name.display ?? ([name.given, name.family].filter(Boolean).join(' ') || null);
}

const digitsOnly = (e164: string): string => e164.replace(/\D/g, '');

/** What `q` matches: names, emails, phones (E.164 and digits only) and the company, lower case. */
export function searchTextOf(parts: { names: (string | null | undefined)[]; emails: string[]; phones: string[]; company: string | null }): string {
  const words = [...parts.names, ...parts.emails, ...parts.phones, ...parts.phones.map(digitsOnly), parts.company];
  return words
    .filter((word): word is string => typeof word === 'string' && word.length > 0)
    .join(' ')
    .toLowerCase();
}

function purchaseColumns(summary: PurchaseSummary): Pick<ProfileRow, 'purchase_count' | 'purchase_totals' | 'last_purchase_at'> {
  const totals: { [currency: string]: string } = {};
  for (const [currency, minor] of Object.entries(summary.totals)) totals[currency] = decimalOf(minor, currency);
  return { purchase_count: summary.count, purchase_totals: totals, last_purchase_at: summary.lastPurchaseAt ?? null };
}

// After an erasure the events arrive without their personal values, so a profile folded from them may lack
// fields its type promises: read every personal field as possibly absent.
function profileColumns(customer: RegisteredCustomer) {
  const profile = customer.profile as Partial<RegisteredCustomer['profile']>;
  const emails = (profile.emails ?? []) as readonly EmailAddress[];
  const phones = (profile.phones ?? []) as readonly PhoneNumber[];
  const primaryEmail = emails.find((email) => email.primary) ?? emails[0];
  const emailList = emails.map((email) => email.address);
  const phoneList = phones.map((phone) => phone.e164);
  const displayName = displayNameOf(profile.name);
  const company = profile.company ?? null;
  const consents: ConsentColumn = {};
  for (const [channel, record] of Object.entries(customer.consents)) {
    if (record) consents[channel] = { granted: record.status === 'given', at: record.at, source: record.source };
  }
  return {
    display_name: displayName,
    given_name: profile.name?.given ?? null,
    family_name: profile.name?.family ?? null,
    primary_email: primaryEmail?.address ?? null,
    emails: emailList,
    phones: phoneList,
    company,
    city: profile.address?.city ?? null,
    country: profile.address?.country ?? null,
    tags: [...(profile.tags ?? [])],
    consents,
    ...purchaseColumns(customer.purchases),
    search_text: searchTextOf({ names: [displayName, profile.name?.given, profile.name?.family], emails: emailList, phones: phoneList, company }),
  };
}

const NO_PERSONAL_DATA = {
  display_name: null,
  given_name: null,
  family_name: null,
  primary_email: null,
  emails: null,
  phones: null,
  company: null,
  city: null,
  country: null,
  search_text: null,
};

/** The row for a customer's state, or null before it is registered. */
export function profileRowOf(customerId: string, state: CustomerState, meta: RowMeta): ProfileRow | null {
  const common = { customer_id: customerId, updated_at: meta.updatedAt.toISOString(), revision: meta.revision.toString(), state };
  switch (state.status) {
    case 'new':
      return null;
    case 'active':
    case 'inactive':
      return {
        ...common,
        ...profileColumns(state),
        status: state.status,
        merged_into: null,
        created_at: state.registeredAt,
        erased_at: null,
      };
    case 'merged':
      // Frozen as it was before the merge, which an unmerge restores; reads of it resolve to the survivor.
      return {
        ...common,
        ...profileColumns(state.beforeMerge),
        status: 'merged',
        merged_into: state.survivorId,
        created_at: state.beforeMerge.registeredAt,
        erased_at: null,
      };
    case 'erased':
      return {
        ...common,
        ...NO_PERSONAL_DATA,
        tags: [],
        consents: {},
        ...purchaseColumns(state.purchases),
        status: 'erased',
        merged_into: state.mergedInto ?? null,
        created_at: state.registeredAt,
        erased_at: state.erasedAt,
      };
    default: {
      const _exhaustive: never = state;
      return _exhaustive;
    }
  }
}
