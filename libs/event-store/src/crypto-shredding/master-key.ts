// A service's master key and the keys derived from it (HKDF, one per purpose): one wraps the data subjects' data
// keys, others key HMACs (e.g. a contact index). Every derivation and binding starts with the service's namespace,
// so the same master key in two services never opens one's data with the other's keys. Version 1 of each
// derivation; a rotation adds a version beside it.
import { createHmac } from 'node:crypto';
import { deriveKey, KEY_BYTES, open, seal } from './aes-gcm';

export const MASTER_KEY_VERSION = 1;

export interface MasterKeyOptions {
  /** Prefix of every derived key and binding, e.g. `crm/customers`. Never change it: stored keys depend on it. */
  namespace: string;
  /** What the key is called in errors, e.g. the variable `CUSTOMERS_MASTER_KEY`. */
  name?: string;
  /** The HMAC purposes the service uses, e.g. `contact-index-hmac/v1`: derived at once, so the master key is wiped. */
  hmacPurposes?: readonly string[];
}

/** 32 random bytes from their base64 text; a key of another length is refused, naming the key. */
export function decodeMasterKey(base64: string, name = 'the master key'): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== KEY_BYTES) throw new RangeError(`${name} must decode to ${KEY_BYTES} bytes`);
  return key;
}

export class MasterKey {
  private readonly wrapping: Buffer;
  private readonly hmacKeys = new Map<string, Buffer>();
  private readonly namespace: string;

  static fromBase64(base64: string, options: MasterKeyOptions): MasterKey {
    return new MasterKey(decodeMasterKey(base64, options.name), options);
  }

  /** Takes the key's bytes and wipes them once the derived keys are made. */
  protected constructor(key: Buffer, options: MasterKeyOptions) {
    this.namespace = options.namespace;
    this.wrapping = deriveKey(key, `${this.namespace}/data-key-wrapping/v1`);
    for (const purpose of options.hmacPurposes ?? []) this.hmacKeys.set(purpose, deriveKey(key, `${this.namespace}/${purpose}`));
    key.fill(0);
  }

  /** The data key sealed for storage, bound to its subject: a wrapped key copied to another row does not open. */
  wrap(dataKey: Buffer, subjectId: string): Buffer {
    return seal(this.wrapping, dataKey, this.wrapContext(subjectId));
  }

  unwrap(wrapped: Buffer, subjectId: string): Buffer {
    return open(this.wrapping, wrapped, this.wrapContext(subjectId), `the data key of ${subjectId}`);
  }

  /** HMAC-SHA256 under the key of a declared purpose: equal messages match, the message itself need not be stored. */
  hmac(purpose: string, message: string): Buffer {
    const key = this.hmacKeys.get(purpose);
    if (key === undefined) throw new Error(`HMAC purpose ${purpose} was not declared in MasterKeyOptions.hmacPurposes`);
    return createHmac('sha256', key).update(message, 'utf8').digest();
  }

  private wrapContext(subjectId: string): string {
    return `${this.namespace}/data-key/v1/${subjectId}`;
  }
}
