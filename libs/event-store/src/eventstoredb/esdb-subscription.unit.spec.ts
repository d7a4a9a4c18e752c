// The ESDB subscription runner against a stand-in for the client's readable subscription: ordering of
// events, caught-up and checkpoints, back-pressure and error mapping, without a server.
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { StreamDeletedError as EsdbStreamDeletedError, type Position as EsdbPosition } from '@eventstore/db-client';
import { waitFor } from '@crm/testing';
import { StreamDeletedError } from '../errors';
import type { RecordedEvent } from '../types';
import { EsdbSubscription, type EsdbReadable } from './esdb-subscription';
import { toRecordedEvent } from './mapping';

class FakeSubscription extends Readable {
  unsubscribed = false;
  constructor() {
    super({ objectMode: true, read: () => undefined });
  }
  async unsubscribe(): Promise<void> {
    this.unsubscribed = true;
    this.push(null);
  }
  pushEvent(revision: number, stream = 'customer-1'): void {
    this.push({
      event: {
        id: randomUUID(),
        type: 'CustomerRegistered',
        streamId: stream,
        revision: BigInt(revision),
        isJson: true,
        data: { revision },
        metadata: { correlationId: 'c' },
        created: new Date(),
        position: { commit: BigInt(revision * 10), prepare: BigInt(revision * 10) },
      },
    });
  }
}

function start(accept?: (e: RecordedEvent) => boolean) {
  const fake = new FakeSubscription();
  const log: string[] = [];
  let checkpointReached: ((subscription: unknown, position: EsdbPosition) => Promise<void>) | undefined;
  const subscription = new EsdbSubscription(
    (reached) => {
      checkpointReached = reached;
      return fake as unknown as EsdbReadable;
    },
    {
      handlers: {
        onEvent: async (event) => {
          await new Promise((resolve) => setImmediate(resolve));
          log.push(`event ${event.revision}`);
        },
        onCaughtUp: () => {
          log.push('caughtUp');
        },
        onCheckpoint: (position) => {
          log.push(`checkpoint ${position.commit}`);
        },
        onError: (error) => {
          log.push(error instanceof Error ? `error ${error.name}` : 'error');
        },
      },
      toEvent: (resolved) => toRecordedEvent(resolved as Parameters<typeof toRecordedEvent>[0]),
      ...(accept ? { accept } : {}),
      stream: 'customer-1',
    },
  );
  return { fake, log, subscription, checkpoint: (commit: number) => checkpointReached?.(subscription, { commit: BigInt(commit), prepare: BigInt(commit) }) };
}

describe('EsdbSubscription', () => {
  test('caught-up follows the events buffered before it', async () => {
    const { fake, log, subscription } = start();
    for (let i = 0; i < 5; i++) fake.pushEvent(i);
    fake.emit('caughtUp');
    fake.pushEvent(5);
    await waitFor(() => log.length === 7);
    await subscription.unsubscribe();
    expect(log).toEqual(['event 0', 'event 1', 'event 2', 'event 3', 'event 4', 'caughtUp', 'event 5']);
  });

  test('a checkpoint is reported after the events before it, and the client waits for it', async () => {
    const { fake, log, subscription, checkpoint } = start();
    fake.pushEvent(1);
    fake.pushEvent(2);
    await checkpoint(25);
    expect(log).toEqual(['event 1', 'event 2', 'checkpoint 25']);
    await subscription.unsubscribe();
  });

  test('pauses the client stream while the handlers fall behind', async () => {
    const { fake, log, subscription } = start();
    const pause = jest.spyOn(fake, 'pause');
    const resume = jest.spyOn(fake, 'resume');
    for (let i = 0; i < 200; i++) fake.pushEvent(i);
    await waitFor(() => log.length === 200);
    expect(pause).toHaveBeenCalled();
    expect(resume).toHaveBeenCalled();
    expect(fake.isPaused()).toBe(false);
    expect(log.at(-1)).toBe('event 199');
    await subscription.unsubscribe();
  });

  test('applies the client-side filter', async () => {
    const { fake, log, subscription } = start((e) => e.revision % 2n === 0n);
    for (let i = 0; i < 4; i++) fake.pushEvent(i);
    fake.emit('caughtUp');
    await waitFor(() => log.includes('caughtUp'));
    await subscription.unsubscribe();
    expect(log).toEqual(['event 0', 'event 2', 'caughtUp']);
  });

  test("maps the client's errors and ends", async () => {
    const { fake, log, subscription } = start();
    fake.emit('error', EsdbStreamDeletedError.fromStreamName('customer-1'));
    await subscription.done;
    expect(log).toEqual([`error ${new StreamDeletedError('x').name}`]);
    expect(fake.unsubscribed).toBe(true);
  });

  test('unsubscribe ends the subscription and resolves done', async () => {
    const { fake, subscription } = start();
    await subscription.unsubscribe();
    await subscription.done;
    expect(fake.unsubscribed).toBe(true);
  });
});
