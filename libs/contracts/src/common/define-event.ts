// One definition per integration event: the TypeBox schema is the single source of the TypeScript type,
// the JSON Schema, the AsyncAPI message and the documentation.
import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import type { TopicDefinition } from './topic';

export interface EventContract<T extends string = string, S extends TSchema = TSchema> {
  /** The versioned type name, `crm.<aggregate>.<event>.v<version>`: the CloudEvents `type`. */
  readonly type: T;
  /** The type name without prefix and version, e.g. `customer.registered`. */
  readonly name: string;
  readonly version: number;
  readonly topic: TopicDefinition;
  /** The aggregate the event belongs to; its id is the message key and the CloudEvents `subject`. */
  readonly aggregate: string;
  /** The payload field holding the aggregate id. */
  readonly keyField: string;
  readonly description: string;
  readonly schema: S;
  /** Payload paths (dotted) holding personal data: subscribers drop them when the person is erased. */
  readonly personalData: readonly string[];
  /** A valid payload, shown in the docs and AsyncAPI and checked against the schema in a test. */
  readonly example: Static<S>;
  /** The message key (the aggregate id). Method syntax keeps contracts of different types assignable. */
  keyOf(payload: Static<S>): string;
}

type StringFields<T> = { [K in keyof T]-?: T[K] extends string ? K : never }[keyof T] & string;

export function defineEvent<
  const N extends string,
  const V extends number,
  P extends TProperties,
  K extends StringFields<Static<TObject<P>>>,
>(definition: {
  name: N;
  version: V;
  topic: TopicDefinition;
  aggregate: string;
  key: K;
  description: string;
  payload: P;
  personalData?: readonly string[];
  example: Static<TObject<P>>;
}): EventContract<`crm.${N}.v${V}`, TObject<P>> {
  const type = `crm.${definition.name}.v${definition.version}` as const;
  const key = definition.key;
  return Object.freeze({
    type,
    name: definition.name,
    version: definition.version,
    topic: definition.topic,
    aggregate: definition.aggregate,
    keyField: key,
    description: definition.description,
    // No `additionalProperties: false`: within a version fields are added, and readers must tolerate them.
    schema: Type.Object(definition.payload, { title: type, description: definition.description }),
    personalData: Object.freeze([...(definition.personalData ?? [])]),
    example: definition.example,
    keyOf: (payload: Static<TObject<P>>) => payload[key] as string,
  });
}

/** The payload type of a contract: `type CustomerRegisteredV1 = Payload<typeof CustomerRegisteredV1>`. */
export type Payload<C extends { readonly schema: TSchema }> = Static<C['schema']>;
