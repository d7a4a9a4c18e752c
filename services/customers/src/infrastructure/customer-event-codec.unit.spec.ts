// The event codec: every personal value encrypted for its data subject, decrypted back exactly, and left out
// once the subject's key is destroyed, so that the erased stream still folds.
import { fold, type JsonValue } from '@crm/event-store';
import { customerDecider, mapPersonalData, mergeSnapshotOf, type CustomerEvent, type MergedCustomer } from '../domain';
import { A, after, augustaProfile, B, eur, lifeOfAda, purchased, registered, t } from '../domain/__fixtures__/customer.fixtures';
import { newDataKey } from './crypto/aes-gcm';
import { CorruptPersonalDataError, CustomerEventCodec, isCiphertext } from './customer-event-codec';
import { DataKeyDestroyedError, DataKeyMissingError, type DataKeySource } from './data-keys';

/** Keys in memory: created on write, destroyed on demand. */
class InMemoryKeys implements DataKeySource {
  readonly keys = new Map<string, Buffer | null>();
  async keysForWriting(ids: readonly string[]) {
    const found = new Map<string, Buffer>();
    for (const id of ids) {
      if (this.keys.get(id) === null) throw new DataKeyDestroyedError(id);
      if (!this.keys.has(id)) this.keys.set(id, newDataKey());
      found.set(id, this.keys.get(id)!);
    }
    return found;
  }
  async keysForReading(ids: readonly string[]) {
    const found = new Map<string, Buffer | null>();
    for (const id of ids) {
      if (!this.keys.has(id)) throw new DataKeyMissingError(id);
      found.set(id, this.keys.get(id)!);
    }
    return found;
  }
}

// Ada's life, and B absorbing a merged A: both people's data in B's stream.
const aMerged = after([registered(A, augustaProfile, t(1)), purchased(A, 'order-a1', eur('500'), 5)], {
  type: 'MarkMergedInto',
  data: { customerId: A, survivorId: B, at: t(20) },
});
const bStream = after([registered(B)], {
  type: 'AbsorbMerge',
  data: { customerId: B, merged: mergeSnapshotOf(fold(customerDecider, aMerged) as MergedCustomer), fieldChoices: { name: 'merged' }, at: t(21) },
});
const personalValues = ['Ada', 'Lovelace', 'Augusta', 'ada@example.com', '+441632960001', 'St James', '1815-12-10', 'Analytical Engines', 'Ockham', 'gold'];
const stored = (event: CustomerEvent): { type: string; data: JsonValue } => ({ type: event.type, data: JSON.parse(JSON.stringify(event.data)) as JsonValue });

let keys: InMemoryKeys;
let codec: CustomerEventCodec;
beforeEach(() => {
  keys = new InMemoryKeys();
  codec = new CustomerEventCodec(keys);
});

describe('CustomerEventCodec', () => {
  it('encrypts exactly the personal values, as enc:v1 strings, and decrypts them back to the same event', async () => {
    for (const event of [...lifeOfAda(), ...bStream]) {
      const encoded = await codec.encode(stored(event));
      const ciphertexts: unknown[] = [];
      mapPersonalData(encoded as unknown as CustomerEvent, (value) => (ciphertexts.push(value), value));
      expect(ciphertexts.every(isCiphertext)).toBe(true);
      for (const value of personalValues) expect(JSON.stringify(encoded.data)).not.toContain(value);
      expect(await codec.decode(encoded)).toEqual(stored(event));
    }
  });

  it('leaves events without personal data as they are, and passes unknown event types through on read', async () => {
    const tagged = stored({ type: 'CustomerTagged', data: { customerId: A, tag: 'vip', at: t(1) } });
    expect(await codec.encode(tagged)).toEqual(tagged);
    const future = { type: 'CustomerTeleported', data: { customerId: A } };
    expect(await codec.decode(future)).toEqual(future);
    await expect(codec.encode(future)).rejects.toThrow(/Not a customer event type/);
  });

  it('encrypts merged values with the merged customer key: erasing A shreds them in B stream, not B own', async () => {
    const absorbed = stored(bStream[1]!);
    const encoded = await codec.encode(absorbed);
    keys.keys.set(A, null);
    const decoded = (await codec.decode(encoded)).data as { changes: Record<string, { previous?: unknown; value?: unknown }> };
    expect(decoded.changes['name']).toEqual({ previous: { given: 'Ada', family: 'Lovelace' } });
    expect(JSON.stringify(decoded)).not.toContain('Augusta');
  });

  it('after the key is destroyed, decodes without the personal values, and the stream folds to the erased state', async () => {
    const life = lifeOfAda();
    const encoded = await Promise.all(life.map((event) => codec.encode(stored(event))));
    keys.keys.set(A, null);
    const decoded = await Promise.all(encoded.map((event) => codec.decode(event)));
    expect(decoded).toEqual(life.map((event) => CustomerEventCodec.shredded(stored(event))));
    for (const value of personalValues) expect(JSON.stringify(decoded)).not.toContain(value);
    const erasure: CustomerEvent = { type: 'CustomerErased', data: { customerId: A, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: t(40) } };
    expect(fold(customerDecider, [...(decoded as unknown as CustomerEvent[]), erasure])).toEqual(fold(customerDecider, [...life, erasure]));
  });

  it('refuses to write for an erased customer, and to read a tampered or clear value', async () => {
    const encoded = await codec.encode(stored(registered(A)));
    const data = encoded.data as Record<string, unknown>;
    const tampered = { ...encoded, data: { ...data, company: `${String(data['company']).slice(0, -4)}AAAA` } };
    await expect(codec.decode(tampered)).rejects.toThrow(CorruptPersonalDataError);
    await expect(codec.decode({ ...encoded, data: { ...data, company: 'in clear' } })).rejects.toThrow(CorruptPersonalDataError);
    const foreign = await new CustomerEventCodec(new InMemoryKeys()).encode(stored(registered(A)));
    await expect(codec.decode(foreign)).rejects.toThrow(CorruptPersonalDataError);
    keys.keys.set(A, null);
    await expect(codec.encode(stored(registered(A)))).rejects.toThrow(DataKeyDestroyedError);
    await expect(codec.decode(await new CustomerEventCodec(new InMemoryKeys()).encode(stored(registered(B))))).rejects.toThrow(DataKeyMissingError);
  });
});
