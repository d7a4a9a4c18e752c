// Catch-up subscriptions by polling: one page at a time, each event awaited (back-pressure), caught-up
// once, then live with back-off between empty polls. No LISTEN/NOTIFY: NOTIFY in the append path would
// serialise every commit on a cluster-wide lock.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Position, RecordedEvent, Subscription, SubscriptionHandlers } from '../types';

export interface PollPage {
  /** Events to deliver, in order. */
  events: RecordedEvent[];
  /** How many events the poll looked at (matched or not): fewer than the limit means caught up. */
  scanned: number;
  /** Where the scan ended: a checkpoint the subscriber may store even if nothing matched. */
  tail?: Position | undefined;
  /** Nothing more to read now, and everything committed before the subscription started has been read. */
  atHead: boolean;
}

export interface PollSource {
  /** Resolves the starting point ('end' is fixed here), before the first poll. */
  start(): Promise<void>;
  /** Reads the next page and moves the cursor past it. */
  poll(limit: number): Promise<PollPage>;
  /** A cheap check an idle live subscription makes before polling: false means a poll would find nothing. */
  mayHaveNews?: (() => Promise<boolean>) | undefined;
}

export interface PollingOptions {
  pageSize: number;
  minDelayMs: number;
  maxDelayMs: number;
  /** For $all: call onCheckpoint after this many events scanned. */
  checkpointInterval?: number;
}

const insideHandler = new AsyncLocalStorage<PollingSubscription>();

export class PollingSubscription implements Subscription {
  readonly done: Promise<void>;
  private stopped = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly source: PollSource,
    private readonly handlers: SubscriptionHandlers,
    private readonly options: PollingOptions,
    onEnd: (subscription: PollingSubscription) => void,
  ) {
    this.done = this.run().finally(() => onEnd(this));
  }

  async unsubscribe(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    // Called from one of our own handlers: the loop cannot finish before that handler returns.
    if (insideHandler.getStore() === this) return;
    await this.done;
  }

  private async run(): Promise<void> {
    const { pageSize, minDelayMs, maxDelayMs, checkpointInterval } = this.options;
    const checkpoints = checkpointInterval !== undefined && this.handlers.onCheckpoint !== undefined;
    let idleDelay = minDelayMs;
    let caughtUp = false;
    let sinceCheckpoint = 0;
    try {
      await this.source.start();
      let idle = false;
      while (!this.stopped) {
        if (idle && caughtUp && this.source.mayHaveNews && !(await this.source.mayHaveNews())) {
          idleDelay = Math.min(maxDelayMs, idleDelay * 2);
          await this.sleep(idleDelay);
          continue;
        }
        // Never scan past the next checkpoint: it fires exactly every `checkpointInterval` events.
        const limit = checkpoints ? Math.min(pageSize, checkpointInterval - sinceCheckpoint) : pageSize;
        const page = await this.source.poll(limit);
        for (const event of page.events) {
          if (this.stopped) return;
          await this.call(() => this.handlers.onEvent(event));
        }
        if (this.stopped) return;
        if (checkpoints && page.tail) {
          sinceCheckpoint += page.scanned;
          if (sinceCheckpoint >= checkpointInterval) {
            sinceCheckpoint = 0;
            const tail = page.tail;
            await this.call(() => this.handlers.onCheckpoint?.(tail));
          }
        }
        if (page.scanned >= limit) continue;
        if (!caughtUp && page.atHead) {
          caughtUp = true;
          await this.call(() => this.handlers.onCaughtUp?.());
        }
        idle = page.scanned === 0;
        idleDelay = page.scanned > 0 ? minDelayMs : Math.min(maxDelayMs, idleDelay * 2);
        await this.sleep(page.scanned > 0 ? minDelayMs : idleDelay);
      }
    } catch (error) {
      if (!this.stopped) this.handlers.onError?.(error);
      this.stopped = true;
    }
  }

  private async call(fn: () => Promise<void> | void): Promise<void> {
    await insideHandler.run(this, fn);
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
