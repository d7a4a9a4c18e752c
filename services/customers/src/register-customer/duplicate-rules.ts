// The duplicate rules of registration, shared by POST /customers (refuses a duplicate) and lead conversion (links
// the lead to it instead): a customer holding one of the normalised emails or phones (the contact index), followed
// through merges to its survivor. Erased or unknown customers (index lag) are no duplicates.
import type { CustomerProfile } from '../domain';
import type { CustomerCommands } from '../infrastructure/customer-commands';
import type { DuplicateLookup } from '../infrastructure/duplicate-lookup';

/** How many merges a duplicate's id is followed through to its survivor. */
const MAX_MERGE_HOPS = 5;

/** A customer that exists as itself: registered, not merged away, not erased. */
export type LiveCustomer = { customerId: string; status: 'active' | 'inactive' };

export interface DuplicateRuleDeps {
  commands: Pick<CustomerCommands, 'read'>;
  duplicates: DuplicateLookup;
}

/** The customer a duplicate lives on as: itself, its survivor if merged, null if erased or not (yet) there. */
export async function liveCustomerOf(commands: Pick<CustomerCommands, 'read'>, customerId: string): Promise<LiveCustomer | null> {
  let current = customerId;
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
    const { state } = await commands.read(current);
    if (state.status === 'merged') current = state.survivorId;
    else return state.status === 'active' || state.status === 'inactive' ? { customerId: current, status: state.status } : null;
  }
  return null; // a merge chain longer than any the service makes: not offered as a duplicate
}

/**
 * The existing customer that registering `customerId` with these contacts would duplicate, or null. A retried
 * registration finds itself in the index (its stream exists): that is no duplicate, the command handler answers it.
 */
export async function findDuplicate(
  { commands, duplicates }: DuplicateRuleDeps,
  customerId: string,
  contacts: Pick<CustomerProfile, 'emails' | 'phones'>,
): Promise<LiveCustomer | null> {
  const found = await duplicates.findByEmailOrPhone(
    contacts.emails.map((email) => email.address),
    contacts.phones.map((phone) => phone.e164),
  );
  if (found === null || found === customerId) return null;
  if ((await commands.read(customerId)).revision !== 'no_stream') return null;
  const existing = await liveCustomerOf(commands, found);
  return existing === null || existing.customerId === customerId ? null : existing;
}
