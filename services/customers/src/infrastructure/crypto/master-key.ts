// The customers' master key (CUSTOMERS_MASTER_KEY): @crm/event-store's MasterKey in the `crm/customers` namespace,
// plus the HMAC that keys the contact index. The namespace and purpose are fixed: stored keys and hashes use them.
import { decodeMasterKey, MasterKey as ServiceMasterKey, type MasterKeyOptions } from '@crm/event-store';

/** Fixed: every wrapped key, ciphertext and contact hash of the customers service is bound to it. */
export const CUSTOMERS_NAMESPACE = 'crm/customers';
const CONTACT_INDEX_HMAC = 'contact-index-hmac/v1';
const OPTIONS: MasterKeyOptions = { namespace: CUSTOMERS_NAMESPACE, name: 'CUSTOMERS_MASTER_KEY', hmacPurposes: [CONTACT_INDEX_HMAC] };

export class MasterKey extends ServiceMasterKey {
  /** `base64`: 32 random bytes, base64-encoded (validated by CustomersConfig). */
  static override fromBase64(base64: string): MasterKey {
    return new MasterKey(decodeMasterKey(base64, OPTIONS.name), OPTIONS);
  }

  /** HMAC-SHA256 of a normalised contact value: equal values match, the value itself is not stored. */
  contactHmac(kind: string, normalisedValue: string): Buffer {
    return this.hmac(CONTACT_INDEX_HMAC, `${kind}\u0000${normalisedValue}`);
  }
}
