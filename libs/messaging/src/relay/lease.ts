// The relay lease: a session-level PostgreSQL advisory lock held on a dedicated connection. The lock
// lives exactly as long as that session, so the lease ends when the holder's process dies, its network
// goes away, or it stalls — the server ends the session — and never needs a clock or a TTL row.
// Checkpoints are written on the same connection: a holder that lost its session cannot checkpoint.
import { Client, type ClientConfig, type QueryResultRow } from 'pg';
import { errorFields, type MessagingLogger } from '../internal/logger';

export interface LeaseSettings {
  /** The holder proves it is alive this often (default 2 s). */
  heartbeatMs?: number;
  /**
   * The server ends a session idle for this long (`idle_session_timeout`, default 10 s): a holder whose
   * event loop stalls stops heartbeating and loses the lease to a standby within this time.
   */
  idleSessionTimeoutMs?: number;
  /** A heartbeat or checkpoint not answered within this time counts as a lost lease (default 5 s). */
  queryTimeoutMs?: number;
}

export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

export class RelayLease {
  /** Resolves when the lease is lost (never rejects); not after a release(). */
  readonly lost: Promise<LeaseLostError>;
  private markLost!: (error: LeaseLostError) => void;
  private held = true;
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly client: Client,
    private readonly lockName: string,
    heartbeatMs: number,
    private readonly log: MessagingLogger,
  ) {
    this.lost = new Promise((resolve) => (this.markLost = resolve));
    client.on('error', (error) => this.lose(`lease connection failed: ${error.message}`));
    client.on('end', () => this.lose('lease connection ended'));
    this.heartbeat = setInterval(() => {
      this.client.query('SELECT 1').catch((error: Error) => this.lose(`lease heartbeat failed: ${error.message}`));
    }, heartbeatMs);
    this.heartbeat.unref();
  }

  /** Takes the lease if free; null when another session holds it. */
  static async tryAcquire(
    connection: ClientConfig,
    relayName: string,
    settings: LeaseSettings,
    log: MessagingLogger,
  ): Promise<RelayLease | null> {
    const heartbeatMs = settings.heartbeatMs ?? 2_000;
    const idleMs = Math.max(settings.idleSessionTimeoutMs ?? 10_000, heartbeatMs * 3);
    const client = new Client({
      ...connection,
      application_name: `crm-relay:${relayName}`.slice(0, 63),
      // Client side: notice a dead server or network (TCP keepalive) and a server that does not answer.
      keepAlive: true,
      keepAliveInitialDelayMillis: 5_000,
      query_timeout: settings.queryTimeoutMs ?? 5_000,
    });
    client.on('error', () => undefined); // until the lease takes over the listeners
    await client.connect();
    try {
      // Server side: end this session when the holder stops talking (stall) or its peer vanishes (keepalives).
      await client.query(
        `SET idle_session_timeout = ${idleMs}; SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 2; ` +
          `SET tcp_keepalives_count = 3; SET statement_timeout = ${settings.queryTimeoutMs ?? 5_000}`,
      );
      const lockName = `crm.messaging.relay:${relayName}`;
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked', [lockName]);
      if (!rows[0]?.locked) {
        await client.end();
        return null;
      }
      return new RelayLease(client, lockName, heartbeatMs, log);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
  }

  get isHeld(): boolean {
    return this.held;
  }

  /** Runs a statement on the lease's session; fails (and loses the lease) if the session is gone. */
  async query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    if (!this.held) throw new LeaseLostError('lease already lost');
    try {
      return (await this.client.query<R>(sql, params)).rows;
    } catch (error) {
      this.lose(`lease query failed: ${(error as Error).message}`);
      throw error;
    }
  }

  /** Unlocks and closes the session (closing alone would unlock too). */
  async release(): Promise<void> {
    clearInterval(this.heartbeat);
    const wasHeld = this.held;
    this.held = false;
    if (wasHeld) {
      await this.client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.lockName]).catch(() => undefined);
    }
    await this.client.end().catch(() => undefined);
  }

  private lose(reason: string): void {
    clearInterval(this.heartbeat);
    if (!this.held) return;
    this.held = false;
    this.log.error({ reason }, 'relay lease lost; publishing stops');
    this.markLost(new LeaseLostError(reason));
    // Make sure the session is gone, so that a standby can take the lock (the server ends it too).
    void this.client.end().catch((error: unknown) => this.log.debug(errorFields(error), 'closing lost lease connection failed'));
  }
}
