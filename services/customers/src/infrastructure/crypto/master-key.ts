// The master key from CUSTOMERS_MASTER_KEY and the keys derived from it: one wraps the customers' data keys,
// one keys the HMAC of the contact index. Version 1 of each; a rotation adds a version beside it.
import { createHmac } from 'node:crypto';
import { deriveKey, KEY_BYTES, open, seal } from './aes-gcm';

export const MASTER_KEY_VERSION = 1;

export class MasterKey {
  private readonly wrapping: Buffer;
  private readonly contactIndex: Buffer;

  /** `base64`: 32 random bytes, base64-encoded (validated by CustomersConfig). */
  static fromBase64(base64: string): MasterKey {
    const key = Buffer.from(base64, 'base64');
    if (key.length !== KEY_BYTES) throw new RangeError(`CUSTOMERS_MASTER_KEY must decode to ${KEY_BYTES} bytes`);
    return new MasterKey(key);
  }

  private constructor(key: Buffer) {
    this.wrapping = deriveKey(key, 'crm/customers/data-key-wrapping/v1');
    this.contactIndex = deriveKey(key, 'crm/customers/contact-index-hmac/v1');
    key.fill(0);
  }

  /** The data key sealed for storage, bound to its customer: a wrapped key copied to another row does not open. */
  wrap(dataKey: Buffer, customerId: string): Buffer {
    return seal(this.wrapping, dataKey, wrapContext(customerId));
  }

  unwrap(wrapped: Buffer, customerId: string): Buffer {
    return open(this.wrapping, wrapped, wrapContext(customerId), `the data key of customer ${customerId}`);
  }

  /** HMAC-SHA256 of a normalised contact value: equal values match, the value itself is not stored. */
  contactHmac(kind: string, normalisedValue: string): Buffer {
    return createHmac('sha256', this.contactIndex).update(`${kind}\u0000${normalisedValue}`, 'utf8').digest();
  }
}

const wrapContext = (customerId: string): string => `crm/customers/data-key/v1/${customerId}`;
