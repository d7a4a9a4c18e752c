// Stops only what the global setup started.
import { teardownState } from './state';

export default async function globalTeardown(): Promise<void> {
  await teardownState.stop?.();
  teardownState.stop = undefined;
}
