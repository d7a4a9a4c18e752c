import {
  BadInputError,
  ConcurrencyConflictError,
  ConflictError,
  DomainRejectionError,
  ErrorMappings,
  ForbiddenError,
  mapError,
  NotFoundError,
  RequestBodyError,
  toJsonSafe,
  UnauthenticatedError,
} from '../index';

const mappings = new ErrorMappings();

describe('mapError', () => {
  it.each([
    [new BadInputError('customer.email_invalid', 'bad'), 400],
    [new UnauthenticatedError('auth.missing', 'who?'), 401],
    [new ForbiddenError('auth.scope', 'no'), 403],
    [new NotFoundError('customer.not_found', 'gone'), 404],
    [new ConflictError('customer.duplicate', 'twice'), 409],
    [new ConcurrencyConflictError('customer.stale', 'stale'), 409],
    [new DomainRejectionError('consent.withdrawn', 'no'), 422],
  ])('given %p, then answers %i with its code and message', (error, status) => {
    const mapped = mapError(error, mappings, 'c-1');
    expect(mapped).toEqual({
      status,
      fault: false,
      body: expect.objectContaining({ statusCode: status, code: error.code, message: error.message, correlationId: 'c-1' }),
    });
  });

  it("given an error named as the event store's WrongExpectedVersionError, then 409 with bigints as strings", () => {
    const error = Object.assign(new Error('Wrong expected revision'), {
      name: 'WrongExpectedVersionError',
      streamName: 'customer-1',
      expectedVersion: 3n,
      actualVersion: 5n,
    });
    const mapped = mapError(error, mappings);
    expect(mapped.status).toBe(409);
    expect(mapped.body.details).toEqual({ streamName: 'customer-1', expectedVersion: '3', actualVersion: '5' });
    expect(() => JSON.stringify(mapped.body)).not.toThrow();
  });

  it('given a registered mapping, then uses it', () => {
    const own = new ErrorMappings();
    own.register({ name: 'BrokerUnavailable', toHttp: (e) => ({ status: 503, code: 'kafka.unavailable', message: e.message }) });
    const error = Object.assign(new Error('no broker'), { name: 'BrokerUnavailable' });
    expect(mapError(error, own)).toMatchObject({ status: 503, fault: true, body: { code: 'kafka.unavailable' } });
  });

  it('given body-parser errors, then 400 for malformed JSON and 413 for a body too large', () => {
    const parse = RequestBodyError.from(Object.assign(new SyntaxError('Unexpected end'), { type: 'entity.parse.failed', status: 400 }));
    const large = RequestBodyError.from(Object.assign(new Error('too large'), { type: 'entity.too.large', status: 413, limit: 1024 }));
    expect(mapError(parse, mappings).body).toMatchObject({ statusCode: 400, message: 'Malformed JSON in request body: Unexpected end' });
    expect(mapError(large, mappings).body).toMatchObject({ statusCode: 413, message: 'Request body is larger than the limit of 1024 bytes' });
    expect(RequestBodyError.from(new Error('plain'))).toBeUndefined();
  });

  it('given an unknown error, then a generic 500 that reveals nothing', () => {
    const mapped = mapError(new TypeError('cannot read x of undefined at db.ts:12'), mappings, 'c-9');
    expect(mapped).toEqual({
      status: 500,
      fault: true,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', correlationId: 'c-9' },
    });
    expect(mapError('a thrown string', mappings).status).toBe(500);
  });
});

describe('toJsonSafe', () => {
  it('turns bigints (also nested and in arrays) into strings and dates into ISO strings', () => {
    expect(toJsonSafe({ a: 1n, b: [2n, { c: 3n }], d: new Date('2024-01-01T00:00:00Z'), e: null })).toEqual({
      a: '1',
      b: ['2', { c: '3' }],
      d: '2024-01-01T00:00:00.000Z',
      e: null,
    });
  });
});
