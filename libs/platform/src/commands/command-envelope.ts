// The envelope of an HTTP command, from its headers:
//   Idempotency-Key: <uuid>   the command id; a retry with the same key gets the original result, appends nothing.
//                             Without it the server picks a new id, and a retry is a new command.
//   If-Match: "<revision>"    the revision the client read (its ETag); `*` means "the aggregate exists".
//   X-Actor-Id: <principal>   who asks (an operator or service id; never an email: it is stored in metadata).
// The correlation id is the request's (x-correlation-id). The time is when the service accepted the command.
// The types mirror @crm/event-store's CommandMetadata and ExpectedRevision, which they are assignable to: the
// platform sits below the data libraries and does not import them.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { BadInputError } from '../errors/domain-error';
import { currentCorrelationId } from '../logging/correlation';

export const IDEMPOTENCY_KEY = 'idempotency-key';
export const ACTOR_HEADER = 'x-actor-id';
const ACTOR = /^[A-Za-z0-9._:-]{1,128}$/;
export const ANONYMOUS_ACTOR = 'anonymous';

/** The command's metadata, as @crm/event-store's CommandMetadata (handleCommand writes it into every event). */
export interface HttpCommandMetadata {
  commandId: string;
  correlationId?: string;
  causationId?: string;
  actor: string;
  /** ISO-8601: when the service accepted the command. */
  time: string;
}

/** What If-Match can ask for: a stream revision, or that the stream exists (`*`). */
export type IfMatchRevision = bigint | 'stream_exists';

/** What a controller receives: the command's metadata, the revision it is based on, and the acceptance time. */
export interface HttpCommand {
  metadata: HttpCommandMetadata;
  /** From If-Match. Without it, the handler decides on the newest state (the client named no state). */
  expectedRevision?: IfMatchRevision;
  /** The acceptance time, which the command's own `at` uses. */
  at: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export function commandFromHeaders(headers: Headers, now: Date = new Date()): HttpCommand {
  const key = single(headers[IDEMPOTENCY_KEY]);
  if (key !== undefined && !isUUID(key, 'loose')) throw new BadInputError('request.invalid_idempotency_key', 'Idempotency-Key must be a uuid');
  const actor = single(headers[ACTOR_HEADER]) ?? ANONYMOUS_ACTOR;
  if (!ACTOR.test(actor)) throw new BadInputError('request.invalid_actor', 'X-Actor-Id must be 1-128 characters of letters, digits and ._:-');
  const commandId = key?.toLowerCase() ?? randomUUID();
  const at = now.toISOString();
  const expectedRevision = parseIfMatch(single(headers['if-match']));
  return {
    metadata: { commandId, correlationId: currentCorrelationId() ?? commandId, actor, time: at },
    ...(expectedRevision === undefined ? {} : { expectedRevision }),
    at,
  };
}

/** `"3"` → 3n, `*` → 'stream_exists'. Weak tags do not apply: If-Match compares strongly (RFC 9110 §13.1.1). */
export function parseIfMatch(value: string | undefined): IfMatchRevision | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return 'stream_exists';
  const match = /^"(\d{1,18})"$/.exec(trimmed);
  if (match === null) throw new BadInputError('request.invalid_if_match', 'If-Match must be one strong ETag such as "3", or *');
  return BigInt(match[1] ?? '');
}

/** `@Command() command: HttpCommand` in a controller method. */
export const Command = createParamDecorator((_: unknown, context: ExecutionContext): HttpCommand => {
  const request = context.switchToHttp().getRequest<{ headers: Headers }>();
  return commandFromHeaders(request.headers);
});

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
