// Shared by the contract cases: test events, collecting iterables, recording subscriptions.
import { randomUUID } from 'node:crypto';
import { waitFor } from '@crm/testing';
import type { EventData, EventStore, Position, RecordedEvent, Subscription, SubscriptionHandlers } from '../types';

export interface EventStoreUnderTest {
  store: EventStore;
  teardown(): Promise<void>;
}

/** Creates a fresh store for one contract run (tests still name their streams uniquely: ESDB is shared). */
export type EventStoreFactory = () => Promise<EventStoreUnderTest>;

export interface ContractOptions {
  /** Writers × appends per writer of the stress case. Default 8 × 2000. */
  stress?: { writers: number; appendsPerWriter: number; subscribers: number };
}

export interface ContractContext {
  readonly store: EventStore;
  readonly options: ContractOptions;
  /** A stream name used by no other test, e.g. `customer_3f2a…`. */
  stream(label?: string): string;
}

export function uniqueName(label = 'stream'): string {
  return `${label}_${randomUUID().replace(/-/g, '')}`;
}

export function testEvents(count = 4, type = 'test'): EventData[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type,
    data: { index, message: 'test' },
    metadata: { correlationId: randomUUID() },
  }));
}

export function finishEvent(type = 'finish-test'): EventData {
  return { id: randomUUID(), type, data: { message: 'lets wrap this up' } };
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Waits for a promise to reject and returns what it rejected with. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise resolved');
}

export function positionText(position: Position): string {
  return `${position.commit}/${position.prepare}`;
}

/**
 * How long to wait for an event to reach $all readers. On PostgreSQL a transaction open anywhere in the
 * cluster (another test file, another service) holds $all back until it ends.
 */
export const ALL_VISIBLE_TIMEOUT_MS = 45_000;

/** Subscription handlers that record what they are given. */
export class Recorder {
  readonly events: RecordedEvent[] = [];
  readonly checkpoints: Position[] = [];
  readonly errors: unknown[] = [];
  caughtUp = 0;
  /** Events delivered before the first caught-up. */
  beforeCaughtUp = -1;
  subscription: Subscription | undefined;

  constructor(private readonly options: { accept?: (event: RecordedEvent) => boolean; onEvent?: (event: RecordedEvent) => Promise<void> | void } = {}) {}

  readonly handlers: SubscriptionHandlers = {
    onEvent: async (event) => {
      if (this.options.accept && !this.options.accept(event)) return;
      this.events.push(event);
      await this.options.onEvent?.(event);
    },
    onCaughtUp: () => {
      this.caughtUp += 1;
      if (this.beforeCaughtUp < 0) this.beforeCaughtUp = this.events.length;
    },
    onCheckpoint: (position) => {
      this.checkpoints.push(position);
    },
    onError: (error) => {
      this.errors.push(error);
    },
  };

  start(subscribe: (handlers: SubscriptionHandlers) => Subscription): this {
    this.subscription = subscribe(this.handlers);
    return this;
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  async waitForCaughtUp(): Promise<void> {
    await waitFor(() => this.caughtUp > 0 || this.errors.length > 0, { timeoutMs: ALL_VISIBLE_TIMEOUT_MS, description: 'caught up' });
    this.throwIfFailed();
  }

  async waitForEvents(count: number, timeoutMs = ALL_VISIBLE_TIMEOUT_MS): Promise<RecordedEvent[]> {
    await waitFor(() => this.events.length >= count || this.errors.length > 0, {
      timeoutMs,
      description: `${count} events (have ${this.events.length})`,
    });
    this.throwIfFailed();
    return this.events;
  }

  async stop(): Promise<void> {
    await this.subscription?.unsubscribe();
  }

  throwIfFailed(): void {
    if (this.errors.length > 0) throw this.errors[0];
  }
}

/** An error as plain strings, so that a failed expectation prints (jest cannot serialise bigint across workers). */
export function describeError(error: unknown): Record<string, string> {
  if (!(error instanceof Error)) return { thrown: String(error) };
  const fields: Record<string, string> = { name: error.name };
  for (const key of ['streamName', 'expectedVersion', 'actualVersion'] as const) {
    if (key in error) fields[key] = String((error as unknown as Record<string, unknown>)[key]);
  }
  return fields;
}
