// Liveness answers for the process alone; readiness for the dependencies it needs to serve.
import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService, type HealthCheckResult, type HealthIndicatorResult } from '@nestjs/terminus';
import { PlatformLogger, type Logger } from '../logging/logger';
import { HealthRegistry, ReadinessState } from './health-registry';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly log: Logger;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly registry: HealthRegistry,
    private readonly readiness: ReadinessState,
    loggers: PlatformLogger,
  ) {
    this.log = loggers.forContext(HealthController.name);
  }

  @Get('live')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.accepting(), ...this.registry.names().map((name) => () => this.dependency(name))]);
  }

  private accepting(): HealthIndicatorResult {
    const session = this.indicators.check('service');
    return this.readiness.draining ? session.down({ message: 'shutting down' }) : session.up();
  }

  private async dependency(name: string): Promise<HealthIndicatorResult> {
    const outcome = await this.registry.run(name);
    const session = this.indicators.check(name);
    if (outcome.up) return session.up(outcome.details);
    this.log.warn({ dependency: name, ...outcome.details }, 'dependency down');
    return session.down(outcome.details);
  }
}
