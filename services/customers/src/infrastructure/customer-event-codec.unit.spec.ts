// The event codec: every personal value encrypted for its data subject, decrypted back exactly, and left out
// once the subject's key is destroyed, so that the erased stream still folds.
import { DataKeyMissingError, fold, InMemoryDataKeys, isCiphertext, type JsonValue } from '@crm/event-store';
import { customerDecider, mapPersonalData, mergeSnapshotOf, type CustomerEvent, type MergedCustomer } from '../domain';
import { A, after, augustaProfile, B, eur, lifeOfAda, purchased, registered, t } from '../domain/__fixtures__/customer.fixtures';
import { MasterKey } from './crypto/master-key';
import { CustomerEventCodec } from './customer-event-codec';

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

let keys: InMemoryDataKeys;
let codec: CustomerEventCodec;
beforeEach(() => {
  keys = new InMemoryDataKeys();
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
    await expect(codec.encode(future)).rejects.toThrow(/Not an event type of crm\/customers/);
  });

  it('encrypts merged values with the merged customer key: erasing A shreds them in B stream, not B own', async () => {
    const absorbed = stored(bStream[1]!);
    const encoded = await codec.encode(absorbed);
    keys.destroy(A);
    const decoded = (await codec.decode(encoded)).data as { changes: Record<string, { previous?: unknown; value?: unknown }> };
    expect(decoded.changes['name']).toEqual({ previous: { given: 'Ada', family: 'Lovelace' } });
    expect(JSON.stringify(decoded)).not.toContain('Augusta');
  });

  it('after the key is destroyed, decodes without the personal values, and the stream folds to the erased state', async () => {
    const life = lifeOfAda();
    const encoded = await Promise.all(life.map((event) => codec.encode(stored(event))));
    keys.destroy(A);
    const decoded = await Promise.all(encoded.map((event) => codec.decode(event)));
    expect(decoded).toEqual(life.map((event) => CustomerEventCodec.shredded(stored(event))));
    for (const value of personalValues) expect(JSON.stringify(decoded)).not.toContain(value);
    const erasure: CustomerEvent = { type: 'CustomerErased', data: { customerId: A, reason: 'data_subject_request', linkedCustomerIds: [], erasedAt: t(40) } };
    expect(fold(customerDecider, [...(decoded as unknown as CustomerEvent[]), erasure])).toEqual(fold(customerDecider, [...life, erasure]));
  });

  // Written by the service before the codec moved to @crm/event-store: the namespace and derivations must not change.
  it('still reads the keys, ciphertexts and contact hashes stored by earlier versions', async () => {
    const id = '0b9f3c1e-8d2a-4f6b-9c3d-5e7f1a2b3c4d';
    const master = MasterKey.fromBase64(Buffer.alloc(32, 7).toString('base64'));
    const dataKey = master.unwrap(Buffer.from('hRjgncleQEuofprcmXlXeCEOHKgAkfdYGrhTCfB7ORA1f4ixr2FsTej3BHEyGZAUxgEsYOWju9YMS9Bx', 'base64'), id);
    expect(dataKey).toEqual(Buffer.alloc(32, 9));
    expect(master.contactHmac('email', 'ada@example.com').toString('hex')).toBe('89fb78e16e50157616cb2f8502d36872b0a8e62bf012d6182f3d59edfc709000');
    keys.keys.set(id, dataKey);
    const address = 'enc:v1:udXJIIk++urVKeOX/v1n7DCBGyYAev4lKuzlzloCrnXRKyktIZo/clxunJfcllmL0oIGEBSuFFK1yunP2NnQPGVJLTN3d3y1ah5IMXVanIqpRw==';
    const decoded = await codec.decode({ type: 'AddressChanged', data: { customerId: id, address, at: '2025-01-01T00:00:00Z' } });
    expect(decoded.data).toEqual({ customerId: id, address: { lines: ['1 Main St'], city: 'London', country: 'GB' }, at: '2025-01-01T00:00:00Z' });
    await expect(codec.decode(await new CustomerEventCodec(new InMemoryDataKeys()).encode(stored(registered(B))))).rejects.toThrow(DataKeyMissingError);
  });
});
