// Runs the port's handlers over an ESDB catch-up subscription, one at a time and in order. The client
// emits caughtUp and calls checkpointReached while earlier events may still sit in its readable buffer,
// so each such marker waits for the events buffered before it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Position as EsdbPosition } from '@eventstore/db-client';
import type { Position, RecordedEvent, Subscription, SubscriptionHandlers } from '../types';
import { mapError } from './mapping';

/** What we need of the client's StreamSubscription / AllStreamSubscription. */
export interface EsdbReadable {
  readonly readableLength: number;
  on(event: 'data', listener: (resolved: unknown) => void): this;
  on(event: 'caughtUp' | 'end' | 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  pause(): this;
  resume(): this;
  unsubscribe(): Promise<void>;
}

type Item =
  | { kind: 'event'; event: RecordedEvent }
  | { kind: 'caughtUp' }
  | { kind: 'checkpoint'; position: Position; processed: () => void }
  | { kind: 'error'; error: unknown }
  | { kind: 'end' };

const HIGH_WATER = 64;
const LOW_WATER = 16;
const insideHandler = new AsyncLocalStorage<EsdbSubscription>();

export interface EsdbSubscriptionOptions {
  handlers: SubscriptionHandlers;
  toEvent(resolved: unknown): RecordedEvent | undefined;
  /** Client-side part of the filter. */
  accept?(event: RecordedEvent): boolean;
  stream?: string;
}

export class EsdbSubscription implements Subscription {
  readonly done: Promise<void>;
  private readonly queue: Item[] = [];
  /** Markers that must follow the events still buffered in the client's stream: how many more to wait for. */
  private readonly afterBuffer: { item: Item; remaining: number }[] = [];
  private readonly pendingCheckpoints = new Set<() => void>();
  private readable!: EsdbReadable;
  private wake: (() => void) | undefined;
  private stopped = false;
  private paused = false;

  constructor(
    open: (checkpointReached: (subscription: unknown, position: EsdbPosition) => Promise<void>) => EsdbReadable,
    private readonly options: EsdbSubscriptionOptions,
  ) {
    this.readable = open((_subscription, position) => this.checkpoint(position));
    this.readable.on('data', (resolved) => {
      const event = options.toEvent(resolved);
      if (event && (options.accept?.(event) ?? true)) this.push({ kind: 'event', event });
      for (const waiting of this.afterBuffer) waiting.remaining -= 1;
      this.flushAfterBuffer();
      if (this.queue.length >= HIGH_WATER && !this.paused) {
        this.paused = true;
        this.readable.pause();
      }
    });
    this.readable.on('caughtUp', () => this.pushAfterBuffer({ kind: 'caughtUp' }));
    this.readable.on('error', (error) => this.push({ kind: 'error', error }));
    this.readable.on('end', () => this.push({ kind: 'end' }));
    this.readable.on('close', () => this.push({ kind: 'end' }));
    this.done = this.run();
  }

  async unsubscribe(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      for (const release of this.pendingCheckpoints) release();
      this.wake?.();
      await this.readable.unsubscribe().catch(() => undefined);
    }
    if (insideHandler.getStore() === this) return;
    await this.done;
  }

  private checkpoint(position: EsdbPosition): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const processed = () => {
        this.pendingCheckpoints.delete(processed);
        resolve();
      };
      this.pendingCheckpoints.add(processed);
      this.pushAfterBuffer({ kind: 'checkpoint', position: { commit: position.commit, prepare: position.prepare }, processed });
    });
  }

  private push(item: Item): void {
    this.queue.push(item);
    this.wake?.();
  }

  private pushAfterBuffer(item: Item): void {
    this.afterBuffer.push({ item, remaining: this.readable.readableLength });
    this.flushAfterBuffer();
  }

  private flushAfterBuffer(): void {
    while (this.afterBuffer.length > 0 && (this.afterBuffer[0]?.remaining ?? 0) <= 0) {
      const waiting = this.afterBuffer.shift();
      if (waiting) this.push(waiting.item);
    }
  }

  private async run(): Promise<void> {
    const { handlers } = this.options;
    for (;;) {
      const item = this.queue.shift() ?? (await this.next());
      if (this.stopped) return;
      if (this.paused && this.queue.length <= LOW_WATER) {
        this.paused = false;
        this.readable.resume();
      }
      try {
        switch (item.kind) {
          case 'event':
            await this.call(() => handlers.onEvent(item.event));
            break;
          case 'caughtUp':
            await this.call(() => handlers.onCaughtUp?.());
            break;
          case 'checkpoint':
            await this.call(() => handlers.onCheckpoint?.(item.position));
            item.processed();
            break;
          case 'error':
            throw item.error;
          case 'end':
            this.stopped = true;
            return;
          default: {
            const unexpected: never = item;
            throw new Error(`Unexpected item ${String(unexpected)}`);
          }
        }
      } catch (error) {
        if (!this.stopped) handlers.onError?.(mapError(error, this.options.stream));
        this.stopped = true;
        await this.readable.unsubscribe().catch(() => undefined);
        return;
      }
    }
  }

  private next(): Promise<Item> {
    return new Promise((resolve) => {
      this.wake = () => {
        const item = this.queue.shift();
        if (item || this.stopped) {
          this.wake = undefined;
          resolve(item ?? { kind: 'end' });
        }
      };
    });
  }

  private async call(fn: () => Promise<void> | void): Promise<void> {
    await insideHandler.run(this, fn);
  }
}
