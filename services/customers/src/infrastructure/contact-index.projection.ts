// The contact index behind the duplicate check on registration: per customer, keyed hashes of its normalised
// emails and phones. `contactIndexChanges` is pure (decoded event → changes); `applyContactIndexChanges` writes
// them inside the caller's transaction (the projection runner's, beside its checkpoint). Events carry whole
// lists, so every change replaces one kind of a customer's rows and replaying an event twice is harmless.
// A merged customer keeps its rows (an unmerge brings it back without repeating its contacts); the lookup
// resolves it to its survivor. Erasure deletes the customer's rows; shredded values change nothing.
import type { ClientBase } from 'pg';
import type { CustomerEvent, EmailAddress, PhoneNumber } from '../domain';
import type { MasterKey } from './crypto/master-key';

export const CONTACT_INDEX_TABLE = 'customers.contact_index';

export type ContactKind = 'email' | 'phone';

export type ContactIndexChange =
  | { op: 'replace'; customerId: string; kind: ContactKind; values: readonly string[] }
  | { op: 'remove'; customerId: string };

/** Turns a normalised contact value into the bytes stored and looked up. */
export interface ContactHasher {
  hash(kind: ContactKind, normalisedValue: string): Buffer;
}

export const masterKeyContactHasher = (masterKey: MasterKey): ContactHasher => ({
  hash: (kind, value) => masterKey.contactHmac(kind, value),
});

/** The event types that change the index, for the projection's subscription filter. */
export const CONTACT_INDEX_EVENT_TYPES = [
  'CustomerRegistered',
  'ContactDetailsUpdated',
  'CustomerMergeAbsorbed',
  'CustomerMergeReverted',
  'CustomerErased',
] as const satisfies readonly CustomerEvent['type'][];

type Lists = { emails?: readonly EmailAddress[] | null; phones?: readonly PhoneNumber[] | null };

/** What the (decrypted) event changes in the index. */
export function contactIndexChanges(event: CustomerEvent): ContactIndexChange[] {
  switch (event.type) {
    case 'CustomerRegistered':
    case 'ContactDetailsUpdated':
      return replaced(event.data.customerId, event.data);
    case 'CustomerMergeAbsorbed': {
      const { emails, phones } = event.data.changes ?? {};
      // `value` absent: A's data in B's stream was shredded; B is erased too (linked), which removes its rows.
      return replaced(event.data.customerId, { emails: emails && emails.value, phones: phones && phones.value });
    }
    case 'CustomerMergeReverted':
      return replaced(event.data.customerId, event.data.restored ?? {});
    case 'CustomerErased':
      return [{ op: 'remove', customerId: event.data.customerId }];
    default:
      return [];
  }
}

function replaced(customerId: string, { emails, phones }: Lists): ContactIndexChange[] {
  const changes: ContactIndexChange[] = [];
  // undefined: not in the event (or shredded); null: cleared.
  if (emails !== undefined) changes.push({ op: 'replace', customerId, kind: 'email', values: (emails ?? []).map((e) => e.address) });
  if (phones !== undefined) changes.push({ op: 'replace', customerId, kind: 'phone', values: (phones ?? []).map((p) => p.e164) });
  return changes;
}

/** Writes the changes with the caller's client (inside its transaction). */
export async function applyContactIndexChanges(
  tx: Pick<ClientBase, 'query'>,
  changes: readonly ContactIndexChange[],
  hasher: ContactHasher,
  table = CONTACT_INDEX_TABLE,
): Promise<void> {
  for (const change of changes) {
    if (change.op === 'remove') {
      await tx.query(`DELETE FROM ${table} WHERE customer_id = $1`, [change.customerId]);
      continue;
    }
    await tx.query(`DELETE FROM ${table} WHERE customer_id = $1 AND kind = $2`, [change.customerId, change.kind]);
    if (change.values.length === 0) continue;
    await tx.query(
      `INSERT INTO ${table} (customer_id, kind, value_hmac) SELECT $1, $2, unnest($3::bytea[]) ON CONFLICT DO NOTHING`,
      [change.customerId, change.kind, change.values.map((value) => hasher.hash(change.kind, value))],
    );
  }
}

/** The table's DDL for a projection that owns its own copy (e.g. under @crm/projections' versioned schemas). */
export function contactIndexDdl(table: string): string {
  return `CREATE TABLE ${table} (
  customer_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('email', 'phone')),
  value_hmac bytea NOT NULL,
  PRIMARY KEY (customer_id, kind, value_hmac)
);
CREATE INDEX ON ${table} (kind, value_hmac);`;
}
