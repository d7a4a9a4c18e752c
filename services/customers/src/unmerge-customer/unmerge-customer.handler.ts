// Unmerging A from its survivor B: RevertMerge on B (the step that can be refused), then Unmerge on A.
// Resumable: a retry after B was reverted but A not yet unmerged skips B and finishes A.
import { Injectable } from '@nestjs/common';
import { stepOf, WrongExpectedVersionError } from '@crm/event-store';
import type { ExpectedRevision } from '@crm/event-store';
import type { HttpCommand } from '@crm/platform';
import { CustomerCommands, type CustomerCommandResult } from '../infrastructure/customer-commands';
import { customerStream } from '../infrastructure/customer-streams';

export interface UnmergeOutcome {
  merged: CustomerCommandResult;
  survivorId?: string;
  survivor?: CustomerCommandResult;
}

@Injectable()
export class UnmergeCustomerHandler {
  constructor(private readonly commands: CustomerCommands) {}

  async unmerge(mergedId: string, command: HttpCommand): Promise<UnmergeOutcome> {
    const { at } = command;
    const unmerge = () => this.commands.execute({ type: 'Unmerge', data: { customerId: mergedId, at } }, stepOf(command, 'unmerge'));
    const a = await this.commands.read(mergedId);
    // Not merged: a replay of a finished unmerge (answered from its events), or the domain's refusal.
    if (a.state.status !== 'merged') {
      const merged = await unmerge();
      const event = merged.newEvents.find((e) => e.type === 'CustomerUnmerged');
      return event?.type === 'CustomerUnmerged' ? { merged, survivorId: event.data.survivorId } : { merged };
    }
    // If-Match names A's revision; checked here because B is written first.
    assertRevision(mergedId, command.expectedRevision, a.revision);

    const { survivorId } = a.state;
    const b = (await this.commands.read(survivorId)).state;
    const alreadyReverted = (b.status === 'active' || b.status === 'inactive') && !Object.hasOwn(b.absorbed, mergedId);
    const survivor = alreadyReverted
      ? undefined
      : await this.commands.execute({ type: 'RevertMerge', data: { customerId: survivorId, mergedId, at } }, stepOf(command, 'revert'));
    return { merged: await unmerge(), survivorId, ...(survivor === undefined ? {} : { survivor }) };
  }
}

function assertRevision(customerId: string, expected: ExpectedRevision | undefined, actual: bigint | 'no_stream'): void {
  if (expected === undefined || expected === 'any' || (expected === 'stream_exists' && actual !== 'no_stream') || expected === actual) return;
  throw new WrongExpectedVersionError(customerStream(customerId), expected, actual);
}
