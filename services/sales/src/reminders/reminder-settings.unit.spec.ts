// The reminders' knobs: typed values from a config class that declares them, strings from one that does not
// validate them, and the defaults for anything absent or out of range.
import { REMINDER_DEFAULTS, reminderSettingsOf } from './reminder-settings';

describe('reminder settings', () => {
  it('given a config without the variables, uses the defaults', () => {
    expect(reminderSettingsOf({ SERVICE_NAME: 'sales' })).toEqual({ enabled: true, pollIntervalMs: 1_000, batchSize: 20, maxAttempts: 10 });
  });

  it('given declared, typed values, uses them', () => {
    const config = { REMINDERS_ENABLED: false, REMINDER_POLL_INTERVAL_MS: 250, REMINDER_BATCH_SIZE: 50, REMINDER_MAX_ATTEMPTS: 3 };
    expect(reminderSettingsOf(config)).toEqual({ enabled: false, pollIntervalMs: 250, batchSize: 50, maxAttempts: 3 });
  });

  it('given strings, reads them as the environment would', () => {
    expect(reminderSettingsOf({ REMINDERS_ENABLED: 'no', REMINDER_POLL_INTERVAL_MS: '500' })).toMatchObject({ enabled: false, pollIntervalMs: 500 });
  });

  it('given values out of range or of the wrong shape, falls back to the defaults', () => {
    const config = { REMINDERS_ENABLED: 'maybe', REMINDER_POLL_INTERVAL_MS: 5, REMINDER_BATCH_SIZE: '2.5', REMINDER_MAX_ATTEMPTS: 'ten' };
    expect(reminderSettingsOf(config)).toEqual(REMINDER_DEFAULTS);
  });
});
