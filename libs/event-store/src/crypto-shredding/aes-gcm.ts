// AES-256-GCM with a random 96-bit IV (from a pool of CSPRNG bytes), laid out as iv | tag | ciphertext: the format of wrapped data keys and of
// encrypted personal values. The associated data binds a ciphertext to its owner, so that it cannot be moved.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomFillSync } from 'node:crypto';

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A ciphertext that does not open with the key and associated data given: tampered, truncated or foreign. */
export class DecryptionFailedError extends Error {
  override readonly name = 'DecryptionFailedError';
  constructor(what: string) {
    super(`Could not decrypt ${what}: wrong key, wrong owner or tampered ciphertext`);
  }
}

/**
 * IVs come from a pool of CSPRNG bytes filled 512 IVs at a time: one getrandom call instead of one per value (a
 * registration seals a dozen). IVs are public; a refill allocates a new pool, so an IV handed out never changes.
 * Data keys do not come from it (no future key lingers in memory).
 */
const IV_POOL_SIZE = IV_BYTES * 512;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomFillSync(Buffer.allocUnsafeSlow(IV_POOL_SIZE));
    ivOffset = 0;
  }
  ivOffset += IV_BYTES;
  return ivPool.subarray(ivOffset - IV_BYTES, ivOffset);
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function seal(key: Buffer, plaintext: Buffer, associatedData: string): Buffer {
  assertKey(key);
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

export function open(key: Buffer, sealed: Buffer, associatedData: string, what = 'a value'): Buffer {
  assertKey(key);
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionFailedError(what);
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, 'utf8'));
  decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new DecryptionFailedError(what);
  }
}

/** A key for one purpose from the master key (HKDF-SHA256), so that no key serves two purposes. */
export function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  assertKey(masterKey);
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), Buffer.from(purpose, 'utf8'), KEY_BYTES));
}

function assertKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) throw new RangeError(`An AES-256 key has ${KEY_BYTES} bytes, not ${key.length}`);
}
