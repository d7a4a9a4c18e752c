// SIGTERM: readiness down, drain HTTP, then Nest's hooks (onModuleDestroy, onApplicationShutdown)
// close connections and commit checkpoints, then exit 0. Nest's enableShutdownHooks() is not used:
// it runs onModuleDestroy before the server stops taking requests and re-raises the signal (exit 143).
import type { INestApplication } from '@nestjs/common';
import type { BaseServiceConfig } from '../config/service-config';
import { ReadinessState } from '../health/health-registry';
import { PlatformLogger } from '../logging/logger';
import { SERVICE_CONFIG } from '../tokens';
import { drainHttpServer, InFlightRequests } from './drain';

export async function shutdownService(app: INestApplication, signal = 'SIGTERM'): Promise<void> {
  const config = app.get<BaseServiceConfig>(SERVICE_CONFIG);
  const log = app.get(PlatformLogger).forContext('Shutdown');
  const inFlight = app.get(InFlightRequests);
  app.get(ReadinessState).markDraining();
  log.info({ signal, inFlight: inFlight.size, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'draining');
  const { timedOut, abandoned } = await drainHttpServer(app.getHttpServer(), inFlight, config.SHUTDOWN_TIMEOUT_MS);
  if (timedOut) log.warn({ abandoned }, 'in-flight requests outlived the shutdown timeout');
  await app.close();
  log.info({ signal }, 'stopped');
}

export interface ShutdownHandlerOptions {
  signals?: NodeJS.Signals[];
  /** Injectable for tests; the real path is process.exit. */
  exit?: (code: number) => void;
}

/** Installs the signal handlers; returns a function that removes them. */
export function installShutdownHandlers(app: INestApplication, options: ShutdownHandlerOptions = {}): () => void {
  const { signals = ['SIGTERM', 'SIGINT'], exit = process.exit } = options;
  const config = app.get<BaseServiceConfig>(SERVICE_CONFIG);
  const log = app.get(PlatformLogger).forContext('Shutdown');
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return; // a second signal must not kill the drain half-way
    stopping = true;
    // Hooks that hang must not keep the pod in Terminating until the kubelet kills it.
    setTimeout(() => {
      log.fatal('shutdown hooks did not finish in time');
      exit(1);
    }, 2 * config.SHUTDOWN_TIMEOUT_MS + 5_000).unref();
    shutdownService(app, signal).then(
      () => exit(0),
      (err: unknown) => {
        log.fatal({ err }, 'shutdown failed');
        exit(1);
      },
    );
  };
  signals.forEach((signal) => process.on(signal, onSignal));
  return () => signals.forEach((signal) => process.off(signal, onSignal));
}
