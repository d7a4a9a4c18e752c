// The contact index changes of a whole batch, compacted per customer and kind (the last list wins, an erasure
// removes everything before it), then written with one statement instead of two per change. Same rows as
// `applyContactIndexChanges` applied change by change.
import type { ClientBase } from 'pg';
import { CONTACT_INDEX_TABLE, type ContactHasher, type ContactIndexChange, type ContactKind } from '../infrastructure';

interface Pending {
  removeAll: boolean;
  lists: Map<ContactKind, readonly string[]>;
}

export class ContactIndexBatch {
  private readonly customers = new Map<string, Pending>();

  add(changes: readonly ContactIndexChange[]): void {
    for (const change of changes) {
      let pending = this.customers.get(change.customerId);
      if (!pending) this.customers.set(change.customerId, (pending = { removeAll: false, lists: new Map() }));
      if (change.op === 'remove') {
        pending.removeAll = true;
        pending.lists.clear();
      } else {
        pending.lists.set(change.kind, change.values);
      }
    }
  }

  get size(): number {
    return this.customers.size;
  }

  async write(tx: Pick<ClientBase, 'query'>, hasher: ContactHasher, table = CONTACT_INDEX_TABLE): Promise<void> {
    if (this.customers.size === 0) return;
    const removeAll: string[] = [];
    const replaced: { ids: string[]; kinds: string[] } = { ids: [], kinds: [] };
    const inserted: { ids: string[]; kinds: string[]; hmacs: Buffer[] } = { ids: [], kinds: [], hmacs: [] };
    for (const [customerId, pending] of this.customers) {
      if (pending.removeAll) removeAll.push(customerId);
      for (const [kind, values] of pending.lists) {
        replaced.ids.push(customerId);
        replaced.kinds.push(kind);
        for (const value of new Set(values)) {
          inserted.ids.push(customerId);
          inserted.kinds.push(kind);
          inserted.hmacs.push(hasher.hash(kind, value));
        }
      }
    }
    // One statement: the DELETE takes only rows the batch does not keep, so it never touches a row the INSERT
    // adds (the two parts see one snapshot); rows kept are left alone by ON CONFLICT DO NOTHING.
    await tx.query(
      `WITH gone AS (
         DELETE FROM ${table} i
          WHERE (i.customer_id = ANY($1::uuid[]) OR (i.customer_id, i.kind) IN (SELECT * FROM unnest($2::uuid[], $3::text[])))
            AND (i.customer_id, i.kind, i.value_hmac) NOT IN (SELECT * FROM unnest($4::uuid[], $5::text[], $6::bytea[])))
       INSERT INTO ${table} (customer_id, kind, value_hmac)
       SELECT * FROM unnest($4::uuid[], $5::text[], $6::bytea[]) ON CONFLICT DO NOTHING`,
      [removeAll, replaced.ids, replaced.kinds, inserted.ids, inserted.kinds, inserted.hmacs],
    );
  }
}
