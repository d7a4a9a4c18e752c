// Replays a dead-letter topic: every dead letter present when the replay starts is re-published to its
// original topic with its original key and headers (the event id stays, so consumers that applied it
// already skip it). Progress is a consumer group's committed offsets, so a replay resumes where the last
// one stopped and never replays a letter twice for the same group.
import type { EachBatchPayload } from 'kafkajs';
import { createKafka } from '../bus/kafka';
import { toBusMessage } from '../bus/kafka-message';
import { KafkaPublisher } from '../bus/publisher';
import type { BusConfig, BusMessage, OutgoingMessage, Publisher } from '../bus/types';
import { silentLogger, type MessagingLogger } from '../internal/logger';
import { DlqHeader, originalHeaders } from './dead-letter-headers';

export interface ReplayDeadLettersOptions {
  bus: BusConfig;
  dlqTopic: string;
  /** The replay's consumer group, e.g. `<consumer group>.dlq-replay`: its offsets record what was replayed. */
  groupId: string;
  /**
   * Which letters to replay. A letter it rejects is passed over for good by this group (its offset is
   * committed too): replay it later with another groupId.
   */
  filter?: (letter: BusMessage) => boolean;
  timeoutMs?: number;
  logger?: MessagingLogger;
  publisher?: Publisher;
}

export interface ReplayResult {
  replayed: number;
  skipped: number;
  byTopic: Record<string, number>;
}

export async function replayDeadLetters(options: ReplayDeadLettersOptions): Promise<ReplayResult> {
  const log = options.logger ?? silentLogger;
  const kafka = createKafka(options.bus, log);
  const { dlqTopic, groupId } = options;
  const admin = kafka.admin();
  await admin.connect();
  // The replay ends at the offsets the topic has now; letters added meanwhile wait for the next replay.
  const remaining = new Map<number, bigint>();
  try {
    const ends = await admin.fetchTopicOffsets(dlqTopic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [dlqTopic] });
    for (const end of ends) {
      const done = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
      const from = BigInt(done) >= 0n ? BigInt(done) : BigInt(end.low);
      if (from < BigInt(end.high)) remaining.set(end.partition, BigInt(end.high));
    }
  } finally {
    await admin.disconnect();
  }
  const result: ReplayResult = { replayed: 0, skipped: 0, byTopic: {} };
  if (remaining.size === 0) return result;

  const publisher = options.publisher ?? new KafkaPublisher(options.bus, { logger: log });
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await publisher.connect();
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [dlqTopic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`DLQ replay of ${dlqTopic} did not finish within ${options.timeoutMs ?? 120_000} ms`)),
        options.timeoutMs ?? 120_000,
      );
      const finishIfDone = () => {
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      };
      consumer
        .run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          eachBatch: async (payload: EachBatchPayload) => {
            await replayBatch(payload, remaining, options.filter, publisher, result);
            finishIfDone();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
  }
  log.info({ dlqTopic, groupId, ...result }, 'dead letters replayed');
  return result;
}

async function replayBatch(
  { batch, resolveOffset, commitOffsetsIfNecessary, isStale }: EachBatchPayload,
  remaining: Map<number, bigint>,
  filter: ((letter: BusMessage) => boolean) | undefined,
  publisher: Publisher,
  result: ReplayResult,
): Promise<void> {
  const end = remaining.get(batch.partition);
  if (end === undefined) return;
  const out: OutgoingMessage[] = [];
  let next: bigint | null = null;
  for (const raw of batch.messages) {
    if (BigInt(raw.offset) >= end || isStale()) break;
    const letter = toBusMessage(batch.topic, batch.partition, raw);
    const target = letter.headers[DlqHeader.OriginalTopic];
    if (!target || (filter && !filter(letter))) {
      result.skipped += 1;
    } else {
      const replays = Number(letter.headers[DlqHeader.Replays] ?? '0') + 1;
      out.push({ topic: target, key: letter.key, value: letter.value, headers: { ...originalHeaders(letter.headers), [DlqHeader.Replays]: String(replays) } });
      result.byTopic[target] = (result.byTopic[target] ?? 0) + 1;
    }
    next = BigInt(raw.offset) + 1n;
  }
  if (next === null) return;
  await publisher.publish(out); // acknowledged before the replay's offset moves past these letters
  result.replayed += out.length;
  resolveOffset((next - 1n).toString());
  await commitOffsetsIfNecessary({ topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset: next.toString() }] }] });
  if (next >= end) remaining.delete(batch.partition);
}
