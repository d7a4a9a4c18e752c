// The reminders' knobs, read from the service config with safe defaults: SalesConfig (owned by the app) may not
// declare them yet, and a declared one arrives already validated and typed.
export interface ReminderSettings {
  /** REMINDERS_ENABLED: run the jobs projection and fire reminders in this process. Default true. */
  enabled: boolean;
  /** REMINDER_POLL_INTERVAL_MS: longest sleep between scheduler passes; bounds how late a reminder fires. Default 1000. */
  pollIntervalMs: number;
  /** REMINDER_BATCH_SIZE: jobs claimed per transaction. Default 20. */
  batchSize: number;
  /** REMINDER_MAX_ATTEMPTS: failed fires before a job is marked failed. Default 10. */
  maxAttempts: number;
}

export const REMINDER_DEFAULTS: ReminderSettings = { enabled: true, pollIntervalMs: 1_000, batchSize: 20, maxAttempts: 10 };

const LIMITS = {
  pollIntervalMs: { min: 50, max: 60_000 },
  batchSize: { min: 1, max: 500 },
  maxAttempts: { min: 1, max: 100 },
} as const;

/** The settings in `config`, each falling back to its default when absent or out of range. */
export function reminderSettingsOf(config: object): ReminderSettings {
  const values = config as Record<string, unknown>;
  return {
    // RUN_BACKGROUND_WORK=false (an API-only process) turns the reminders off with the rest of the background work.
    enabled: values['RUN_BACKGROUND_WORK'] !== false && flag(values['REMINDERS_ENABLED'], REMINDER_DEFAULTS.enabled),
    pollIntervalMs: integer(values['REMINDER_POLL_INTERVAL_MS'], 'pollIntervalMs'),
    batchSize: integer(values['REMINDER_BATCH_SIZE'], 'batchSize'),
    maxAttempts: integer(values['REMINDER_MAX_ATTEMPTS'], 'maxAttempts'),
  };
}

function flag(value: unknown, fallback: boolean): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return fallback;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(text)) return true;
  if (['false', '0', 'no'].includes(text)) return false;
  return fallback;
}

function integer(value: unknown, name: keyof typeof LIMITS): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  const { min, max } = LIMITS[name];
  return typeof number === 'number' && Number.isInteger(number) && number >= min && number <= max ? number : REMINDER_DEFAULTS[name];
}
