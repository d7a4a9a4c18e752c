// Brings up the real infrastructure once per jest run: local processes by default, containers
// with CRM_TEST_INFRA=containers. Workers learn the addresses from the environment.
import { ENV, LOCAL_DEFAULTS, testRunId } from '../infra';
import { ensureLocalKafka, ensureLocalPostgres } from '../local-infra';
import { dropStaleTestDatabases } from '../postgres';
import { startContainers } from '../containers';
import { teardownState } from './state';

export default async function globalSetup(): Promise<void> {
  testRunId();
  if (process.env[ENV.mode] === 'containers') {
    const containers = await startContainers();
    process.env[ENV.pg] = containers.postgresAdminUrl;
    process.env[ENV.kafka] = containers.kafkaBrokers.join(',');
    process.env['EVENTSTORE_CONNECTION_STRING'] ??= containers.eventStoreConnectionString;
    teardownState.stop = () => containers.stop();
    return;
  }
  process.env[ENV.pg] ??= LOCAL_DEFAULTS.postgresAdminUrl;
  process.env[ENV.kafka] ??= LOCAL_DEFAULTS.kafkaBrokers.join(',');
  await ensureLocalPostgres();
  // CRM_TEST_KAFKA=skip: for a quick run of files that need only PostgreSQL.
  const startedKafka = process.env['CRM_TEST_KAFKA'] === 'skip' ? false : await ensureLocalKafka();
  if (startedKafka) {
    const { stopLocalKafka } = await import('../local-infra');
    teardownState.stop = async () => stopLocalKafka();
  }
  await dropStaleTestDatabases();
}
