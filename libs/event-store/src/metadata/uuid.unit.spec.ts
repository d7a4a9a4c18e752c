import { commandIdFor, eventIdFor, isUuid, uuidv5, UUID_NAMESPACE } from './uuid';

describe('uuidv5', () => {
  it('matches the RFC 9562 vector (Appendix A.4: www.example.com in the DNS namespace)', () => {
    expect(uuidv5('www.example.com', UUID_NAMESPACE.dns)).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });

  it("matches Python's documented uuid5(NAMESPACE_DNS, 'python.org')", () => {
    expect(uuidv5('python.org', UUID_NAMESPACE.dns)).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('sets version 5 and the RFC variant', () => {
    const id = uuidv5('anything', UUID_NAMESPACE.url);
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('5');
    expect('89ab').toContain(id[19]);
  });

  it('rejects a namespace that is not a uuid', () => {
    expect(() => uuidv5('x', 'not-a-uuid')).toThrow(TypeError);
  });
});

describe('derived ids', () => {
  const commandId = '7f1d3c1e-4b8a-4d6e-9c2f-1a2b3c4d5e6f';

  it('gives the same event ids for the same command and index, different ones otherwise', () => {
    expect(eventIdFor(commandId, 0)).toBe(eventIdFor(commandId, 0));
    expect(eventIdFor(commandId, 0)).not.toBe(eventIdFor(commandId, 1));
    expect(eventIdFor(commandId, 0)).not.toBe(eventIdFor('another-command', 0));
  });

  it('keeps command ids derived from events apart from event ids', () => {
    expect(commandIdFor(commandId)).not.toBe(eventIdFor(commandId, 0));
    expect(commandIdFor(commandId, 'a')).not.toBe(commandIdFor(commandId, 'b'));
  });
});
