// The scheduler's handler for reminder jobs: FireReminder on the activity's stream through the decider. The
// domain decides whether the reminder is still due; the command id makes a repeated fire append nothing.
import { commandHandler, type EventStore } from '@crm/event-store';
import type { JobHandler, SchedulerLogger } from '@crm/scheduler';
import { activityDecider, activityStream, SalesDomainError, type FireReminder } from '../domain';
import { ACTIVITY_REMINDER_JOB, fireReminderCommandId, parseReminderPayload } from './reminder-jobs';

/** The actor of the events the reminders runner appends. */
export const REMINDERS_ACTOR = 'sales-reminders';

/** A completion or reschedule racing the fire: read again and decide on the newer state. */
const RETRY_ON_CONFLICT = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 50 };

const fireReminder = commandHandler(activityDecider);

export interface FireReminderDeps {
  /** The decrypting sales event store (SALES_EVENT_STORE). */
  store: EventStore;
  logger: SchedulerLogger;
  /** The time the command is accepted at. Default: the process clock. */
  now?: () => Date;
}

export function fireReminderHandler({ store, logger, now = () => new Date() }: FireReminderDeps): JobHandler {
  return async (job) => {
    // Thrown, the job is retried and then marked failed: visible in the table and the failure metrics.
    if (job.kind !== ACTIVITY_REMINDER_JOB) throw new Error(`The reminders runner does not handle jobs of kind ${job.kind}`);
    const payload = parseReminderPayload(job.payload);
    const { activityId, remindAt } = payload;
    const at = now().toISOString();
    const command: FireReminder = { type: 'FireReminder', data: { activityId, remindAt, at } };
    const commandId = fireReminderCommandId(payload);
    try {
      const result = await fireReminder(store, activityStream(activityId), command, {
        metadata: { commandId, actor: REMINDERS_ACTOR, time: at },
        retryOnConflict: RETRY_ON_CONFLICT,
      });
      const fields = { activityId, remindAt, commandId, revision: result.nextExpectedRevision.toString() };
      if (result.alreadyHandled) logger.info(fields, 'reminder fired before; nothing appended');
      else if (result.newEvents.length > 0) logger.info(fields, 'reminder due');
      else logger.info(fields, 'reminder no longer due (rescheduled, completed, cancelled or fired); nothing appended');
    } catch (error) {
      // A refusal will not change on a retry (the activity stream is gone): the job is done, with a trace.
      if (!(error instanceof SalesDomainError)) throw error;
      logger.warn({ activityId, remindAt, commandId, code: error.code }, 'reminder refused by the activity; job dropped');
    }
  };
}
