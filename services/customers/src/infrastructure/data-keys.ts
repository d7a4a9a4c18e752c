// The customers' data keys: @crm/event-store's DataKeyring over `customers.data_keys`, one key per customer.
import { DataKeyring, type DataKeyTable } from '@crm/event-store';
import type { Pool } from 'pg';
import type { MasterKey } from './crypto/master-key';

/** The table of migration 1 (migrations.ts): its name and columns are fixed. */
export const CUSTOMER_DATA_KEYS: DataKeyTable = { table: 'customers.data_keys', subjectColumn: 'customer_id' };

export function customerDataKeyring(pool: Pool, masterKey: MasterKey, cache: { cacheSize?: number; cacheTtlMs?: number } = {}): DataKeyring {
  return new DataKeyring(pool, masterKey, { ...CUSTOMER_DATA_KEYS, ...cache });
}
