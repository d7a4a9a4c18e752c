// What a handler receives: the CloudEvents attributes, the validated payload and where it came from.
import type { BusMessage } from '../bus/types';
import { CeHeader } from '../cloudevents/headers';
import { PoisonMessageError } from './errors';

export interface ConsumedEvent<Data = unknown> {
  /** CloudEvents id = the event-store event id: the deduplication key. */
  id: string;
  type: string;
  source: string;
  /** The aggregate id (also the message key). */
  subject: string;
  /** RFC 3339 time of the change. */
  time: string;
  data: Data;
  correlationId: string | null;
  causationId: string | null;
  /** Revision of the event in its aggregate's stream, when the publisher is our relay. */
  revision: bigint | null;
  traceparent: string | null;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
}

export type ValidationOutcome = { ok: true } | { ok: false; errors: ReadonlyArray<{ path?: string; message: string }> };

/** A contract validator: `validate` from `@crm/contracts` (the default), or any function of its shape. */
export type EventValidator = (type: string, payload: unknown) => ValidationOutcome;

export type Decoded =
  | { kind: 'event'; message: BusMessage; event: ConsumedEvent }
  /** A type this consumer does not handle: its offset moves on, nothing else happens. */
  | { kind: 'ignored'; message: BusMessage; type: string }
  | { kind: 'poison'; message: BusMessage; error: PoisonMessageError };

export function decodeMessage(
  message: BusMessage,
  handles: (type: string) => boolean,
  validate: EventValidator,
): Decoded {
  const h = message.headers;
  const id = h[CeHeader.Id];
  const type = h[CeHeader.Type];
  if (!id || !type) {
    return poison(message, 'InvalidEnvelopeError', `missing ${!id ? CeHeader.Id : CeHeader.Type} header`);
  }
  if (!handles(type)) return { kind: 'ignored', message, type };
  let data: unknown;
  try {
    data = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return poison(message, 'InvalidJsonError', `value is not JSON: ${(error as Error).message}`);
  }
  const outcome = validate(type, data);
  if (!outcome.ok) {
    const reasons = outcome.errors.map((e) => (e.path ? `${e.path} ${e.message}` : e.message));
    return poison(message, 'SchemaViolationError', reasons.join('; ') || 'invalid payload');
  }
  const revision = h[CeHeader.StreamRevision];
  return {
    kind: 'event',
    message,
    event: {
      id,
      type,
      source: h[CeHeader.Source] ?? '',
      subject: h[CeHeader.Subject] ?? message.key ?? '',
      time: h[CeHeader.Time] ?? '',
      data,
      correlationId: h[CeHeader.CorrelationId] ?? null,
      causationId: h[CeHeader.CausationId] ?? null,
      revision: revision && /^\d+$/.test(revision) ? BigInt(revision) : null,
      traceparent: h[CeHeader.TraceParent] ?? null,
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key,
      headers: h,
    },
  };
}

function poison(message: BusMessage, name: PoisonMessageError['name'], reason: string): Decoded {
  return { kind: 'poison', message, error: new PoisonMessageError(name, reason) };
}
