// Runs the conversion process's commands (domain/conversion) for one incoming crm.customers.v1 event. Each
// command's id derives from that event's id and the aggregate it addresses, so a redelivered event, or a follow-up
// pass repeated after a crash, finds its events already in the stream and appends nothing.
import { commandIdFor, type CommandMetadata } from '@crm/event-store';
import { SalesDomainError, type ConversionCommand } from '../domain';
import type { SalesCommands } from '../infrastructure/sales-commands';

/** Who the events' metadata names as acting: the sales side of the conversion saga. */
export const CONVERSION_SAGA_ACTOR = 'conversion-saga';

/** The customers event a command answers: its id, its correlation, and its time (the commands' `at`). */
export interface SagaCause {
  eventId: string;
  correlationId: string;
  at: string;
}

export type CommandOutcome =
  | { outcome: 'appended' | 'unchanged'; command: ConversionCommand['type']; id: string }
  /** The aggregate refuses it (a state, not a fault of the message): logged and counted, not retried. */
  | { outcome: 'refused'; command: ConversionCommand['type']; id: string; code: string };

export function sagaMetadata(cause: SagaCause, step: string): CommandMetadata {
  return {
    commandId: commandIdFor(cause.eventId, step),
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    actor: CONVERSION_SAGA_ACTOR,
    time: cause.at,
  };
}

/** Runs the commands in order; anything but a domain refusal (store or database down) throws, to be retried. */
export async function runConversionCommands(sales: SalesCommands, commands: readonly ConversionCommand[], cause: SagaCause): Promise<CommandOutcome[]> {
  const outcomes: CommandOutcome[] = [];
  for (const command of commands) outcomes.push(await runOne(sales, command, cause));
  return outcomes;
}

async function runOne(sales: SalesCommands, command: ConversionCommand, cause: SagaCause): Promise<CommandOutcome> {
  const id = aggregateIdOf(command);
  const envelope = { metadata: sagaMetadata(cause, `${command.type}:${id}`) };
  try {
    let result: { newEvents: readonly unknown[]; alreadyHandled: boolean };
    switch (command.type) {
      case 'LinkLeadCustomer':
      case 'EraseLeadContact':
        result = await sales.lead(command, envelope);
        break;
      case 'LinkCustomer':
      case 'MoveToSurvivor':
        result = await sales.opportunity(command, envelope);
        break;
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
    const appended = !result.alreadyHandled && result.newEvents.length > 0;
    return { outcome: appended ? 'appended' : 'unchanged', command: command.type, id };
  } catch (error) {
    if (error instanceof SalesDomainError) return { outcome: 'refused', command: command.type, id, code: error.code };
    throw error;
  }
}

function aggregateIdOf(command: ConversionCommand): string {
  switch (command.type) {
    case 'LinkLeadCustomer':
    case 'EraseLeadContact':
      return command.data.leadId;
    case 'LinkCustomer':
    case 'MoveToSurvivor':
      return command.data.opportunityId;
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}
