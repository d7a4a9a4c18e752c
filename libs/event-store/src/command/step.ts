// The commands of a process run for one command (a merge's two steps, erasing linked aggregates): each step's
// command id derives from the command's, so a retry of the command repeats every step idempotently.
import type { CommandMetadata } from '../metadata/metadata';
import { CRM_ID_NAMESPACE, uuidv5 } from '../metadata/uuid';

/** The envelope of step `step` of `command`: a derived command id, caused by the command, no expected revision. */
export function stepOf<C extends { metadata: CommandMetadata; expectedRevision?: unknown }>(
  command: C,
  step: string,
): Omit<C, 'expectedRevision' | 'metadata'> & { metadata: CommandMetadata } {
  const { expectedRevision: _basedOn, metadata, ...rest } = command;
  const { commandId } = metadata;
  return { ...rest, metadata: { ...metadata, commandId: uuidv5(`${commandId}/${step}`, CRM_ID_NAMESPACE), causationId: commandId } };
}
