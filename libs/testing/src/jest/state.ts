// Shared between global setup and teardown (both run in jest's parent process).
export const teardownState: { stop?: () => Promise<void> } = (globalThis as { __crmTeardown?: { stop?: () => Promise<void> } }).__crmTeardown ??= {};
