// The registry of every published event type: what subscribers and the relay look types up in.
import type { Static } from '@sinclair/typebox';
import type { EventContract } from './common/define-event';
import type { TopicDefinition } from './common/topic';
import { customersEventContracts, customersTopic, type CustomersEvent } from './customers';
import { salesEventContracts, salesTopic, type SalesEvent } from './sales';

export const topics: readonly TopicDefinition[] = [customersTopic, salesTopic];

const all = [...customersEventContracts, ...salesEventContracts] as const;

export type AnyContract = (typeof all)[number];
export type ContractType = AnyContract['type'];
export type ContractOf<T extends ContractType> = Extract<AnyContract, { type: T }>;
export type PayloadOf<T extends ContractType> = Static<ContractOf<T>['schema']>;
/** Any decoded integration event, discriminated by `type`. */
export type IntegrationEvent = CustomersEvent | SalesEvent;

/** Every contract, in the order of the docs. */
export const allContracts: readonly EventContract[] = all;

/** Contracts by versioned type name. */
export const contracts = Object.freeze(Object.fromEntries(all.map((c) => [c.type, c]))) as {
  readonly [T in ContractType]: ContractOf<T>;
};

export class UnknownEventTypeError extends Error {
  override readonly name = 'UnknownEventTypeError';
  constructor(readonly type: string) {
    super(`Unknown integration event type "${type}"`);
  }
}

export function isKnownType(type: string): type is ContractType {
  return Object.hasOwn(contracts, type);
}

/** The contract of a type; throws UnknownEventTypeError for a type that was never published. */
export function contractOf<T extends ContractType>(type: T): ContractOf<T>;
export function contractOf(type: string): EventContract;
export function contractOf(type: string): EventContract {
  if (!isKnownType(type)) throw new UnknownEventTypeError(type);
  return contracts[type];
}

/** The topic name an event type is published on. */
export function topicOf(type: string): string {
  return contractOf(type).topic.name;
}

/** The message key (the aggregate id) of a payload of this type. */
export function keyOf<T extends ContractType>(type: T, payload: PayloadOf<T>): string;
export function keyOf(type: string, payload: unknown): string;
export function keyOf(type: string, payload: unknown): string {
  const contract = contractOf(type);
  const key = (payload as Record<string, unknown> | null)?.[contract.keyField];
  if (typeof key !== 'string' || key.length === 0) throw new TypeError(`${type} payload has no ${contract.keyField}`);
  return key;
}

/** The contracts published on a topic. */
export function contractsOn(topic: string): readonly EventContract[] {
  return allContracts.filter((c) => c.topic.name === topic);
}

/** The plain JSON Schema of a type (a deep copy, without TypeBox's symbol keys). */
export function jsonSchemaOf(type: string): Record<string, unknown> {
  return JSON.parse(JSON.stringify(contractOf(type).schema)) as Record<string, unknown>;
}
