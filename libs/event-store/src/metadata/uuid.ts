// Name-based uuids (version 5, RFC 9562 §5.5): the same name in the same namespace always gives the same id.
import { createHash } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function toBytes(uuid: string): Buffer {
  if (!isUuid(uuid)) throw new TypeError(`Not a uuid: ${uuid}`);
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

export function uuidv5(name: string, namespace: string): string {
  const hash = createHash('sha1').update(toBytes(namespace)).update(name, 'utf8').digest();
  hash.writeUInt8((hash.readUInt8(6) & 0x0f) | 0x50, 6); // version 5
  hash.writeUInt8((hash.readUInt8(8) & 0x3f) | 0x80, 8); // variant 10xx (RFC 9562)
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The namespaces of RFC 9562 Appendix C, for tests against published vectors. */
export const UUID_NAMESPACE = {
  dns: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
  url: '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
} as const;

/** Our namespace for ids derived from other ids (event ids from a command id, command ids from an event id). */
export const CRM_ID_NAMESPACE = '0d5c2a52-7a4e-4a4f-9a0e-5f3b6c1d8e27';

/** The id of the index-th event appended for a command: a retry of the command gets the same ids. */
export function eventIdFor(commandId: string, index: number): string {
  return uuidv5(`event:${commandId}:${index}`, CRM_ID_NAMESPACE);
}

/** The id of a command a process manager sends in reaction to an event: a redelivery gets the same id. */
export function commandIdFor(eventId: string, key = ''): string {
  return uuidv5(`command:${eventId}:${key}`, CRM_ID_NAMESPACE);
}
