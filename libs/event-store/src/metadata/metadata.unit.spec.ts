import { buildMetadata, causedBy, InvalidEventMetadataError, metadataProblems, parseMetadata, schemaVersionOf } from './metadata';
import { commandIdFor } from './uuid';

const command = { commandId: 'c-1', actor: 'user-42', time: '2025-01-02T03:04:05.678Z' };

describe('buildMetadata', () => {
  it('given a new command, when no correlation or causation is set, then both are the command id', () => {
    expect(buildMetadata(command, 2)).toEqual({
      correlationId: 'c-1',
      causationId: 'c-1',
      actor: 'user-42',
      time: '2025-01-02T03:04:05.678Z',
      schemaVersion: 2,
      commandId: 'c-1',
    });
  });

  it('keeps a correlation and causation given by the caller', () => {
    const m = buildMetadata({ ...command, correlationId: 'corr', causationId: 'cause' });
    expect([m.correlationId, m.causationId, m.schemaVersion]).toEqual(['corr', 'cause', 1]);
  });

  it.each([
    [{ ...command, actor: '' }, 'actor must be a non-empty string'],
    [{ ...command, time: '2025-01-02' }, 'time must be an ISO-8601 date-time with a zone'],
    [{ ...command, time: '2025-13-45T00:00:00Z' }, 'time must be an ISO-8601 date-time with a zone'],
    [{ ...command, commandId: '' }, 'commandId must be a non-empty string'],
  ])('rejects a bad envelope %#', (bad, problem) => {
    expect(() => buildMetadata(bad)).toThrow(InvalidEventMetadataError);
    expect(() => buildMetadata(bad)).toThrow(problem);
  });

  it('rejects a schema version below 1', () => {
    expect(() => buildMetadata(command, 0)).toThrow('schemaVersion must be a positive integer');
  });
});

describe('parseMetadata', () => {
  it('accepts what buildMetadata writes', () => {
    const written = buildMetadata(command, 3);
    expect(parseMetadata(JSON.parse(JSON.stringify(written)))).toEqual(written);
  });

  it('lists every problem of what was read back', () => {
    expect(metadataProblems({ correlationId: 1, actor: 'a', time: 'yesterday', schemaVersion: 1.5 })).toEqual([
      'correlationId must be a non-empty string',
      'causationId must be a non-empty string',
      'time must be an ISO-8601 date-time with a zone',
      'schemaVersion must be a positive integer',
    ]);
    expect(metadataProblems(null)).toEqual(['metadata is not an object']);
    expect(() => parseMetadata([])).toThrow(InvalidEventMetadataError);
  });
});

describe('schemaVersionOf', () => {
  it('reads the version, and counts events written before versioning as version 1', () => {
    expect(schemaVersionOf({ schemaVersion: 4 })).toBe(4);
    expect(schemaVersionOf({})).toBe(1);
    expect(schemaVersionOf(undefined)).toBe(1);
    expect(() => schemaVersionOf({ schemaVersion: '2' })).toThrow(InvalidEventMetadataError);
  });
});

describe('causedBy', () => {
  const event = {
    id: 'e-1',
    metadata: { correlationId: 'corr-1', causationId: 'c-0', actor: 'user-42', time: '2025-01-02T03:04:05.678Z', schemaVersion: 1 },
    created: new Date('2025-01-02T03:04:06.000Z'),
  };

  it('carries the correlation, makes the event the cause, and derives the command id from the event id', () => {
    expect(causedBy(event, 'process:customer-merge')).toEqual({
      commandId: commandIdFor('e-1'),
      correlationId: 'corr-1',
      causationId: 'e-1',
      actor: 'process:customer-merge',
      time: '2025-01-02T03:04:05.678Z',
    });
  });

  it('gives one event several distinct commands by key, and takes an explicit time', () => {
    const a = causedBy(event, 'p', { key: 'notify' });
    const b = causedBy(event, 'p', { key: 'close', time: '2025-02-01T00:00:00Z' });
    expect(a.commandId).not.toBe(b.commandId);
    expect(b.time).toBe('2025-02-01T00:00:00Z');
  });

  it('falls back to the event id as correlation and its created time when the metadata lacks them', () => {
    const bare = causedBy({ id: 'e-2', metadata: {}, created: event.created }, 'p');
    expect([bare.correlationId, bare.time]).toEqual(['e-2', '2025-01-02T03:04:06.000Z']);
    expect(() => causedBy({ id: 'e-3', metadata: {} }, 'p')).toThrow(InvalidEventMetadataError);
  });
});
