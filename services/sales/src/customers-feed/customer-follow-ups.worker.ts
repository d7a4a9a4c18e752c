// Does what merges and erasures of customers ask of the sales aggregates, from the durable follow-ups the feed and
// the projection raise (customer-follow-ups.ts): MoveToSurvivor for each opportunity of a merged customer,
// EraseLeadContact (which destroys the lead's data key) for each lead of an erased one. Polls for due follow-ups;
// replicas share the work by leases; a failed pass is retried with back-off. Framework-free.
import type { Logger } from '@crm/platform';
import type { Pool } from 'pg';
import { onCustomerErased, onCustomerMerged, type ConversionCommand } from '../domain';
import { runConversionCommands, type CommandOutcome } from '../conversion/conversion-commands';
import { CONVERSION_LINK_VIEWS } from '../conversion/conversion-links.projection';
import type { SalesCommands } from '../infrastructure/sales-commands';
import { claimFollowUps, postponeFollowUp, settleFollowUp, type CustomerFollowUp } from './customer-follow-ups';

export interface FollowUpWorkerOptions {
  pool: Pool;
  sales: SalesCommands;
  log: Logger;
  /** Pause between polls while nothing is due. Default 500 ms. */
  idleDelayMs?: number;
  /** How long a claimed follow-up is another replica's to leave alone. Default 60 s. */
  leaseMs?: number;
  /** Follow-ups taken per poll. Default 20. */
  batchSize?: number;
  onPass?: (followUp: CustomerFollowUp, outcomes: readonly CommandOutcome[] | Error) => void;
}

export class CustomerFollowUpsWorker {
  private running: Promise<void> | undefined;
  private stopSignal = new AbortController();
  private wake: (() => void) | undefined;

  constructor(private readonly options: FollowUpWorkerOptions) {}

  start(): void {
    if (this.running) return;
    this.stopSignal = new AbortController();
    this.running = this.loop();
  }

  /** Finishes the follow-up in hand (its commands are idempotent either way) and stops polling. */
  async stop(): Promise<void> {
    this.stopSignal.abort();
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /** Poll now instead of after the idle delay (e.g. after the feed raised a follow-up). */
  nudge(): void {
    this.wake?.();
  }

  /** Claims and does every due follow-up once; returns how many it took. */
  async runOnce(): Promise<number> {
    const { pool, batchSize = 20, leaseMs = 60_000 } = this.options;
    const due = await claimFollowUps(pool, batchSize, leaseMs);
    for (const followUp of due) {
      if (this.stopSignal.signal.aborted) break; // the lease runs out and another replica (or the next start) takes it
      await this.process(followUp);
    }
    return due.length;
  }

  private async loop(): Promise<void> {
    let failures = 0;
    while (!this.stopSignal.signal.aborted) {
      let taken = 0;
      try {
        taken = await this.runOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.log.error({ err: error, failures }, 'customer follow-ups could not be polled (database unreachable?)');
      }
      if (taken === 0) await this.pause(failures > 0 ? Math.min(30_000, 500 * 2 ** failures) : (this.options.idleDelayMs ?? 500));
    }
  }

  private async process(followUp: CustomerFollowUp): Promise<void> {
    const { pool, sales, log } = this.options;
    const fields = { customerId: followUp.customerId, kind: followUp.kind, eventId: followUp.eventId, attempt: followUp.attempts };
    try {
      const commands = await this.commandsFor(followUp);
      const outcomes = await runConversionCommands(sales, commands, followUp);
      await settleFollowUp(pool, followUp);
      const refused = outcomes.filter((o) => o.outcome === 'refused');
      if (refused.length > 0) log.warn({ ...fields, refused: refused.map((o) => `${o.command}:${o.id}`) }, 'customer follow-up: some aggregates refused');
      else if (outcomes.length > 0) log.info({ ...fields, commands: outcomes.length }, 'customer follow-up done');
      this.options.onPass?.(followUp, outcomes);
    } catch (error) {
      const delayMs = Math.min(300_000, 1_000 * 2 ** Math.min(followUp.attempts, 9));
      log.error({ ...fields, err: error, retryInMs: delayMs }, 'customer follow-up failed; retrying later');
      await postponeFollowUp(pool, followUp, delayMs, error instanceof Error ? error.message : String(error)).catch(() => undefined);
      this.options.onPass?.(followUp, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private async commandsFor(followUp: CustomerFollowUp): Promise<ConversionCommand[]> {
    const { customerId, kind, survivorId, at } = followUp;
    const { pool } = this.options;
    if (kind === 'merge') {
      if (survivorId === null) return [];
      const { rows } = await pool.query<{ id: string }>(
        `SELECT opportunity_id AS id FROM ${CONVERSION_LINK_VIEWS.opportunityCustomers} WHERE customer_id = $1 ORDER BY opportunity_id`,
        [customerId],
      );
      return onCustomerMerged({ customerId, survivorId }, at, rows.map((r) => r.id));
    }
    // Linked to the customer, or converted to it and still waiting for the link: either way that person's data.
    const { rows } = await pool.query<{ id: string }>(
      `SELECT lead_id AS id FROM ${CONVERSION_LINK_VIEWS.convertedLeads}
       WHERE (customer_id = $1 OR (customer_id IS NULL AND requested_customer_id = $1)) AND erased_at IS NULL ORDER BY lead_id`,
      [customerId],
    );
    return onCustomerErased({ customerId }, at, rows.map((r) => r.id));
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const signal = this.stopSignal.signal;
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      this.wake = done;
      signal.addEventListener('abort', done);
    });
  }
}
