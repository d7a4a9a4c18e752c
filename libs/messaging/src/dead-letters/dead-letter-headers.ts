// Headers added to a dead-lettered message, beside its original headers and key.
export const DlqHeader = {
  OriginalTopic: 'dlq_original_topic',
  OriginalPartition: 'dlq_original_partition',
  OriginalOffset: 'dlq_original_offset',
  ErrorMessage: 'dlq_error_message',
  ErrorClass: 'dlq_error_class',
  Attempts: 'dlq_attempts',
  FailedAt: 'dlq_failed_at',
  ConsumerGroup: 'dlq_consumer_group',
  /** Set on a replayed message: how many times it has been replayed from a DLQ. */
  Replays: 'dlq_replays',
} as const;

const MAX_ERROR_MESSAGE = 2_000;

export function deadLetterHeaders(input: {
  topic: string;
  partition: number;
  offset: string;
  error: unknown;
  attempts: number;
  groupId: string;
  failedAt?: Date;
}): Record<string, string> {
  const error = input.error instanceof Error ? input.error : new Error(String(input.error));
  return {
    [DlqHeader.OriginalTopic]: input.topic,
    [DlqHeader.OriginalPartition]: String(input.partition),
    [DlqHeader.OriginalOffset]: input.offset,
    [DlqHeader.ErrorMessage]: error.message.slice(0, MAX_ERROR_MESSAGE),
    [DlqHeader.ErrorClass]: error.name || error.constructor.name,
    [DlqHeader.Attempts]: String(input.attempts),
    [DlqHeader.FailedAt]: (input.failedAt ?? new Date()).toISOString(),
    [DlqHeader.ConsumerGroup]: input.groupId,
  };
}

/** The original headers of a dead letter: every header except ours. */
export function originalHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('dlq_') || name === DlqHeader.Replays));
}
