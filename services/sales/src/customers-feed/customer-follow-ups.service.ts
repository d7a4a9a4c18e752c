// The follow-up worker in the service: its table made at module init (before the projection and the feed start),
// polling once the conversion_links projection it reads has started, stopped in beforeApplicationShutdown (before
// the pool closes); backlog and passes in metrics.
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { METRICS_REGISTRY, PlatformLogger } from '@crm/platform';
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { ConversionLinksRunner } from '../conversion/conversion-links.runner';
import { sagaSettings } from '../conversion/saga-settings';
import { SalesCommands } from '../infrastructure/sales-commands';
import { SALES_POOL } from '../infrastructure/tokens';
import { SalesConfig } from '../sales.config';
import { ensureFollowUpsTable, followUpBacklog } from './customer-follow-ups';
import { CustomerFollowUpsWorker } from './customer-follow-ups.worker';

@Injectable()
export class CustomerFollowUpsService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly worker: CustomerFollowUpsWorker;
  private nudge: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(SALES_POOL) private readonly pool: Pool,
    private readonly links: ConversionLinksRunner,
    sales: SalesCommands,
    config: SalesConfig,
    @Inject(METRICS_REGISTRY) registry: Registry,
    loggers: PlatformLogger,
  ) {
    const passes = new Counter({
      name: 'crm_sales_customer_follow_ups_total',
      help: 'Passes over customer merges and erasures by kind and result: done, refused (some aggregate said no), failed (retried later).',
      labelNames: ['kind', 'result'],
      registers: [registry],
    });
    this.worker = new CustomerFollowUpsWorker({
      pool,
      sales,
      log: loggers.forContext('CustomerFollowUpsWorker'),
      idleDelayMs: sagaSettings(config).followUpPollMs,
      onPass: (followUp, outcomes) => {
        const result = outcomes instanceof Error ? 'failed' : outcomes.some((o) => o.outcome === 'refused') ? 'refused' : 'done';
        passes.inc({ kind: followUp.kind, result });
      },
    });
    const backlog = (name: string, help: string, value: (b: Awaited<ReturnType<typeof followUpBacklog>>) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        // A scrape while the database is away keeps the last value rather than failing /metrics.
        async collect() {
          const backlog = await followUpBacklog(pool).catch(() => undefined);
          if (backlog !== undefined) this.set(value(backlog));
        },
      });
    backlog('crm_sales_customer_follow_ups_pending', 'Customer merges and erasures whose opportunities or leads are still to move or erase.', (b) => b.pending);
    backlog('crm_sales_customer_follow_ups_oldest_due_seconds', 'How long the oldest pending customer follow-up has been due; alert when it grows.', (b) => b.oldestDueSeconds);
  }

  async onModuleInit(): Promise<void> {
    await ensureFollowUpsTable(this.pool);
  }

  /** Not awaited: Nest may run the bootstrap hooks of one module together, and the projection's start comes first. */
  onApplicationBootstrap(): void {
    void this.links.started.then(() => {
      if (!this.stopped) this.worker.start();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.nudge);
    await this.worker.stop();
  }

  /** After the feed raised a follow-up in a transaction about to commit: poll shortly rather than at the next idle tick. */
  nudgeSoon(): void {
    clearTimeout(this.nudge);
    this.nudge = setTimeout(() => this.worker.nudge(), 50);
    this.nudge.unref();
  }
}
