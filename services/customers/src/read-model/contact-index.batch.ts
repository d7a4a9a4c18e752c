// The contact index changes of a whole batch, compacted per customer and kind (the last list wins, an erasure
// removes everything before it), then written with one statement instead of two per change. Same rows as
// `applyContactIndexChanges` applied change by change.
import { runPlannedWrites, type PlannedWrite } from '@crm/projections';
import type { ClientBase } from 'pg';
import { CONTACT_INDEX_TABLE, type ContactHasher, type ContactIndexChange, type ContactKind } from '../infrastructure';

// The parameter's lists as rows: the (customer, kind) lists a batch replaces, and the rows it keeps or adds.
const REPLACED_ROWS = `SELECT r.customer_id, r.kind FROM jsonb_to_recordset($1::jsonb -> 'replaced') AS r(customer_id uuid, kind text)`;
const INSERTED_ROWS = `SELECT r.customer_id, r.kind, decode(r.value_hmac, 'hex') FROM jsonb_to_recordset($1::jsonb -> 'inserted') AS r(customer_id uuid, kind text, value_hmac text)`;

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

  /** Writes the changes in the caller's transaction (the statement of `plannedWrite`). */
  async write(tx: Pick<ClientBase, 'query'>, hasher: ContactHasher, table = CONTACT_INDEX_TABLE): Promise<void> {
    const write = this.plannedWrite(hasher, table);
    if (write) await runPlannedWrites(tx, [write]);
  }

  /**
   * The changes as one statement with one jsonb parameter (a projection's planned write), or null when there are
   * none. The DELETE takes only rows the batch does not keep, so it never touches a row the INSERT adds (the two
   * parts see one snapshot); rows kept are left alone by ON CONFLICT DO NOTHING.
   */
  plannedWrite(hasher: ContactHasher, table = CONTACT_INDEX_TABLE): PlannedWrite | null {
    if (this.customers.size === 0) return null;
    const removeAll: string[] = [];
    const replaced: Array<{ customer_id: string; kind: ContactKind }> = [];
    const inserted: Array<{ customer_id: string; kind: ContactKind; value_hmac: string }> = [];
    for (const [customerId, pending] of this.customers) {
      if (pending.removeAll) removeAll.push(customerId);
      for (const [kind, values] of pending.lists) {
        replaced.push({ customer_id: customerId, kind });
        for (const value of new Set(values)) inserted.push({ customer_id: customerId, kind, value_hmac: hasher.hash(kind, value).toString('hex') });
      }
    }
    return {
      sql: `WITH gone AS (
              DELETE FROM ${table} i
               WHERE (i.customer_id IN (SELECT jsonb_array_elements_text($1::jsonb -> 'removeAll')::uuid) OR (i.customer_id, i.kind) IN (${REPLACED_ROWS}))
                 AND (i.customer_id, i.kind, i.value_hmac) NOT IN (${INSERTED_ROWS}))
            INSERT INTO ${table} (customer_id, kind, value_hmac) ${INSERTED_ROWS} ON CONFLICT DO NOTHING`,
      param: { removeAll, replaced, inserted },
    };
  }
}
