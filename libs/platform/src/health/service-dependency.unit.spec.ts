// A service's connection under Nest: its readiness check registered at init, and closed (check removed) once the
// application has shut down, after the modules that use it have stopped.
import { Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { PlatformLogger } from '../logging/logger';
import { HealthRegistry } from './health-registry';
import { serviceDependencyLifecycle, type ServiceDependency } from './service-dependency';

const CONNECTIONS = Symbol('CONNECTIONS');
const calls: string[] = [];

const connections: ServiceDependency = {
  probe: async () => ({ kind: 'postgres' }),
  close: async () => void calls.push('connections closed'),
};

@Injectable()
class ReadSide implements OnModuleDestroy {
  onModuleDestroy(): void {
    calls.push('read side stopped');
  }
}

@Module({
  providers: [
    { provide: HealthRegistry, useValue: new HealthRegistry() },
    { provide: PlatformLogger, useValue: new PlatformLogger(pino({ level: 'silent' })) },
    { provide: CONNECTIONS, useValue: connections },
    serviceDependencyLifecycle(CONNECTIONS, { healthCheck: 'event-store', logContext: 'TestInfrastructure' }),
    ReadSide,
  ],
})
class TestModule {}

describe('serviceDependencyLifecycle', () => {
  it('registers the readiness check at init and closes the connection after the other modules stopped', async () => {
    const app = await NestFactory.createApplicationContext(TestModule, { logger: false });
    const health = app.get(HealthRegistry);
    expect(await health.run('event-store')).toEqual({ name: 'event-store', up: true, details: { kind: 'postgres' } });

    await app.close();
    expect(calls).toEqual(['read side stopped', 'connections closed']);
    expect(health.names()).not.toContain('event-store');
  });
});
