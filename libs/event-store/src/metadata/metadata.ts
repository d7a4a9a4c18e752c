// What every event carries besides its data: who and what caused it, when, and the shape of its data.
import type { EventMetadata, JsonObject } from '../types';
import { commandIdFor } from './uuid';

/** The envelope of a command, set at the edge (HTTP, a consumer, a process manager). */
export interface CommandMetadata {
  /** Chosen by the client or the edge; a retry of the same command reuses it (see handleCommand). */
  commandId: string;
  /** Defaults to the command id: the command starts a new conversation. */
  correlationId?: string;
  /** Defaults to the command id: the command caused the events. */
  causationId?: string;
  actor: string;
  /** ISO-8601 time at which the command was accepted. */
  time: string;
}

/** The metadata written with events decided for a command: the port's EventMetadata plus the command id. */
export interface CommandEventMetadata extends EventMetadata {
  commandId: string;
}

export class InvalidEventMetadataError extends Error {
  override readonly name = 'InvalidEventMetadataError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid event metadata: ${problems.join('; ')}`);
  }
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value));
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

/** The problems of a metadata object read back from the store; empty when it is valid. */
export function metadataProblems(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return ['metadata is not an object'];
  const m = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of ['correlationId', 'causationId', 'actor'] as const) {
    if (!nonEmpty(m[field])) problems.push(`${field} must be a non-empty string`);
  }
  if (!isIsoTime(m['time'])) problems.push('time must be an ISO-8601 date-time with a zone');
  if (!isSchemaVersion(m['schemaVersion'])) problems.push('schemaVersion must be a positive integer');
  if (m['commandId'] !== undefined && !nonEmpty(m['commandId'])) problems.push('commandId must be a non-empty string');
  return problems;
}

/** Validates metadata read back from the store (a consumer, a projection, a relay). */
export function parseMetadata(raw: unknown): EventMetadata {
  const problems = metadataProblems(raw);
  if (problems.length > 0) throw new InvalidEventMetadataError(problems);
  return raw as EventMetadata;
}

function isSchemaVersion(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

/** The schema version of stored metadata; events written before versioning existed count as version 1. */
export function schemaVersionOf(metadata: JsonObject | undefined): number {
  const version = metadata?.['schemaVersion'];
  if (version === undefined) return 1;
  if (!isSchemaVersion(version)) throw new InvalidEventMetadataError([`schemaVersion must be a positive integer, got ${JSON.stringify(version)}`]);
  return version;
}

/** The metadata of one event decided for a command. Throws InvalidEventMetadataError on a bad envelope. */
export function buildMetadata(command: CommandMetadata, schemaVersion = 1): CommandEventMetadata {
  const metadata: CommandEventMetadata = {
    correlationId: command.correlationId ?? command.commandId,
    causationId: command.causationId ?? command.commandId,
    actor: command.actor,
    time: command.time,
    schemaVersion,
    commandId: command.commandId,
  };
  const problems = metadataProblems(metadata);
  if (!nonEmpty(command.commandId)) problems.unshift('commandId must be a non-empty string');
  if (problems.length > 0) throw new InvalidEventMetadataError(problems);
  return metadata;
}

/**
 * The envelope of a command that a process manager sends because of an event: the correlation id is
 * carried over, the causation id is the event's id, and the command id is derived from the event id
 * (and `key`, when one event leads to several commands), so that a redelivered event sends a command
 * the handler recognises as already handled. The time defaults to the event's, which keeps replays
 * deterministic.
 */
export function causedBy(
  event: { id: string; metadata: JsonObject; created?: Date },
  actor: string,
  options: { key?: string; time?: string } = {},
): Required<CommandMetadata> {
  const correlationId = event.metadata['correlationId'];
  const eventTime = event.metadata['time'];
  const time = options.time ?? (isIsoTime(eventTime) ? eventTime : event.created?.toISOString());
  if (time === undefined) throw new InvalidEventMetadataError([`event ${event.id} has no time; pass options.time`]);
  return {
    commandId: commandIdFor(event.id, options.key),
    correlationId: nonEmpty(correlationId) ? correlationId : event.id,
    causationId: event.id,
    actor,
    time,
  };
}
