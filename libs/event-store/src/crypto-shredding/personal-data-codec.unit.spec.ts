// The generic codec: exactly the declared personal values encrypted for their subject, decrypted back, left out
// once the subject's key is destroyed; subjects named by a data property or by a function.
import { randomUUID } from 'node:crypto';
import { DataKeyDestroyedError, DataKeyMissingError } from './data-keyring';
import { InMemoryDataKeys } from './in-memory-data-keys';
import { mapPersonalValues, type PersonalFieldMap } from './personal-data';
import { CorruptPersonalDataError, isCiphertext, PersonalDataCodec } from './personal-data-codec';

const fields: PersonalFieldMap<'leadId' | 'referrerId'> = {
  LeadCaptured: [
    { path: 'contact', subject: 'leadId' },
    { path: 'notes.*.text', subject: 'leadId' },
    { path: 'referrer.name', subject: 'referrerId' },
  ],
  LeadQualified: [],
};
const [lead, referrer] = [randomUUID(), randomUUID()];
const captured = {
  type: 'LeadCaptured',
  data: {
    leadId: lead,
    referrerId: referrer,
    source: 'trade-fair',
    contact: { name: 'Grace Hopper', email: 'grace@example.com' },
    notes: [{ text: 'Call after 5', at: '2025-01-01T00:00:00Z' }, { text: 'Prefers email' }],
    referrer: { name: 'Ada Lovelace', since: 2020 },
  },
};
const personal = ['Grace Hopper', 'grace@example.com', 'Call after 5', 'Prefers email', 'Ada Lovelace'];

let keys: InMemoryDataKeys;
let codec: PersonalDataCodec<'leadId' | 'referrerId'>;
beforeEach(() => {
  keys = new InMemoryDataKeys();
  codec = new PersonalDataCodec(keys, { fields, namespace: 'crm/test' });
});

describe('PersonalDataCodec', () => {
  it('encrypts exactly the personal values as enc:v1 strings, keyed per subject, and decrypts them back', async () => {
    const encoded = await codec.encode(captured);
    const values: unknown[] = [];
    mapPersonalValues(encoded, fields['LeadCaptured']!, (value) => (values.push(value), value));
    expect(values).toHaveLength(4);
    expect(values.every(isCiphertext)).toBe(true);
    for (const value of personal) expect(JSON.stringify(encoded)).not.toContain(value);
    expect(encoded.data).toMatchObject({ source: 'trade-fair', notes: [{ at: '2025-01-01T00:00:00Z' }, {}], referrer: { since: 2020 } });
    expect([...keys.keys.keys()].sort()).toEqual([lead, referrer].sort());
    expect(await codec.decode(encoded)).toEqual(captured);
    expect(captured.data.contact.name).toBe('Grace Hopper'); // the input is not changed
  });

  it('after a subject is erased, leaves out only that subject’s values, as shredded does for all', async () => {
    const encoded = await codec.encode(captured);
    keys.destroy(referrer);
    const decoded = (await codec.decode(encoded)).data;
    expect(decoded).toEqual({ ...captured.data, referrer: { since: 2020 } });
    keys.destroy(lead);
    expect(await codec.decode(encoded)).toEqual(codec.shredded(captured));
    for (const value of personal) expect(JSON.stringify(codec.shredded(captured))).not.toContain(value);
  });

  it('takes the subject from a function when it is not a property', async () => {
    const byFunction = new PersonalDataCodec(keys, { fields, namespace: 'crm/test', subjectOf: (data) => data['leadId'] });
    const encoded = await byFunction.encode(captured);
    expect(byFunction.subjectsOf(captured)).toEqual([lead]);
    expect(await byFunction.decode(encoded)).toEqual(captured);
  });

  it('passes events without personal data and unknown types through on read; refuses unknown types on write', async () => {
    const qualified = { type: 'LeadQualified', data: { leadId: lead } };
    expect(await codec.encode(qualified)).toBe(qualified);
    const future = { type: 'LeadTeleported', data: { leadId: lead, contact: 'x' } };
    expect(await codec.decode(future)).toBe(future);
    await expect(codec.encode(future)).rejects.toThrow(/Not an event type of crm\/test/);
    await expect(codec.encode({ type: 'LeadCaptured', data: { contact: 'x' } })).rejects.toThrow(/no leadId/);
  });

  it('refuses to read a tampered, clear or foreign value, and to write for an erased subject', async () => {
    const encoded = await codec.encode(captured);
    const contact = String(encoded.data.contact);
    await expect(codec.decode({ ...encoded, data: { ...encoded.data, contact: `${contact.slice(0, -4)}AAAA` } })).rejects.toThrow(CorruptPersonalDataError);
    await expect(codec.decode({ ...encoded, data: { ...encoded.data, contact: 'in clear' } })).rejects.toThrow(CorruptPersonalDataError);
    const otherNamespace = new PersonalDataCodec(keys, { fields, namespace: 'crm/other' });
    await expect(otherNamespace.decode(encoded)).rejects.toThrow(CorruptPersonalDataError);
    await expect(new PersonalDataCodec(new InMemoryDataKeys(), { fields, namespace: 'crm/test' }).decode(encoded)).rejects.toThrow(DataKeyMissingError);
    keys.destroy(lead);
    await expect(codec.encode(captured)).rejects.toThrow(DataKeyDestroyedError);
  });
});
