// The last event a reader of $all may see now, shared by the store's live $all subscriptions: an idle subscription
// asks it instead of polling, so N idle subscriptions of one process cost one cheap query per interval, not N scans.
// A hint, never a source of events: positions that become visible are always above the previous visible head (their
// transactions were still running when it was read), so "head ≤ my cursor" means a poll would find nothing.
import type { Pool } from 'pg';
import { comparePositions, type Position } from '../types';

export class VisibleHead {
  private last: { at: number; head: Promise<Position | null> } | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly sql: string,
    /** A head read this recently (or being read) is reused. */
    private readonly freshnessMs: number,
  ) {}

  /** Whether an event after `cursor` is visible (as of a read at most `freshnessMs` old). */
  async hasEventsAfter(cursor: Position): Promise<boolean> {
    const head = await this.current();
    return head !== null && comparePositions(head, cursor) > 0;
  }

  private current(): Promise<Position | null> {
    const now = performance.now();
    if (this.last === undefined || now - this.last.at >= this.freshnessMs) {
      const head = this.read();
      this.last = { at: now, head };
      head.catch(() => {
        if (this.last?.head === head) this.last = undefined; // the next caller reads again
      });
    }
    return this.last.head;
  }

  private async read(): Promise<Position | null> {
    const { rows } = await this.pool.query<{ commit: string; prepare: string }>(this.sql);
    const row = rows[0];
    return row === undefined ? null : { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
  }
}
