// The Nest wiring of ReminderModules over stand-ins for the app's global providers: reminders run from bootstrap
// to shutdown, count into the service registry, and stay off when REMINDERS_ENABLED is false.
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createRootLogger, METRICS_REGISTRY, PlatformLogger, SERVICE_CONFIG } from '@crm/platform';
import { waitFor } from '@crm/testing';
import { Registry } from 'prom-client';
import { SALES_EVENT_STORE, SALES_POOL } from '../infrastructure/tokens';
import { ReminderModules } from '../reminders.modules';
import { inMs, startRemindersKit, type RemindersKit } from './__fixtures__/reminders-kit';
import { ActivityRemindersService } from './activity-reminders.service';

let kit: RemindersKit;
beforeAll(async () => {
  kit = await startRemindersKit('reminders_module');
});
afterAll(() => kit?.close());

/** The reminders' modules beside a global module providing what SalesInfrastructureModule and the platform do. */
async function startContext(config: Record<string, unknown>, registry: Registry): Promise<INestApplicationContext> {
  @Global()
  @Module({
    providers: [
      { provide: SALES_POOL, useValue: kit.db.pool },
      { provide: SALES_EVENT_STORE, useValue: kit.store },
      { provide: SERVICE_CONFIG, useValue: { SERVICE_NAME: 'sales', ...config } },
      { provide: METRICS_REGISTRY, useValue: registry },
      { provide: PlatformLogger, useValue: new PlatformLogger(createRootLogger({ service: 'sales', level: 'silent' })) },
    ],
    exports: [SALES_POOL, SALES_EVENT_STORE, SERVICE_CONFIG, METRICS_REGISTRY, PlatformLogger],
  })
  class StandInInfrastructure {}

  @Module({ imports: [StandInInfrastructure, ...ReminderModules] })
  class TestApp {}

  const app = await NestFactory.createApplicationContext(TestApp, { logger: false });
  await app.init();
  return app;
}

describe('ReminderModules', () => {
  it('starts the reminders after bootstrap, counts fires in the service registry, and stops them on close', async () => {
    const registry = new Registry();
    const app = await startContext({ REMINDER_POLL_INTERVAL_MS: 100 }, registry);
    const service = app.get(ActivityRemindersService);
    expect(service.settings).toMatchObject({ enabled: true, pollIntervalMs: 100 });
    try {
      const activityId = await kit.activities.schedule({ remindAt: inMs(300) });
      await waitFor(async () => (await kit.reminderDues(activityId)).length === 1, { description: 'the reminder' });
      const fired = await waitFor(async () => (await registry.getSingleMetric('crm_scheduler_jobs_fired_total')?.get())?.values[0], {
        description: 'the fired counter',
      });
      expect(fired).toMatchObject({ labels: { scheduler: 'sales', kind: 'sales.activity.reminder' }, value: 1 });
      expect((await service.projectionLag())[0]).toMatchObject({ name: 'sales_activity_reminders', live: { lagEvents: 0 } });
    } finally {
      await app.close();
    }
    expect(service.reminders.scheduler.status().running).toBe(false);
    expect(service.reminders.projection.status().state).toBe('stopped');
  });

  it('runs nothing when REMINDERS_ENABLED is false', async () => {
    const app = await startContext({ REMINDERS_ENABLED: false }, new Registry());
    const service = app.get(ActivityRemindersService);
    try {
      expect(service.settings.enabled).toBe(false);
      expect(service.reminders.scheduler.status()).toMatchObject({ running: false, passes: 0 });
      expect(service.reminders.projection.status().state).toBe('idle');
      expect(await service.projectionLag()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
