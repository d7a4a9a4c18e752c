// The duplicate check on registration reads the contact index (a read model: eventually consistent, so two
// registrations in the same instant can both pass; the read side's duplicate candidates catch those).
// Lookups that overlap share one query (a micro-batch): registrations under load cost one round trip per batch.
import { MicroBatcher } from '@crm/event-store';
import type { Pool } from 'pg';
import { CONTACT_INDEX_TABLE, type ContactHasher } from './contact-index.projection';

export interface DuplicateLookup {
  /** A customer holding one of these normalised emails or E.164 phones, or null. */
  findByEmailOrPhone(emails: readonly string[], phones: readonly string[]): Promise<string | null>;
}

type Lookup = { kinds: string[]; hashes: Buffer[] };

export class PostgresDuplicateLookup implements DuplicateLookup {
  private readonly batcher: MicroBatcher<Lookup, string | null>;

  constructor(
    private readonly pool: Pool,
    private readonly hasher: ContactHasher,
    private readonly table = CONTACT_INDEX_TABLE,
  ) {
    this.batcher = new MicroBatcher({ one: (lookup) => this.find([lookup]).then(([found]) => found ?? null), many: (lookups) => this.find(lookups) });
  }

  findByEmailOrPhone(emails: readonly string[], phones: readonly string[]): Promise<string | null> {
    if (emails.length === 0 && phones.length === 0) return Promise.resolve(null);
    return this.batcher.submit({
      kinds: [...emails.map(() => 'email'), ...phones.map(() => 'phone')],
      hashes: [...emails.map((email) => this.hasher.hash('email', email)), ...phones.map((phone) => this.hasher.hash('phone', phone))],
    });
  }

  /** For each lookup, the lowest customer id holding one of its contacts (as one lookup's LIMIT 1 would). */
  private async find(lookups: readonly Lookup[]): Promise<Array<string | null>> {
    const lookupOf: number[] = [];
    const kinds: string[] = [];
    const hashes: Buffer[] = [];
    lookups.forEach((lookup, i) => {
      lookup.kinds.forEach((kind, j) => {
        lookupOf.push(i);
        kinds.push(kind);
        hashes.push(lookup.hashes[j] as Buffer);
      });
    });
    const { rows } = await this.pool.query<{ lookup: number; customer_id: string }>(
      `SELECT q.lookup, (array_agg(c.customer_id ORDER BY c.customer_id))[1] AS customer_id
         FROM unnest($1::int[], $2::text[], $3::bytea[]) AS q(lookup, kind, value_hmac)
         JOIN ${this.table} c ON c.kind = q.kind AND c.value_hmac = q.value_hmac
        GROUP BY q.lookup`,
      [lookupOf, kinds, hashes],
    );
    const found = lookups.map((): string | null => null);
    for (const row of rows) found[row.lookup] = row.customer_id;
    return found;
  }
}
