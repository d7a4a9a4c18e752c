// Injection tokens of the sales service's infrastructure (classes are their own tokens).
/** The service's pg Pool on DATABASE_URL: event store (PostgreSQL mode), lead data keys, read models, jobs. */
export const SALES_POOL = Symbol('SALES_POOL');
/** The event store as stored: lead events hold ciphertext. For the relay, which copies events as they are. */
export const STORED_EVENT_STORE = Symbol('STORED_EVENT_STORE');
/** The event store with lead personal data decrypted on read and encrypted on append. */
export const SALES_EVENT_STORE = Symbol('SALES_EVENT_STORE');
/** CustomerDirectory: the status of a customer as the sales service knows it (sales.known_customers). */
export const CUSTOMER_DIRECTORY = Symbol('CUSTOMER_DIRECTORY');
