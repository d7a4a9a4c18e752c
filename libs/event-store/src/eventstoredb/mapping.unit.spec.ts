// The mapping between @eventstore/db-client and the port, checked without a server.
import { WrongExpectedVersionError as EsdbWrongExpectedVersionError, StreamNotFoundError as EsdbStreamNotFoundError } from '@eventstore/db-client';
import { StreamNotFoundError, WrongExpectedVersionError } from '../errors';
import { DELETED_STREAM } from '../stream-metadata';
import { fromEsdbMetadata, mapError, planFilter, toEsdbMetadata } from './mapping';

describe('EventStoreDB mapping', () => {
  test('metadata goes out in the client shape and comes back unchanged', () => {
    const metadata = { maxAge: 60, maxCount: 10, truncateBefore: 3n, custom: { owner: 'customers' } };
    const esdb = toEsdbMetadata(metadata);
    expect(esdb).toEqual({ maxAge: 60, maxCount: 10, truncateBefore: 3, owner: 'customers' });
    expect(fromEsdbMetadata(esdb)).toEqual(metadata);
  });

  test("a soft delete's $tb (long.MaxValue, rounded by JSON) reads as DELETED_STREAM", () => {
    expect(fromEsdbMetadata({ truncateBefore: Number(DELETED_STREAM) })).toEqual({ truncateBefore: DELETED_STREAM });
    expect(fromEsdbMetadata(undefined)).toEqual({});
  });

  test("the client's errors become the port's", () => {
    const wrong = mapError(new EsdbWrongExpectedVersionError(undefined, { streamName: 'customer-1', expected: 'no_stream', current: 3n }));
    expect(wrong).toBeInstanceOf(WrongExpectedVersionError);
    expect(wrong).toMatchObject({ streamName: 'customer-1', expectedVersion: 'no_stream' });
    expect((wrong as WrongExpectedVersionError).actualVersion).toBe(3n);
    expect(mapError(new EsdbStreamNotFoundError(undefined, 'customer-1'), 'customer-1')).toBeInstanceOf(StreamNotFoundError);
    const other = new Error('other');
    expect(mapError(other)).toBe(other);
  });

  test('filters: names to the server, types too when alone, both split between server and client', () => {
    const names = planFilter({ streamNamePrefixes: ['customer-'] }, 1000, undefined);
    expect(names.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['customer-'], checkpointInterval: 32 });

    const types = planFilter({ eventTypes: ['CustomerRegistered', 'Customer.Renamed'] }, 32, undefined);
    expect(types.filter).toMatchObject({ filterOn: 'eventType', regex: '^(?:CustomerRegistered|Customer\\.Renamed)$', checkpointInterval: 1 });

    const both = planFilter({ streamNamePrefixes: ['customer-'], eventTypes: ['CustomerRegistered'] }, 1000, undefined);
    expect(both.filter).toMatchObject({ filterOn: 'streamName' });
    const event = { type: 'CustomerRenamed' } as Parameters<typeof both.accept>[0];
    expect(both.accept(event)).toBe(false);

    expect(planFilter(undefined, 1000, undefined).filter).toBeUndefined();
    expect(planFilter(undefined, 1000, async () => undefined).filter).toMatchObject({ filterOn: 'streamName', regex: '^' });
  });
});
