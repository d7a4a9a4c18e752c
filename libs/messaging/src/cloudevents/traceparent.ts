// W3C Trace Context for published events. The relay's publish is a span of the command's trace: the
// trace id comes from the event's metadata (its traceparent, else its correlation id when that is a
// uuid), and the span id from the event id, so a republished duplicate carries the same header.
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const UUID_HEX = /^[0-9a-f]{32}$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

export function parseTraceparent(value: unknown): { traceId: string; spanId: string; flags: string } | null {
  if (typeof value !== 'string') return null;
  const [, version, traceId, spanId, flags] = TRACEPARENT.exec(value.trim().toLowerCase()) ?? [];
  if (!traceId || !spanId || !flags || version === 'ff' || traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  return { traceId, spanId, flags };
}

function hexOfUuid(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const hex = value.replace(/-/g, '').toLowerCase();
  return UUID_HEX.test(hex) && hex !== ZERO_TRACE ? hex : null;
}

export function traceparentFor(eventId: string, metadata: Record<string, unknown>): string {
  const parent = parseTraceparent(metadata['traceparent']);
  const traceId = parent?.traceId ?? hexOfUuid(metadata['correlationId']) ?? randomBytes(16).toString('hex');
  const fromId = hexOfUuid(eventId)?.slice(16);
  const spanId = fromId && fromId !== ZERO_SPAN ? fromId : randomBytes(8).toString('hex');
  return `00-${traceId}-${spanId}-${parent?.flags ?? '01'}`;
}
