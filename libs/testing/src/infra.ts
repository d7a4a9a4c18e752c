// Where the tests' real infrastructure is. The jest global setup decides (local processes or
// testcontainers) and passes the answer to every worker through the environment.
export interface TestInfra {
  /** Admin connection string of the PostgreSQL server (its `postgres` database). */
  postgresAdminUrl: string;
  /** Kafka bootstrap servers, host:port. */
  kafkaBrokers: string[];
  mode: 'local' | 'containers';
}

export const ENV = {
  pg: 'CRM_TEST_PG_ADMIN_URL',
  kafka: 'CRM_TEST_KAFKA_BROKERS',
  mode: 'CRM_TEST_INFRA',
  runId: 'CRM_TEST_RUN_ID',
} as const;

export const LOCAL_DEFAULTS = {
  postgresAdminUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  kafkaBrokers: ['127.0.0.1:9092'],
};

export function testInfra(): TestInfra {
  return {
    postgresAdminUrl: process.env[ENV.pg] ?? LOCAL_DEFAULTS.postgresAdminUrl,
    kafkaBrokers: (process.env[ENV.kafka] ?? LOCAL_DEFAULTS.kafkaBrokers.join(','))
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
    mode: process.env[ENV.mode] === 'containers' ? 'containers' : 'local',
  };
}

/** An id for this test run, shared by all workers, so names stay unique across parallel files and runs. */
export function testRunId(): string {
  const fromSetup = process.env[ENV.runId];
  if (fromSetup) return fromSetup;
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  process.env[ENV.runId] = id;
  return id;
}
