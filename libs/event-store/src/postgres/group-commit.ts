// Group commit: appends that arrive while earlier ones are being written go to PostgreSQL together, in one
// statement and one transaction, as EventStoreDB's storage writer flushes its queue in batches. An idle store
// writes an append at once (no added latency); under concurrency the transactions, round trips and WAL flushes
// per append fall with the batch size. Each append keeps its own outcome: append_to_stream returns a status for a
// conflict or a deleted stream instead of raising, so one append's refusal does not touch its neighbours. Should
// the batch statement fail as a whole (an error raised for one append, a deadlock with another writer, a lost
// connection), every append in it is written again on its own and gets its own answer.
import { MicroBatcher, type BatchServer, type MicroBatcherOptions } from '../batching/micro-batcher';
import type { StatusRow } from './queries';

export interface PendingAppend {
  readonly stream: string;
  /** Encoded expected revision (see EXPECTED). */
  readonly expected: bigint;
  /** The events as the JSON array append_to_stream takes. */
  readonly events: string;
}

export type GroupCommitOptions = Pick<MicroBatcherOptions<PendingAppend>, 'maxInFlight' | 'maxBatch'>;

export type AppendWriter = BatchServer<PendingAppend, StatusRow>;

/**
 * Stream rows are locked in one order (by stream name, appends to one stream in their order), so that two
 * batches, here or in another replica, do not deadlock on each other.
 */
export class GroupCommitter extends MicroBatcher<PendingAppend, StatusRow> {
  constructor(writer: AppendWriter, options: GroupCommitOptions = {}) {
    super(writer, { ...options, order: (a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0) });
  }
}
