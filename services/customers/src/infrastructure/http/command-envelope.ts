// The envelope of an HTTP command, from its headers:
//   Idempotency-Key: <uuid>   the command id; a retry with the same key gets the original result, appends nothing.
//                             Without it the server picks a new id, and a retry is a new command.
//   If-Match: "<revision>"    the revision the client read (its ETag); `*` means "the customer exists".
//   X-Actor-Id: <principal>   who asks (an operator or service id; never an email: it is stored in metadata).
// The correlation id is the request's (x-correlation-id). The time is when the service accepted the command.
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { CRM_ID_NAMESPACE, isUuid, uuidv5, type ExpectedRevision } from '@crm/event-store';
import { BadInputError, currentCorrelationId } from '@crm/platform';
import { randomUUID } from 'node:crypto';
import type { CommandEnvelope } from '../customer-commands';

export const IDEMPOTENCY_KEY = 'idempotency-key';
export const ACTOR_HEADER = 'x-actor-id';
const ACTOR = /^[A-Za-z0-9._:-]{1,128}$/;
export const ANONYMOUS_ACTOR = 'anonymous';

/** What a controller receives: the envelope plus the acceptance time, which the command's `at` uses. */
export interface HttpCommand extends CommandEnvelope {
  at: string;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

export function commandFromHeaders(headers: Headers, now: Date = new Date()): HttpCommand {
  const key = single(headers[IDEMPOTENCY_KEY]);
  if (key !== undefined && !isUuid(key)) throw new BadInputError('request.invalid_idempotency_key', 'Idempotency-Key must be a uuid');
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
export function parseIfMatch(value: string | undefined): ExpectedRevision | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return 'stream_exists';
  const match = /^"(\d{1,18})"$/.exec(trimmed);
  if (match === null) throw new BadInputError('request.invalid_if_match', 'If-Match must be one strong ETag such as "3", or *');
  return BigInt(match[1] ?? '');
}

/**
 * The envelope of one step of a process run for a command (the merge's two commands, erasing a linked customer):
 * its id derives from the command's, so a retry of the command repeats each step idempotently.
 */
export function stepOf(command: HttpCommand, step: string): HttpCommand {
  const { commandId } = command.metadata;
  return {
    metadata: { ...command.metadata, commandId: uuidv5(`${commandId}/${step}`, CRM_ID_NAMESPACE), causationId: commandId },
    at: command.at,
  };
}

/** `@Command() command: HttpCommand` in a controller method. */
export const Command = createParamDecorator((_: unknown, context: ExecutionContext): HttpCommand => {
  const request = context.switchToHttp().getRequest<{ headers: Headers }>();
  return commandFromHeaders(request.headers);
});

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
