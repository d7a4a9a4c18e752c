// Crypto-shredding of lead contact data: the sales master key (namespace `crm/sales`), one data key per lead in
// `sales.lead_data_keys`, and the codec driven by the domain's PERSONAL_FIELDS (the data subject is the lead).
import { DataKeyring, MasterKey, PersonalDataCodec, withoutPersonalValues, type CodableEvent, type DataKeySource, type DataKeyTable } from '@crm/event-store';
import type { Pool } from 'pg';
import { PERSONAL_FIELDS, SALES_STREAM_PREFIXES, type DataSubject, type LeadEventType } from '../domain';

/** Fixed: every wrapped key and ciphertext of the sales service is bound to it. */
export const SALES_NAMESPACE = 'crm/sales';

/** The table of migration 1 (migrations.ts): its name and columns are fixed. */
export const LEAD_DATA_KEYS: DataKeyTable = { table: 'sales.lead_data_keys', subjectColumn: 'lead_id' };

export function salesMasterKey(base64: string): MasterKey {
  return MasterKey.fromBase64(base64, { namespace: SALES_NAMESPACE, name: 'SALES_MASTER_KEY' });
}

export function leadDataKeyring(pool: Pool, masterKey: MasterKey, cache: { cacheSize?: number; cacheTtlMs?: number } = {}): DataKeyring {
  return new DataKeyring(pool, masterKey, { ...LEAD_DATA_KEYS, ...cache });
}

/** Only lead streams hold personal data; pipelines, opportunities and activities are stored as they are. */
export const isLeadStream = (streamName: string): boolean => streamName.startsWith(SALES_STREAM_PREFIXES.lead);

export const isLeadEventType = (type: string): type is LeadEventType => Object.hasOwn(PERSONAL_FIELDS, type);

export class LeadEventCodec extends PersonalDataCodec<DataSubject> {
  constructor(keys: DataKeySource) {
    super(keys, { fields: PERSONAL_FIELDS, namespace: SALES_NAMESPACE });
  }

  /** The event as it reads after the lead's erasure, without asking for keys. */
  static shredded<E extends CodableEvent>(event: E): E {
    return withoutPersonalValues(event, PERSONAL_FIELDS);
  }
}
