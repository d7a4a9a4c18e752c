// The one place where errors become HTTP statuses and bodies. Framework-free: the Nest filter only
// calls mapError (and passes Nest's own HttpExceptions through untouched).
import { STATUS_CODES } from 'node:http';
import { DomainError, type DomainErrorKind } from './domain-error';

export const KIND_STATUS: Readonly<Record<DomainErrorKind, number>> = {
  bad_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  concurrency_conflict: 409,
  rejected: 422,
};

export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: Record<string, unknown>;
  correlationId?: string;
}

export interface MappedError {
  status: number;
  body: HttpErrorBody;
  /** A fault of the server, not of the request: log it with its stack. */
  fault: boolean;
}

/** Maps another library's error, matched by its `name`, so that the platform need not import it. */
export interface ErrorMapping {
  name: string;
  toHttp(error: Error): { status: number; code: string; message: string; details?: Record<string, unknown> };
}

/** The event store's optimistic-concurrency failure (libs/event-store, @eventstore/db-client). */
export const wrongExpectedVersionMapping: ErrorMapping = {
  name: 'WrongExpectedVersionError',
  toHttp: (error) => {
    const { streamName, expectedVersion, actualVersion } = error as Error & Record<string, unknown>;
    return { status: 409, code: 'stream.wrong_expected_version', message: error.message, details: { streamName, expectedVersion, actualVersion } };
  },
};

export const defaultErrorMappings: readonly ErrorMapping[] = [wrongExpectedVersionMapping];

/** Registry of name-matched mappings; other libraries' Nest modules register theirs at init. */
export class ErrorMappings {
  private readonly byName = new Map<string, ErrorMapping>();

  constructor(mappings: readonly ErrorMapping[] = defaultErrorMappings) {
    mappings.forEach((m) => this.register(m));
  }

  register(mapping: ErrorMapping): void {
    this.byName.set(mapping.name, mapping);
  }

  find(error: Error): ErrorMapping | undefined {
    return this.byName.get(error.name) ?? this.byName.get(error.constructor.name);
  }
}

/** A body-parser failure, re-thrown under our own type so that Nest does not rewrite it on the way. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
  constructor(
    readonly type: string,
    readonly status: number,
    message: string,
    readonly limit?: number,
  ) {
    super(message);
  }

  /** Recognises body-parser's http-errors by their `type`; anything else is not ours. */
  static from(error: unknown): RequestBodyError | undefined {
    if (!(error instanceof Error) || !('type' in error) || typeof error.type !== 'string') return undefined;
    if (!('status' in error) || typeof error.status !== 'number') return undefined;
    const { type, status } = error;
    const limit = 'limit' in error && typeof error.limit === 'number' ? error.limit : undefined;
    return new RequestBodyError(type, status, error.message, limit);
  }
}

export function mapError(error: unknown, mappings: ErrorMappings, correlationId?: string): MappedError {
  const withId = (body: HttpErrorBody): HttpErrorBody => (correlationId ? { ...body, correlationId } : body);
  if (error instanceof DomainError) {
    const status = KIND_STATUS[error.kind];
    return { status, fault: false, body: withId(errorBody(status, error.message, error.code, error.details)) };
  }
  if (error instanceof RequestBodyError) {
    const status = error.status >= 400 && error.status < 500 ? error.status : 400;
    return { status, fault: false, body: withId(errorBody(status, bodyMessage(error), `request.${error.type}`)) };
  }
  const mapping = error instanceof Error ? mappings.find(error) : undefined;
  if (mapping && error instanceof Error) {
    const { status, code, message, details } = mapping.toHttp(error);
    return { status, fault: status >= 500, body: withId(errorBody(status, message, code, details)) };
  }
  return { status: 500, fault: true, body: withId(errorBody(500, 'Internal server error')) };
}

function errorBody(status: number, message: string, code?: string, details?: Readonly<Record<string, unknown>>): HttpErrorBody {
  const body: HttpErrorBody = { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message };
  if (code) body.code = code;
  if (details) body.details = toJsonSafe(details) as Record<string, unknown>;
  return body;
}

function bodyMessage(error: RequestBodyError): string {
  switch (error.type) {
    case 'entity.parse.failed':
      return `Malformed JSON in request body: ${error.message}`;
    case 'entity.too.large':
      return `Request body is larger than the limit of ${error.limit ?? '?'} bytes`;
    default:
      return error.message;
  }
}

/** bigint (stream revisions) becomes a string; JSON.stringify would throw on it. */
export function toJsonSafe(value: unknown, depth = 0): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonSafe(item, depth + 1)]));
}

/** For express's 'json replacer' setting, so that handlers may return bigints too. */
export function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
