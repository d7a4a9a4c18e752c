// The HTTP command envelope from headers, If-Match to a revision, and the answer with its ETag.
import { randomUUID } from 'node:crypto';
import { BadInputError } from '../errors/domain-error';
import { runWithCorrelationId } from '../logging/correlation';
import { answerCommand, etagOf, revisionNumber } from './command-answer';
import { ANONYMOUS_ACTOR, commandFromHeaders, parseIfMatch } from './command-envelope';

const now = new Date('2025-01-31T09:30:00.000Z');

describe('commandFromHeaders', () => {
  it('takes the command id from Idempotency-Key (lower case), the actor, the request correlation id and If-Match', () => {
    const key = randomUUID().toUpperCase();
    const command = runWithCorrelationId('corr-7', () =>
      commandFromHeaders({ 'idempotency-key': key, 'x-actor-id': 'op:42', 'if-match': '"3"' }, now),
    );
    expect(command).toEqual({
      metadata: { commandId: key.toLowerCase(), correlationId: 'corr-7', actor: 'op:42', time: now.toISOString() },
      expectedRevision: 3n,
      at: now.toISOString(),
    });
  });

  it('without headers: a new command id that is its own correlation id, an anonymous actor, no expected revision', () => {
    const command = commandFromHeaders({}, now);
    expect(command.metadata.actor).toBe(ANONYMOUS_ACTOR);
    expect(command.metadata.correlationId).toBe(command.metadata.commandId);
    expect(command).not.toHaveProperty('expectedRevision');
    expect(commandFromHeaders({}, now).metadata.commandId).not.toBe(command.metadata.commandId);
  });

  it('answers 400 for a key that is no uuid or an actor that could smuggle text into logs', () => {
    expect(() => commandFromHeaders({ 'idempotency-key': 'retry-1' })).toThrow(BadInputError);
    expect(() => commandFromHeaders({ 'x-actor-id': 'ada@example.com' })).toThrow(/X-Actor-Id/);
    expect(() => commandFromHeaders({ 'x-actor-id': 'a'.repeat(129) })).toThrow(BadInputError);
  });
});

describe('parseIfMatch', () => {
  it('reads one strong ETag or *, and refuses weak, lists and garbage', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch(' "0" ')).toBe(0n);
    expect(parseIfMatch('*')).toBe('stream_exists');
    for (const bad of ['W/"3"', '"3", "4"', '3', '"-1"', '""']) expect(() => parseIfMatch(bad)).toThrow(BadInputError);
  });
});

describe('answerCommand', () => {
  it('answers the ids with the revision, and sets it as ETag; no stream is -1', () => {
    const headers: Record<string, string> = {};
    const response = { setHeader: (name: string, value: string) => (headers[name] = value) };
    expect(answerCommand(response, { leadId: 'l-1' }, { nextExpectedRevision: 4n })).toEqual({ leadId: 'l-1', revision: 4 });
    expect(headers).toEqual({ ETag: '"4"' });
    expect([revisionNumber('no_stream'), etagOf('no_stream')]).toEqual([-1, '"-1"']);
  });
});
