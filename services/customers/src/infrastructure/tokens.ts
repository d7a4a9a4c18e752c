// Injection tokens of the customers service's infrastructure (classes are their own tokens).
/** The service's pg Pool on DATABASE_URL: event store (PostgreSQL mode), data keys, read models. */
export const CUSTOMERS_POOL = Symbol('CUSTOMERS_POOL');
/** The event store as stored: customer events hold ciphertext. For relays that copy events as they are. */
export const STORED_EVENT_STORE = Symbol('STORED_EVENT_STORE');
/** The event store with customer events decrypted on read and encrypted on append (EncryptingEventStore). */
export const CUSTOMER_EVENT_STORE = Symbol('CUSTOMER_EVENT_STORE');
/** DuplicateLookup: the duplicate check on registration. */
export const DUPLICATE_LOOKUP = Symbol('DUPLICATE_LOOKUP');
/** ContactHasher: keyed hashes of normalised emails and phones for the contact index. */
export const CONTACT_HASHER = Symbol('CONTACT_HASHER');
