// Graceful drain through shutdownService, on a listening app with a slow request in flight.
import { ServiceUnavailableException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { captureLines, shutdownLog, TestAppModule, TestConfig, testEnv } from '../__fixtures__/test-app';
import { HealthController } from '../health/health.controller';
import { createServiceApp, InFlightRequests, ReadinessState, shutdownService } from '../index';

async function listeningApp(shutdownTimeoutMs: number): Promise<{ app: NestExpressApplication; url: string }> {
  const env = testEnv({ SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs) });
  const app = await createServiceApp(TestAppModule, { name: 'platform-test', config: TestConfig, env, logDestination: captureLines().stream });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition not met in 2 s');
}

describe('graceful shutdown', () => {
  beforeEach(() => {
    shutdownLog.length = 0;
  });

  it('reports not ready, refuses new connections, finishes the in-flight request, then closes', async () => {
    const { app, url } = await listeningApp(5_000);
    const slow = fetch(`${url}/customers/slow?ms=400`);
    await until(() => app.get(InFlightRequests).size === 1);

    const stopping = shutdownService(app);

    expect(app.get(ReadinessState).draining).toBe(true);
    await expect(app.get(HealthController).ready()).rejects.toThrow(ServiceUnavailableException);
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    const res = await slow;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ waited: 400 });
    await stopping;
    // Connections close (onModuleDestroy) only after the in-flight request is done.
    expect(shutdownLog).toEqual(['slow request done', 'connections closed']);
  });

  it('stops waiting for in-flight requests after SHUTDOWN_TIMEOUT_MS', async () => {
    const { app, url } = await listeningApp(200);
    const slow = fetch(`${url}/customers/slow?ms=1500`).then(
      (r) => r.status,
      () => 'aborted',
    );
    await until(() => app.get(InFlightRequests).size === 1);

    const started = Date.now();
    await shutdownService(app);

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await slow).toBe('aborted');
    expect(shutdownLog).toEqual(['connections closed']);
    await new Promise((resolve) => setTimeout(resolve, 1_400)); // let the abandoned handler end before jest does
  });
});
