// Runs customer commands against the (encrypting) event store: one stream per customer, the decider folded
// over it, idempotent by command id. Framework-free; the Nest module provides one instance.
import { commandHandler, readAggregate, type AggregateRead, type CommandMetadata, type CommandResult, type EventStore, type ExpectedRevision } from '@crm/event-store';
import { customerDecider, evolve, initialState, type CustomerCommand, type CustomerEvent, type CustomerState } from '../domain';
import { customerStream } from './customer-streams';

export type CustomerCommandResult = CommandResult<CustomerEvent, CustomerState>;

/** What comes with a command besides its data: its metadata, and the revision the caller based it on. */
export interface CommandEnvelope {
  metadata: CommandMetadata;
  /** From If-Match. Without it, a lost race is retried on the newer state (the caller named no state). */
  expectedRevision?: ExpectedRevision;
}

const RETRY_ON_CONFLICT = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50 };

export class CustomerCommands {
  private readonly handle = commandHandler(customerDecider);

  constructor(readonly store: EventStore) {}

  execute(command: CustomerCommand, { metadata, expectedRevision }: CommandEnvelope): Promise<CustomerCommandResult> {
    return this.handle(this.store, customerStream(command.data.customerId), command, {
      metadata,
      expectedRevision,
      retryOnConflict: expectedRevision === undefined ? RETRY_ON_CONFLICT : undefined,
      // A registration starts its stream: append without reading first (the usual path answers a retry).
      startsStream: command.type === 'RegisterCustomer',
    });
  }

  read(customerId: string): Promise<AggregateRead<CustomerState>> {
    return readAggregate<CustomerEvent, CustomerState>(this.store, customerStream(customerId), evolve, initialState);
  }
}
