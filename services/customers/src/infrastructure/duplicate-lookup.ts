// The duplicate check on registration reads the contact index (a read model: eventually consistent, so two
// registrations in the same instant can both pass; the read side's duplicate candidates catch those).
import type { Pool } from 'pg';
import { CONTACT_INDEX_TABLE, type ContactHasher } from './contact-index.projection';

export interface DuplicateLookup {
  /** A customer holding one of these normalised emails or E.164 phones, or null. */
  findByEmailOrPhone(emails: readonly string[], phones: readonly string[]): Promise<string | null>;
}

export class PostgresDuplicateLookup implements DuplicateLookup {
  constructor(
    private readonly pool: Pool,
    private readonly hasher: ContactHasher,
    private readonly table = CONTACT_INDEX_TABLE,
  ) {}

  async findByEmailOrPhone(emails: readonly string[], phones: readonly string[]): Promise<string | null> {
    if (emails.length === 0 && phones.length === 0) return null;
    const { rows } = await this.pool.query<{ customer_id: string }>(
      `SELECT customer_id FROM ${this.table}
        WHERE (kind = 'email' AND value_hmac = ANY($1::bytea[])) OR (kind = 'phone' AND value_hmac = ANY($2::bytea[]))
        ORDER BY customer_id LIMIT 1`,
      [emails.map((email) => this.hasher.hash('email', email)), phones.map((phone) => this.hasher.hash('phone', phone))],
    );
    return rows[0]?.customer_id ?? null;
  }
}
