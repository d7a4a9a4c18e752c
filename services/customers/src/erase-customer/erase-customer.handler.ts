// Erasure (GDPR) by crypto-shredding, docs/decisions/0011: append CustomerErased, then destroy the data key; then
// the same for every linked customer (the same person's other streams, named by the event). The event comes
// first, so a crash in between leaves an erased customer whose key still exists, never a live customer
// without a key; a retry finds the stream erased, reads the linked ids from its CustomerErased event and
// destroys whatever keys are left. Every step is idempotent.
import { Inject, Injectable } from '@nestjs/common';
import { DataKeyring, stepOf, type EventStore } from '@crm/event-store';
import { PlatformLogger, type HttpCommand, type Logger } from '@crm/platform';
import { CustomerNotFoundError, type CustomerErased, type ErasureReason } from '../domain';
import { CustomerCommands, type CustomerCommandResult } from '../infrastructure/customer-commands';
import { customerStream } from '../infrastructure/customer-streams';
import { STORED_EVENT_STORE } from '../infrastructure/tokens';

export interface ErasureOutcome {
  result: CustomerCommandResult;
  /** The customer and every linked customer now erased, keys destroyed. */
  erasedCustomerIds: string[];
}

@Injectable()
export class EraseCustomerHandler {
  private readonly log: Logger;

  constructor(
    private readonly commands: CustomerCommands,
    private readonly keys: DataKeyring,
    @Inject(STORED_EVENT_STORE) private readonly stored: EventStore,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext(EraseCustomerHandler.name);
  }

  async erase(customerId: string, reason: ErasureReason, requestedBy: string, command: HttpCommand): Promise<ErasureOutcome> {
    const erase = (id: string) => ({ type: 'EraseCustomer' as const, data: { customerId: id, reason, requestedBy, at: command.at } });
    const result = await this.commands.execute(erase(customerId), command);
    const erased: string[] = [];
    const pending = [customerId];
    while (pending.length > 0) {
      const id = pending.shift() ?? '';
      if (erased.includes(id)) continue;
      if (id !== customerId) {
        try {
          await this.commands.execute(erase(id), stepOf(command, `erase-linked:${id}`));
        } catch (error) {
          if (!(error instanceof CustomerNotFoundError)) throw error;
          continue; // a linked id with no stream: nothing to erase
        }
      }
      const linked = await this.linkedCustomerIds(id);
      await this.keys.destroy(id);
      erased.push(id);
      pending.push(...linked.filter((other) => !erased.includes(other)));
    }
    this.log.info({ customerId, erasedCustomerIds: erased, reason }, 'customer erased, data keys destroyed');
    return { result, erasedCustomerIds: erased };
  }

  /** From the stream's CustomerErased event (the last one, normally): read backwards, nothing decrypted. */
  private async linkedCustomerIds(customerId: string): Promise<readonly string[]> {
    for await (const event of this.stored.readStream(customerStream(customerId), { direction: 'backwards', fromRevision: 'end' })) {
      if (event.type === 'CustomerErased') return (event.data as unknown as CustomerErased['data']).linkedCustomerIds;
    }
    throw new Error(`Customer ${customerId} has no CustomerErased event after its erasure`);
  }
}
