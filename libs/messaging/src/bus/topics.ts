// Topics are created from the contracts' topic specs when missing; existing topics are left alone
// (changing partitions re-keys the partitioning, so that is an operator's decision, never automatic).
import type { Admin } from 'kafkajs';
import { silentLogger, type MessagingLogger } from '../internal/logger';
import { createKafka } from './kafka';
import type { BusConfig, TopicSpec } from './types';

export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

export async function ensureTopicsWithAdmin(admin: Admin, topics: TopicSpec[]): Promise<string[]> {
  if (topics.length === 0) return [];
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.name));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({
        topic: t.name,
        numPartitions: t.partitions,
        replicationFactor: t.replicationFactor ?? -1,
        configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  } catch (error) {
    // Another replica created them first: fine, as long as they exist now.
    const now = new Set(await admin.listTopics());
    if (!missing.every((t) => now.has(t.name))) throw error;
  }
  return missing.map((t) => t.name);
}

/** Creates the topics that do not exist yet; returns the names it created. */
export async function ensureTopics(
  bus: BusConfig,
  topics: TopicSpec[],
  logger: MessagingLogger = silentLogger,
): Promise<string[]> {
  const admin = createKafka(bus, logger).admin();
  await admin.connect();
  try {
    const created = await ensureTopicsWithAdmin(admin, topics);
    if (created.length > 0) logger.info({ topics: created }, 'created topics');
    return created;
  } finally {
    await admin.disconnect();
  }
}

/** Deletes the topics that exist (tools and benchmarks; services never delete topics). */
export async function deleteTopics(bus: BusConfig, topics: string[]): Promise<void> {
  const admin = createKafka(bus).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const names = topics.filter((t) => existing.has(t));
    if (names.length > 0) await admin.deleteTopics({ topics: names, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
