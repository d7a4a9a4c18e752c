// Reading customer_profiles through its stable view: one customer, and one customer with merges followed.
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { CUSTOMERS_POOL } from '../infrastructure';
import { PROFILE_SELECT, PROFILE_VIEW, type SelectedRow } from './customer-profile.view';

/** How many merges a read follows (a survivor merged on again, …): more would be a cycle or a data error. */
const MAX_MERGE_HOPS = 5;

export interface ResolvedProfile {
  row: SelectedRow;
  /** The merged ids followed to reach `row`, in order; empty when the id was not merged. */
  mergedFrom: string[];
}

@Injectable()
export class CustomerProfilesReader {
  constructor(@Inject(CUSTOMERS_POOL) readonly pool: Pool) {}

  async find(customerId: string): Promise<SelectedRow | null> {
    const { rows } = await this.pool.query<SelectedRow>(`SELECT ${PROFILE_SELECT} FROM ${PROFILE_VIEW} WHERE customer_id = $1`, [customerId]);
    return rows[0] ?? null;
  }

  /**
   * The customer, or the survivor it lives on as when it was merged. A survivor not projected yet leaves the
   * merged row itself (status merged, mergedInto set) as the answer.
   */
  async resolve(customerId: string): Promise<ResolvedProfile | null> {
    let row = await this.find(customerId);
    if (row === null) return null;
    const mergedFrom: string[] = [];
    while (row.status === 'merged' && row.merged_into !== null && mergedFrom.length < MAX_MERGE_HOPS) {
      const survivor = await this.find(row.merged_into);
      if (survivor === null) break;
      mergedFrom.push(row.customer_id);
      row = survivor;
    }
    return { row, mergedFrom };
  }
}
