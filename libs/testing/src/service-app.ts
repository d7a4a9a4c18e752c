// A service's real Nest app for e2e tests: on a fresh PostgreSQL database (or a closed app's, for a restart) with a
// Kafka topic prefix of its own, both removed when it closes. The service creates the app (createServiceApp of
// @crm/platform), so that the test kit needs no framework beyond the app's type.
import type { INestApplication } from '@nestjs/common';
import { testInfra } from './infra';
import { deleteTopicsWithPrefix, uniqueTopicPrefix } from './kafka';
import { createTestDatabase, type TestDatabase } from './postgres';

export interface TestServiceApp {
  app: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  db: TestDatabase;
  /** Prefix of the Kafka topics this app publishes to (its own, deleted on close). */
  topicPrefix: string;
  /** Stops the app; drops the database and topics unless `keepData` (for a restart on the same data). */
  close(options?: { keepData?: boolean }): Promise<void>;
}

export type TestEnvironment = Record<string, string>;

export interface StartTestServiceOptions {
  /** Names the test database and the topic prefix. */
  label: string;
  /** The app with this environment, e.g. `(env) => createServiceApp(AppModule, { name, config, env, openApi: false })`. */
  create(env: TestEnvironment): Promise<INestApplication>;
  /** The service's own variables (its master key, say), applied over the shared ones. */
  serviceEnv?: TestEnvironment;
  /** Overrides any variable, KAFKA_TOPIC_PREFIX included. */
  env?: TestEnvironment;
  /** Start on this database, e.g. a closed app's `db` (closed with keepData): a restart. */
  db?: TestDatabase;
  /** The variable that sets the log level, e.g. CUSTOMERS_TEST_LOG_LEVEL=debug; silent without it. */
  logLevelVariable?: string;
}

export async function startTestService(options: StartTestServiceOptions): Promise<TestServiceApp> {
  const { label, env = {} } = options;
  const db = options.db ?? (await createTestDatabase(label));
  const topicPrefix = env['KAFKA_TOPIC_PREFIX'] ?? uniqueTopicPrefix(label);
  try {
    // Connected at once: another jest run's clean-up drops test databases that have no recent connection.
    await db.pool.query('SELECT 1');
    const app = await options.create({
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      PORT: '0',
      LOG_LEVEL: (options.logLevelVariable && process.env[options.logLevelVariable]) || 'silent',
      KAFKA_TOPIC_PREFIX: topicPrefix,
      ...options.serviceEnv,
      ...env,
    });
    return {
      app,
      http: app.getHttpServer(),
      db,
      topicPrefix,
      async close({ keepData = false } = {}) {
        await app.close();
        if (keepData) return;
        await db.drop();
        await deleteTopicsWithPrefix(topicPrefix);
      },
    };
  } catch (error) {
    await db.drop();
    throw error;
  }
}
