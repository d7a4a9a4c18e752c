// Between customer events and what the event store holds: the personal values (PERSONAL_FIELDS) are encrypted
// with their data subject's key on the way in and decrypted on the way out. Once a key is destroyed its values
// are left out of the decoded event, as `mapPersonalData(event, () => undefined)` does, which evolve folds.
// A ciphertext is a JSON string `enc:v1:<base64(iv | tag | ciphertext of the value's JSON)>`, bound to its
// subject, so the stored JSON stays valid and a value copied to another customer does not decrypt.
import type { JsonValue } from '@crm/event-store';
import { mapPersonalData, PERSONAL_FIELDS, type CustomerEvent, type CustomerEventType } from '../domain';
import { open, seal } from './crypto/aes-gcm';
import type { DataKeySource } from './data-keys';

const PREFIX = 'enc:v1:';

/** A stored personal value that is not a ciphertext, or does not open: the event was not written by this codec. */
export class CorruptPersonalDataError extends Error {
  override readonly name = 'CorruptPersonalDataError';
  constructor(eventType: string, path: string) {
    super(`${eventType}: the personal value at ${path} is not a valid ciphertext`);
  }
}

/** An event as stored or decided: its type and its JSON data. */
export interface CodableEvent {
  readonly type: string;
  readonly data: unknown;
}

export const isCustomerEventType = (type: string): type is CustomerEventType => Object.hasOwn(PERSONAL_FIELDS, type);

export const isCiphertext = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

export class CustomerEventCodec {
  constructor(private readonly keys: DataKeySource) {}

  /** The data to store: every personal value encrypted, keys created where needed (before the append). */
  async encode<E extends CodableEvent>(event: E): Promise<E> {
    if (!isCustomerEventType(event.type)) throw new TypeError(`Not a customer event type: ${event.type}; cannot tell its personal data`);
    const subjects = subjectsOf(event);
    if (subjects.length === 0) return event;
    const keys = await this.keys.keysForWriting(subjects);
    const { data } = mapPersonalData(asCustomerEvent(event), (value, subjectId) => {
      const key = keys.get(subjectId.toLowerCase());
      if (key === undefined) throw new Error(`No key for ${subjectId}`);
      return PREFIX + seal(key, Buffer.from(JSON.stringify(value), 'utf8'), context(subjectId)).toString('base64');
    });
    return { ...event, data } as E;
  }

  /**
   * The event as decided: personal values decrypted, or absent where the key was destroyed. Event types this
   * version does not know (from a newer one) come through unchanged.
   */
  async decode<E extends CodableEvent>(event: E): Promise<E> {
    if (!isCustomerEventType(event.type)) return event;
    const subjects = subjectsOf(event);
    if (subjects.length === 0) return event;
    const keys = await this.keys.keysForReading(subjects);
    const { data } = mapPersonalData(asCustomerEvent(event), (value, subjectId, path) => {
      const key = keys.get(subjectId.toLowerCase());
      if (key === null || key === undefined) return undefined;
      if (!isCiphertext(value)) throw new CorruptPersonalDataError(event.type, path);
      try {
        return JSON.parse(open(key, Buffer.from(value.slice(PREFIX.length), 'base64'), context(subjectId)).toString('utf8')) as JsonValue;
      } catch {
        throw new CorruptPersonalDataError(event.type, path);
      }
    });
    return { ...event, data } as E;
  }

  /** The event as it reads after its subjects' erasure, without asking for keys. */
  static shredded<E extends CodableEvent>(event: E): E {
    if (!isCustomerEventType(event.type)) return event;
    return { ...event, data: mapPersonalData(asCustomerEvent(event), () => undefined).data } as E;
  }
}

const context = (subjectId: string): string => `crm/customers/personal-data/v1/${subjectId.toLowerCase()}`;

const asCustomerEvent = (event: CodableEvent): CustomerEvent => ({ type: event.type, data: event.data }) as CustomerEvent;

/** The data subjects whose keys the event's personal values need. */
function subjectsOf(event: CodableEvent): string[] {
  const subjects = new Set<string>();
  mapPersonalData(asCustomerEvent(event), (value, subjectId) => {
    subjects.add(subjectId);
    return value;
  });
  return [...subjects];
}
