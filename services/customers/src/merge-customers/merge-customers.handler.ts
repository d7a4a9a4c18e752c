// Merging A into B: MarkMergedInto on A (A is frozen), then AbsorbMerge on B with A's snapshot; if B refuses,
// A is unmerged again. Each step's command id derives from the request's, so a retry with the same
// Idempotency-Key (or any retry: both steps are idempotent in the decider) completes a merge that stopped half-way.
import { Injectable } from '@nestjs/common';
import { stepOf } from '@crm/event-store';
import { ConflictError, type HttpCommand } from '@crm/platform';
import { activeCustomer, CustomerDomainError, mergeSnapshotOf, type MergeChoices, type MergedCustomer } from '../domain';
import { CustomerCommands, type CustomerCommandResult } from '../infrastructure/customer-commands';

export interface MergeOutcome {
  merged: CustomerCommandResult;
  survivor: CustomerCommandResult;
}

@Injectable()
export class MergeCustomersHandler {
  constructor(private readonly commands: CustomerCommands) {}

  async merge(mergedId: string, survivorId: string, fieldChoices: Partial<MergeChoices>, command: HttpCommand): Promise<MergeOutcome> {
    const { at } = command;
    // What B would refuse, refused before A is frozen (B is checked again by its own command).
    if (mergedId !== survivorId) activeCustomer((await this.commands.read(survivorId)).state, survivorId);

    const markStep = { ...stepOf(command, 'mark-merged'), expectedRevision: command.expectedRevision };
    const merged = await this.commands.execute({ type: 'MarkMergedInto', data: { customerId: mergedId, survivorId, at } }, markStep);
    const snapshot = mergeSnapshotOf(await this.stillMergedInto(merged, mergedId, survivorId));

    try {
      const absorb = { type: 'AbsorbMerge' as const, data: { customerId: survivorId, merged: snapshot, fieldChoices, at } };
      const survivor = await this.commands.execute(absorb, stepOf(command, 'absorb'));
      return { merged, survivor };
    } catch (error) {
      if (error instanceof CustomerDomainError) {
        await this.commands.execute({ type: 'Unmerge', data: { customerId: mergedId, at } }, stepOf(command, 'undo-mark'));
      }
      throw error;
    }
  }

  /** A's merged state; a replayed merge whose A was unmerged since (it failed, or was undone) does not go on. */
  private async stillMergedInto(marked: CustomerCommandResult, mergedId: string, survivorId: string): Promise<MergedCustomer> {
    const state = marked.alreadyHandled ? (await this.commands.read(mergedId)).state : marked.newState;
    if (state.status === 'merged' && state.survivorId === survivorId) return state;
    throw new ConflictError('MERGE_UNDONE', `The merge of ${mergedId} into ${survivorId} with this Idempotency-Key was undone; use a new key to merge again`, {
      customerId: mergedId,
      survivorId,
    });
  }
}
