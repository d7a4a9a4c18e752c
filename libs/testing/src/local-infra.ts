// Local infrastructure for tests on machines without Docker: the PostgreSQL server already running
// here, and Kafka started from the project's own script when it is not already up.
import { execFileSync } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function runScript(relative: string): void {
  execFileSync('bash', [join(REPO_ROOT, relative)], { stdio: ['ignore', 'inherit', 'inherit'], cwd: REPO_ROOT });
}

/** Starts Kafka if nothing answers on its port; returns true when this call started it. */
export async function ensureLocalKafka(host = '127.0.0.1', port = Number(process.env['KAFKA_PORT'] ?? 9092)): Promise<boolean> {
  if (await portOpen(host, port)) return false;
  runScript('infra/local/kafka/start.sh');
  return true;
}

export function stopLocalKafka(): void {
  runScript('infra/local/kafka/stop.sh');
}

export async function ensureLocalPostgres(host = '127.0.0.1', port = 5432): Promise<void> {
  if (await portOpen(host, port)) return;
  runScript('infra/local/postgres/ensure.sh');
}
