import { currentSchemaVersion, defineUpcasters, upcast, UpcastingError } from './upcasters';

// CustomerRegistered: v1 { name }, v2 { firstName, lastName }, v3 adds { segment }.
type V1 = { name: string };
type V2 = { firstName: string; lastName: string };
type V3 = V2 & { segment: string };

const upcasters = defineUpcasters({
  CustomerRegistered: [
    {
      fromVersion: 1,
      upcast: (data: V1): V2 => {
        const [firstName = '', ...rest] = data.name.split(' ');
        return { firstName, lastName: rest.join(' ') };
      },
    },
    { fromVersion: 2, upcast: (data: V2): V3 => ({ ...data, segment: 'unknown' }) },
  ],
});

describe('upcasters', () => {
  it('given a v1 event, when read, then every step applies in order up to the current version', () => {
    expect(upcast(upcasters, { type: 'CustomerRegistered', data: { name: 'Ada King Lovelace' }, metadata: { schemaVersion: 1 } })).toEqual({
      data: { firstName: 'Ada', lastName: 'King Lovelace', segment: 'unknown' },
      schemaVersion: 3,
    });
  });

  it('starts from the stored version', () => {
    const v2: V2 = { firstName: 'Ada', lastName: 'Lovelace' };
    expect(upcast(upcasters, { type: 'CustomerRegistered', data: v2, metadata: { schemaVersion: 2 } }).data).toEqual({ ...v2, segment: 'unknown' });
  });

  it('treats an event without a schema version as version 1', () => {
    expect(upcast(upcasters, { type: 'CustomerRegistered', data: { name: 'Ada' } }).data).toEqual({ firstName: 'Ada', lastName: '', segment: 'unknown' });
  });

  it('leaves current events and types without upcasters alone', () => {
    const v3: V3 = { firstName: 'A', lastName: 'B', segment: 'smb' };
    expect(upcast(upcasters, { type: 'CustomerRegistered', data: v3, metadata: { schemaVersion: 3 } }).data).toBe(v3);
    expect(upcast(upcasters, { type: 'CustomerRenamed', data: { x: 1 }, metadata: {} })).toEqual({ data: { x: 1 }, schemaVersion: 1 });
    expect(upcast(undefined, { type: 'constructor', data: 1 })).toEqual({ data: 1, schemaVersion: 1 });
  });

  it('refuses an event written by newer code', () => {
    expect(() => upcast(upcasters, { type: 'CustomerRegistered', data: {}, metadata: { schemaVersion: 4 } })).toThrow(UpcastingError);
  });

  it('knows the version new events are written with', () => {
    expect(currentSchemaVersion(upcasters, 'CustomerRegistered')).toBe(3);
    expect(currentSchemaVersion(upcasters, 'CustomerRenamed')).toBe(1);
    expect(currentSchemaVersion(undefined, 'CustomerRegistered')).toBe(1);
  });

  it('rejects a registry with a gap or out of order at definition', () => {
    expect(() => defineUpcasters({ A: [{ fromVersion: 2, upcast: (d: V1) => d }] })).toThrow('step 0 must have fromVersion 1, has 2');
    const step = (fromVersion: number) => ({ fromVersion, upcast: (d: V1) => d });
    expect(() => defineUpcasters({ A: [step(1), step(3)] })).toThrow(UpcastingError);
  });

  it('fails clearly on a gap in an unchecked registry', () => {
    const unchecked = { A: [{ fromVersion: 2, upcast: (d: V1) => d }, { fromVersion: 3, upcast: (d: V1) => d }] };
    expect(() => upcast(unchecked, { type: 'A', data: {}, metadata: { schemaVersion: 1 } })).toThrow('A: no upcaster from version 1');
  });
});
