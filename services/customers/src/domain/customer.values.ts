// The values a customer is made of, as they travel in commands, events and state: JSON only, type aliases
// (not interfaces) so that they fit @crm/event-store's JsonData. Times are ISO-8601 UTC strings, dates YYYY-MM-DD.
// Values arrive normalised from the edge: emails trimmed and lower-cased, phones in E.164, tags trimmed.

export type PersonName = { given: string; family?: string; display?: string };

export type EmailAddress = { address: string; primary: boolean; label?: string };

export type PhoneNumber = { e164: string; primary: boolean; label?: string };

/** `country` is ISO 3166-1 alpha-2. */
export type PostalAddress = { lines: readonly string[]; city: string; postalCode?: string; region?: string; country: string };

/** Typed key/value data a tenant attaches to customers; a `date` value is YYYY-MM-DD. */
export type CustomAttribute =
  | { key: string; type: 'string'; value: string }
  | { key: string; type: 'number'; value: number }
  | { key: string; type: 'boolean'; value: boolean }
  | { key: string; type: 'date'; value: string };

/** Everything about a customer that a person edits; the rest of the state is recorded facts (purchases, consents). */
export type CustomerProfile = {
  name: PersonName;
  emails: readonly EmailAddress[];
  phones: readonly PhoneNumber[];
  address?: PostalAddress;
  birthday?: string;
  gender?: string;
  company?: string;
  tags: readonly string[];
  acquisitionSource?: string;
  customAttributes: readonly CustomAttribute[];
};

export type ProfileField = keyof CustomerProfile;
export type ProfileValue<K extends ProfileField> = Exclude<CustomerProfile[K], undefined>;

/** Changed profile fields only; `null` clears an optional field (JSON keeps a null, it drops an undefined). */
export type ProfilePatch = { [K in ProfileField]?: ProfileValue<K> | null };

export const PROFILE_FIELDS = [
  'name',
  'emails',
  'phones',
  'address',
  'birthday',
  'gender',
  'company',
  'tags',
  'acquisitionSource',
  'customAttributes',
] as const satisfies readonly ProfileField[];

/** An amount in minor units (cents) as an integer string, so that no total ever loses precision; ISO 4217 currency. */
export type Money = { minor: string; currency: string };

/** `unitPrice` is in the purchase's currency. */
export type PurchaseItem = { sku: string; name: string; quantity: number; unitPrice: Money };

export type RecordedOrder = { amount: Money; purchasedAt: string };

/** Recorded purchases by order id: what makes RecordPurchase idempotent and a merge exactly revertible. */
export type Orders = { readonly [orderId: string]: RecordedOrder };

export const CONSENT_CHANNELS = ['email', 'sms', 'phone', 'marketing'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** `source` names where the consent was captured (a form, an import, an agent): never personal data. */
export type ConsentRecord = { status: 'given' | 'withdrawn'; source: string; at: string };

/** The last consent decision per channel; a channel without one is unknown (neither given nor refused). */
export type Consents = { readonly [C in ConsentChannel]?: ConsentRecord };

/** Which customer a profile field of a merge is taken from; `union` is for list fields only. */
export type MergeChoice = 'survivor' | 'merged' | 'union';
export type MergeChoices = { readonly [K in ProfileField]: MergeChoice };

export const LIST_FIELDS = ['emails', 'phones', 'tags', 'customAttributes'] as const satisfies readonly ProfileField[];

/** Why a customer was erased: a closed list, so that free text cannot smuggle personal data into the erasure event. */
export type ErasureReason = 'data_subject_request' | 'retention_policy' | 'legal_obligation';
