// The local read model of the customers service's customers (sales.known_customers, created by the sales
// migrations, read by the CustomerDirectory): what each crm.customers.v1 event changes in it, and the writes.
// One customer's events arrive in order (keyed by its id), so a replay from any offset ends in the same rows.
import type { CustomersEvent } from '@crm/contracts';
import type { ClientBase } from 'pg';

export type KnownCustomerStatus = 'active' | 'inactive' | 'merged' | 'erased';

/** The row as an event leaves it; `survivorId` only while merged. */
export type KnownCustomerChange = { customerId: string; status: KnownCustomerStatus; survivorId?: string };

/** The event types that change the model; the feed skips the others without decoding them. */
export const KNOWN_CUSTOMER_EVENT_TYPES = [
  'crm.customer.registered.v1',
  'crm.customer.deactivated.v1',
  'crm.customer.reactivated.v1',
  'crm.customer.merged.v1',
  'crm.customer.unmerged.v1',
  'crm.customer.erased.v1',
] as const satisfies readonly CustomersEvent['type'][];

/** The change an event makes, or undefined for events that leave the status alone. */
export function knownCustomerChange(event: CustomersEvent): KnownCustomerChange | undefined {
  switch (event.type) {
    case 'crm.customer.registered.v1':
    case 'crm.customer.reactivated.v1':
      return { customerId: event.payload.customerId, status: 'active' };
    case 'crm.customer.deactivated.v1':
      return { customerId: event.payload.customerId, status: 'inactive' };
    case 'crm.customer.merged.v1':
      return { customerId: event.payload.customerId, status: 'merged', survivorId: event.payload.survivorId };
    // The contract does not say which status the restored customer had before the merge; the customers service
    // merges active customers into active survivors in practice, and a deactivation after an unmerge is its own event.
    case 'crm.customer.unmerged.v1':
      return { customerId: event.payload.customerId, status: 'active' };
    case 'crm.customer.erased.v1':
      return { customerId: event.payload.customerId, status: 'erased' };
    case 'crm.customer.contact-details-updated.v1':
    case 'crm.customer.address-changed.v1':
    case 'crm.customer.tagged.v1':
    case 'crm.customer.untagged.v1':
    case 'crm.customer.purchase-recorded.v1':
    case 'crm.customer.consent-given.v1':
    case 'crm.customer.consent-withdrawn.v1':
    case 'crm.customer.lead-linked.v1':
      return undefined;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * Writes the change. An erased customer stays erased: a late or replayed event of the same customer must not
 * bring it back (its events are in order, but a replay after dedup rows were pruned starts from older ones).
 */
export async function applyKnownCustomerChange(tx: ClientBase, change: KnownCustomerChange): Promise<void> {
  await tx.query(
    `INSERT INTO sales.known_customers AS k (customer_id, status, survivor_id) VALUES ($1, $2, $3)
     ON CONFLICT (customer_id) DO UPDATE SET status = excluded.status, survivor_id = excluded.survivor_id
     WHERE k.status <> 'erased'`,
    [change.customerId, change.status, change.survivorId ?? null],
  );
}

/**
 * Serialises work on one customer between the feed (exclusive, when it marks a customer merged or erased) and the
 * conversion-links projection (shared, when it links a lead or an opportunity to a customer), so that whichever
 * commits second sees the other's rows: see customer-follow-ups.ts.
 */
export async function lockCustomer(tx: ClientBase, customerId: string, mode: 'exclusive' | 'shared'): Promise<void> {
  const lock = mode === 'exclusive' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared';
  await tx.query(`SELECT ${lock}(hashtextextended('sales.customer:' || lower($1), 0))`, [customerId]);
}
