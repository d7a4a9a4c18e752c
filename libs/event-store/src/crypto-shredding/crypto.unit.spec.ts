// AES-256-GCM sealing, key wrapping by the master key, and the key cache.
import { randomBytes } from 'node:crypto';
import { DecryptionFailedError, deriveKey, newDataKey, open, seal } from './aes-gcm';
import { LruCache } from './lru-cache';
import { decodeMasterKey, MasterKey } from './master-key';

const flip = (buffer: Buffer, index: number): Buffer => {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
};

describe('seal and open (AES-256-GCM, iv | tag | ciphertext)', () => {
  const key = newDataKey();
  const plaintext = Buffer.from('{"given":"Ada"}');

  it('round-trips, with a fresh IV every time', () => {
    const [one, two] = [seal(key, plaintext, 'customer-1'), seal(key, plaintext, 'customer-1')];
    expect(open(key, one, 'customer-1')).toEqual(plaintext);
    expect(one.subarray(0, 12)).not.toEqual(two.subarray(0, 12));
    expect(one.length).toBe(12 + 16 + plaintext.length);
  });

  it('never repeats an IV across refills of the IV pool, and earlier ciphertexts still open', () => {
    const sealed = Array.from({ length: 1500 }, (_, i) => seal(key, Buffer.from(String(i)), 'customer-1')); // ~3 pools
    const ivs = new Set(sealed.map((s) => s.subarray(0, 12).toString('hex')));
    expect(ivs.size).toBe(sealed.length);
    expect(sealed.map((s) => open(key, s, 'customer-1').toString())).toEqual(sealed.map((_, i) => String(i)));
  });

  it('detects tampering with the IV, the tag or the ciphertext, and truncation', () => {
    const sealed = seal(key, plaintext, 'customer-1');
    for (const index of [0, 12, 28, sealed.length - 1]) expect(() => open(key, flip(sealed, index), 'customer-1')).toThrow(DecryptionFailedError);
    expect(() => open(key, sealed.subarray(0, 20), 'customer-1')).toThrow(DecryptionFailedError);
  });

  it('opens only with the same key and associated data', () => {
    const sealed = seal(key, plaintext, 'customer-1');
    expect(() => open(newDataKey(), sealed, 'customer-1')).toThrow(DecryptionFailedError);
    expect(() => open(key, sealed, 'customer-2')).toThrow(DecryptionFailedError);
  });

  it('takes 32-byte keys only, and derives distinct keys per purpose', () => {
    expect(() => seal(randomBytes(16), plaintext, 'x')).toThrow(RangeError);
    const master = randomBytes(32);
    expect(deriveKey(master, 'a')).toHaveLength(32);
    expect(deriveKey(master, 'a')).toEqual(deriveKey(master, 'a'));
    expect(deriveKey(master, 'a')).not.toEqual(deriveKey(master, 'b'));
  });
});

describe('MasterKey', () => {
  const base64 = randomBytes(32).toString('base64');
  const options = { namespace: 'crm/test', hmacPurposes: ['index/v1', 'other/v1'] };
  const master = MasterKey.fromBase64(base64, options);

  it('wraps a data key for its subject only, under its own namespace', () => {
    const dataKey = newDataKey();
    const wrapped = master.wrap(dataKey, 'c-1');
    expect(wrapped.includes(dataKey)).toBe(false);
    expect(master.unwrap(wrapped, 'c-1')).toEqual(dataKey);
    expect(() => master.unwrap(wrapped, 'c-2')).toThrow(DecryptionFailedError);
    expect(() => master.unwrap(flip(wrapped, 30), 'c-1')).toThrow(DecryptionFailedError);
    expect(() => MasterKey.fromBase64(randomBytes(32).toString('base64'), options).unwrap(wrapped, 'c-1')).toThrow(DecryptionFailedError);
    expect(() => MasterKey.fromBase64(base64, { ...options, namespace: 'crm/other' }).unwrap(wrapped, 'c-1')).toThrow(DecryptionFailedError);
  });

  it('hashes deterministically under its own key, per purpose, and only for declared purposes', () => {
    const same = MasterKey.fromBase64(base64, options);
    expect(master.hmac('index/v1', 'ada@example.com')).toEqual(same.hmac('index/v1', 'ada@example.com'));
    expect(master.hmac('index/v1', 'ada@example.com')).not.toEqual(master.hmac('other/v1', 'ada@example.com'));
    expect(MasterKey.fromBase64(randomBytes(32).toString('base64'), options).hmac('index/v1', 'ada@example.com')).not.toEqual(
      master.hmac('index/v1', 'ada@example.com'),
    );
    expect(() => master.hmac('undeclared/v1', 'x')).toThrow(/not declared/);
  });

  it('refuses a key that is not 32 bytes, naming it', () => {
    expect(() => MasterKey.fromBase64(randomBytes(16).toString('base64'), { ...options, name: 'TEST_MASTER_KEY' })).toThrow(/TEST_MASTER_KEY/);
    expect(() => decodeMasterKey(randomBytes(31).toString('base64'))).toThrow(RangeError);
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entry beyond its capacity', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([1, undefined, 3]);
  });

  it('expires entries after their time to live, and forgets deleted ones', () => {
    let now = 0;
    const cache = new LruCache<string, number>(10, () => now);
    cache.set('short', 1, 100);
    cache.set('forever', 2);
    now = 100;
    expect([cache.get('short'), cache.get('forever')]).toEqual([undefined, 2]);
    cache.delete('forever');
    expect(cache.get('forever')).toBeUndefined();
  });

  it('keeps nothing with capacity 0', () => {
    const cache = new LruCache<string, number>(0);
    cache.set('a', 1);
    expect(cache.size).toBe(0);
  });
});
