// Readiness of PostgreSQL: `SELECT 1` on a one-connection pool of its own, with a short timeout,
// so that a saturated application pool does not take the pod out of service.
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';
import type { BaseServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../tokens';
import { HealthRegistry, type HealthCheck } from './health-registry';

export interface PostgresCheck {
  check: HealthCheck;
  close(): Promise<void>;
}

export function createPostgresCheck(connectionString: string, timeoutMs = 1_000, applicationName = 'health'): PostgresCheck {
  const pool = new Pool({
    connectionString,
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
    allowExitOnIdle: true,
    application_name: applicationName,
  });
  pool.on('error', () => undefined); // an idle connection dropped by the server: the next check reconnects
  return {
    check: async () => {
      await pool.query('SELECT 1');
    },
    close: () => pool.end(),
  };
}

export const POSTGRES_HEALTH_ENABLED = Symbol('POSTGRES_HEALTH_ENABLED');

@Injectable()
export class PostgresHealth implements OnModuleInit, OnApplicationShutdown {
  private postgres: PostgresCheck | undefined;

  constructor(
    private readonly registry: HealthRegistry,
    @Inject(SERVICE_CONFIG) private readonly config: BaseServiceConfig,
    @Inject(POSTGRES_HEALTH_ENABLED) private readonly enabled: boolean,
  ) {}

  onModuleInit(): void {
    if (!this.enabled) return;
    this.postgres = createPostgresCheck(this.config.DATABASE_URL, 1_000, `${this.config.SERVICE_NAME}-health`);
    this.registry.register('postgres', this.postgres.check, { timeoutMs: 1_500 });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.postgres?.close();
  }
}
