// An EventRelay as a service runs it: started in the background with retries while Kafka or PostgreSQL are not
// reachable yet, stopped once, and a readiness check that holds only the leader to a connected producer (a standby
// has no Kafka connection to check). Framework-free: the service's Nest class calls start, stop and readiness.
import type { OutgoingMessage, Publisher } from '../bus/types';
import { KafkaPublisher } from '../bus/publisher';
import { errorFields, silentLogger } from '../internal/logger';
import { backoffDelay, pause } from '../internal/timing';
import { EventRelay, type EventRelayOptions } from './event-relay';

/** A publisher that reports whether it is connected: true after connecting or publishing, false on failure. */
export class WatchedPublisher implements Publisher {
  constructor(
    private readonly inner: Publisher,
    private readonly onState: (connected: boolean) => void,
  ) {}

  async connect(): Promise<void> {
    await this.inner.connect();
    this.onState(true);
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    try {
      await this.inner.publish(messages);
      this.onState(true);
    } catch (error) {
      this.onState(false);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    this.onState(false);
    await this.inner.disconnect();
  }
}

export interface SupervisedRelayOptions extends EventRelayOptions {
  /** How long `start` waits for the first start before it lets the service go on (default 15 s). */
  startTimeoutMs?: number;
}

export type RelayReadiness = { relay: 'standby' } | { relay: 'leader'; topics: string[] };

export class SupervisedRelay {
  readonly relay: EventRelay;
  private producerConnected = false;
  private starting: Promise<void> | undefined;
  private readonly stopSignal = new AbortController();

  constructor(private readonly options: SupervisedRelayOptions) {
    const { createPublisher } = options;
    const publisher = (): Publisher => createPublisher?.() ?? new KafkaPublisher(options.bus, { logger: options.logger ?? silentLogger });
    this.relay = new EventRelay({ ...options, createPublisher: () => new WatchedPublisher(publisher(), (connected) => (this.producerConnected = connected)) });
  }

  /** Waits for the first start (topics created); when Kafka or PostgreSQL is down, keeps trying in the background. */
  async start(): Promise<void> {
    this.starting ??= this.startWithRetry();
    const timeout = new AbortController();
    await Promise.race([this.starting, pause(this.options.startTimeoutMs ?? 15_000, timeout.signal)]);
    timeout.abort();
  }

  /** Ends the retries, then publishes what was read, checkpoints and releases the lease. */
  async stop(): Promise<void> {
    this.stopSignal.abort();
    await this.starting;
    await this.relay.stop();
  }

  /** For the readiness probe: throws while this replica leads without a producer connected to Kafka. */
  readiness(): RelayReadiness {
    if (!this.relay.isLeader) return { relay: 'standby' };
    if (!this.producerConnected) throw new Error('the relay producer is not connected to Kafka');
    return { relay: 'leader', topics: (this.options.topics ?? []).map((topic) => topic.name) };
  }

  private async startWithRetry(): Promise<void> {
    const log = this.options.logger ?? silentLogger;
    for (let attempt = 1; !this.stopSignal.signal.aborted; attempt += 1) {
      try {
        await this.relay.start();
        return;
      } catch (error) {
        log.error({ relay: this.options.name, attempt, ...errorFields(error) }, 'relay could not start (Kafka or PostgreSQL unreachable); retrying');
        await pause(backoffDelay(attempt, { initialMs: 1_000, maxMs: 10_000 }), this.stopSignal.signal);
      }
    }
  }
}
