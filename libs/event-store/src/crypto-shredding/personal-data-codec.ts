// Between a service's events and what the event store holds: the personal values (a PersonalFieldMap) are
// encrypted with their data subject's key on the way in and decrypted on the way out. Once a key is destroyed its
// values are left out of the decoded event, as `shredded` does, which the service's evolve must fold.
// A ciphertext is a JSON string `enc:v1:<base64(iv | tag | ciphertext of the value's JSON)>`, bound to its
// namespace and subject, so the stored JSON stays valid and a value copied to another subject does not decrypt.
import type { JsonData } from '../decider';
import { open, seal } from './aes-gcm';
import type { DataKeySource } from './data-keyring';
import { mapPersonalValues, subjectProperty, withoutPersonalValues, type PersonalFieldMap, type PersonalValueTransform, type SubjectOf } from './personal-data';

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

/** What the encrypting event store needs of a codec. */
export interface EventCodec {
  encode<E extends CodableEvent>(event: E): Promise<E>;
  decode<E extends CodableEvent>(event: E): Promise<E>;
}

export const isCiphertext = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

export interface PersonalDataCodecOptions<S extends string> {
  /** Every event type the service writes, with its personal paths: a type missing here cannot be appended. */
  fields: PersonalFieldMap<S>;
  /** Binds each ciphertext to the service, e.g. `crm/customers`. Never change it: stored values depend on it. */
  namespace: string;
  /** The id of a path's subject from the event's data. Default: the data's property named by the subject. */
  subjectOf?: SubjectOf<S>;
}

export class PersonalDataCodec<S extends string = string> implements EventCodec {
  private readonly fields: PersonalFieldMap<S>;
  private readonly subjectOf: SubjectOf<S>;
  private readonly namespace: string;

  constructor(
    private readonly keys: DataKeySource,
    options: PersonalDataCodecOptions<S>,
  ) {
    this.fields = options.fields;
    this.namespace = options.namespace;
    this.subjectOf = options.subjectOf ?? subjectProperty;
  }

  /** Whether the event type is one of the service's (has an entry in `fields`). */
  knows(type: string): boolean {
    return Object.hasOwn(this.fields, type);
  }

  /** The data to store: every personal value encrypted, keys created where needed (before the append). */
  async encode<E extends CodableEvent>(event: E): Promise<E> {
    if (!this.knows(event.type)) throw new TypeError(`Not an event type of ${this.namespace}: ${event.type}; cannot tell its personal data`);
    const subjects = this.subjectsOf(event);
    if (subjects.length === 0) return event;
    const keys = await this.keys.keysForWriting(subjects);
    return this.mapped(event, (value, subjectId) => {
      const key = keys.get(subjectId.toLowerCase());
      if (key === undefined) throw new Error(`No key for ${subjectId}`);
      return PREFIX + seal(key, Buffer.from(JSON.stringify(value), 'utf8'), this.context(subjectId)).toString('base64');
    });
  }

  /**
   * The event as decided: personal values decrypted, or absent where the key was destroyed. Event types this
   * version does not know (from a newer one) come through unchanged.
   */
  async decode<E extends CodableEvent>(event: E): Promise<E> {
    if (!this.knows(event.type)) return event;
    const subjects = this.subjectsOf(event);
    if (subjects.length === 0) return event;
    const keys = await this.keys.keysForReading(subjects);
    return this.mapped(event, (value, subjectId, path) => {
      const key = keys.get(subjectId.toLowerCase());
      if (key === null || key === undefined) return undefined;
      if (!isCiphertext(value)) throw new CorruptPersonalDataError(event.type, path);
      try {
        return JSON.parse(open(key, Buffer.from(value.slice(PREFIX.length), 'base64'), this.context(subjectId)).toString('utf8')) as JsonData;
      } catch {
        throw new CorruptPersonalDataError(event.type, path);
      }
    });
  }

  /** The event as it reads after its subjects' erasure, without asking for keys. */
  shredded<E extends CodableEvent>(event: E): E {
    return withoutPersonalValues(event, this.fields, this.subjectOf);
  }

  /** The data subjects whose keys the event's personal values need. */
  subjectsOf(event: CodableEvent): string[] {
    const subjects = new Set<string>();
    this.mapped(event, (value, subjectId) => {
      subjects.add(subjectId);
      return value;
    });
    return [...subjects];
  }

  private mapped<E extends CodableEvent>(event: E, transform: PersonalValueTransform): E {
    const paths = this.fields[event.type] ?? [];
    if (paths.length === 0) return event;
    return { ...event, data: mapPersonalValues(event, paths, transform, this.subjectOf) };
  }

  private context(subjectId: string): string {
    return `${this.namespace}/personal-data/v1/${subjectId.toLowerCase()}`;
  }
}
