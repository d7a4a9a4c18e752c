// Rebuild, blue/green: build the next version of a projection's tables from the start of the store while
// the live version keeps serving readers, then switch the readers' views to it in one short transaction
// that also applies the last events, and drop the old version. Mechanism: docs/decisions/0009-projections.md.
import type { ClientBase, Pool } from 'pg';
import { comparePositions, START, type EventStore, type Position, type RecordedEvent } from '@crm/event-store';
import {
  CATALOG_SCHEMA,
  checkout,
  createVersion,
  dropVersion,
  ensureCatalog,
  findVersion,
  findVersionNumber,
  inTransaction,
  listVersions,
  lockProjection,
  pointViews,
  quoteIdent,
  tableNamesOf,
  versionSchema,
  type CheckpointRow,
} from './catalog';
import { applyEvents, handledTypes, matchesFilter, subscriptionFilterOf, type ProjectionDefinition } from './definition';
import { ProjectionSupersededError, RebuildInProgressError } from './errors';
import { noopLogger, type ProjectionLogger } from './logger';
import type { ProjectionMetrics } from './metrics';
import { VersionRunner, formatPosition, type BatchingOptions } from './version-runner';

export interface RebuildOptions extends BatchingOptions {
  pool: Pool;
  store: EventStore;
  projection: ProjectionDefinition;
  logger?: ProjectionLogger;
  metrics?: ProjectionMetrics;
  /** Keep the replaced version (status `retired`, e.g. to compare) until the next rebuild or `dropVersion`; by default it is dropped after the switch. */
  keepReplacedVersion?: boolean;
  /** How long the switch may wait for a lock (a long reader on a view) before it retries. Default 2000 ms. */
  switchLockTimeoutMs?: number;
  /** Switch attempts before the rebuild gives up; the built version stays and the next rebuild resumes it. Default 10. */
  switchAttempts?: number;
  /** Give up when the build fails this many times in a row (a handler that throws on some event). Default 5. */
  maxBuildFailures?: number;
  /** Stops the build; the building version stays and the next rebuild resumes it. */
  signal?: AbortSignal;
  /** Do nothing if the live version was already built by this definition version (replicas racing at start-up). */
  skipIfCurrent?: boolean;
  /** Runs between the end of the build and the switch. For tests. */
  beforeSwitch?: (version: number) => Promise<void> | void;
}

export interface RebuildResult {
  projection: string;
  /** The version now live. */
  version: number;
  /** The version it replaced (dropped unless kept), if there was one. */
  replaced: number | null;
  /** The new live version's checkpoint. */
  position: Position;
  /** Events applied inside the switch transaction to reach the old version's checkpoint. */
  appliedInSwitch: number;
  durationMs: number;
  /** Nothing was done: `skipIfCurrent` and the live version is current. */
  skipped?: boolean;
}

export async function rebuildProjection(options: RebuildOptions): Promise<RebuildResult> {
  const { pool, projection } = options;
  const log = options.logger ?? noopLogger;
  const started = Date.now();
  await ensureCatalog(pool);
  const lease = await acquireRebuildLease(pool, projection.name);
  try {
    if (options.skipIfCurrent) {
      const live = await findVersion(pool, projection.name, 'live');
      if (live && live.definitionVersion >= projection.version) {
        return { projection: projection.name, version: live.version, replaced: null, position: live.position, appliedInSwitch: 0, durationMs: 0, skipped: true };
      }
    }
    const building = await prepareBuildingVersion(pool, projection);
    log.info({ projection: projection.name, version: building.version, from: formatPosition(building.position) }, 'projection rebuild started');
    await build(options, building.version);
    await options.beforeSwitch?.(building.version);
    const switched = await switchWithRetries(options, building.version);
    log.info(
      { projection: projection.name, version: building.version, replaced: switched.replaced, appliedInSwitch: switched.appliedInSwitch },
      'projection rebuild switched in',
    );
    if (switched.replaced !== null && !options.keepReplacedVersion) {
      // Waits for readers still inside a query on the old tables; new queries already use the new ones.
      await dropVersion(pool, projection.name, switched.replaced).catch((error: unknown) =>
        log.warn({ projection: projection.name, version: switched.replaced, err: error }, 'could not drop the replaced projection version'),
      );
    }
    return { projection: projection.name, ...switched, durationMs: Date.now() - started };
  } finally {
    await lease.release();
  }
}

/** One rebuild per projection at a time, across processes: a session advisory lock, freed if the process dies. */
async function acquireRebuildLease(pool: Pool, name: string): Promise<{ release(): Promise<void> }> {
  const key = `crm_projections_rebuild:${name}`;
  const lease = await checkout(pool);
  try {
    const { rows } = await lease.client.query<{ got: boolean }>(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS got`, [key]);
    if (!rows[0]?.got) throw new RebuildInProgressError(name);
  } catch (error) {
    lease.release();
    throw error;
  }
  return {
    async release() {
      try {
        await lease.client.query(`SELECT pg_advisory_unlock(hashtextextended($1, 0))`, [key]);
        lease.release();
      } catch (error) {
        lease.release(error instanceof Error ? error : new Error(String(error))); // closing the session frees the lock
      }
    },
  };
}

/** Resumes a building version of this definition left by an interrupted rebuild; otherwise starts a new one. */
async function prepareBuildingVersion(pool: Pool, projection: ProjectionDefinition): Promise<CheckpointRow> {
  return inTransaction(pool, async (tx) => {
    await lockProjection(tx, projection.name);
    const rows = await listVersions(tx, projection.name);
    const live = rows.find((r) => r.status === 'live');
    if (live && live.definitionVersion > projection.version) throw new ProjectionSupersededError(projection.name, projection.version, live.definitionVersion);
    for (const row of rows) {
      if (row.status === 'retired' || (row.status === 'building' && row.definitionVersion !== projection.version)) {
        await dropInTransaction(tx, projection.name, row.version);
      }
    }
    const resumable = rows.find((r) => r.status === 'building' && r.definitionVersion === projection.version);
    return resumable ?? createVersion(tx, projection, 'building');
  });
}

async function dropInTransaction(tx: ClientBase, name: string, version: number): Promise<void> {
  await tx.query(`DROP SCHEMA IF EXISTS ${quoteIdent(versionSchema(name, version))} CASCADE`);
  await tx.query(`DELETE FROM ${CATALOG_SCHEMA}.checkpoints WHERE name = $1 AND version = $2`, [name, version]);
}

/** Catches the building version up with the store's head through its own subscription, then stops it. */
async function build(options: RebuildOptions, version: number): Promise<void> {
  const maxFailures = options.maxBuildFailures ?? 5;
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  const runner = new VersionRunner({
    ...options,
    target: version,
    onNotOurs: () => fail(new Error(`Projection ${options.projection.name}: building version ${version} disappeared`)),
    onFailure: (error, failures) => {
      if (failures >= maxFailures) fail(error);
    },
  });
  const onAbort = () => fail(options.signal?.reason ?? new Error('rebuild aborted'));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) onAbort();
    await Promise.race([runner.start().then(() => runner.caughtUp()), failed]);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await runner.stop();
  }
}

async function switchWithRetries(options: RebuildOptions, version: number): Promise<Omit<RebuildResult, 'projection' | 'durationMs'>> {
  const attempts = options.switchAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await switchVersion(options, version);
    } catch (error) {
      // 55P03 lock_not_available: a long query held a view; readers queued behind us were only delayed.
      if ((error as { code?: string }).code !== '55P03' || attempt >= attempts) throw error;
      options.logger?.warn({ projection: options.projection.name, attempt }, 'projection switch waited too long for a lock; retrying');
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/**
 * The switch, in one transaction: lock both checkpoint rows (the live runner's next batch waits, then
 * finds its version retired and restarts on the new one), apply the events between the building and the
 * live checkpoint so readers never step back, promote the new version and re-point the views.
 */
async function switchVersion(options: RebuildOptions, version: number): Promise<Omit<RebuildResult, 'projection' | 'durationMs'>> {
  const { pool, store, projection } = options;
  return inTransaction(pool, async (tx) => {
    await tx.query(`SET LOCAL lock_timeout = ${Math.max(1, Math.floor(options.switchLockTimeoutMs ?? 2_000))}`);
    await lockProjection(tx, projection.name);
    const building = await findVersionNumber(tx, projection.name, version, true);
    if (building?.status !== 'building') throw new Error(`Projection ${projection.name}: version ${version} is not building any more`);
    const live = await findVersion(tx, projection.name, 'live', true);
    if (live && live.definitionVersion > projection.version) throw new ProjectionSupersededError(projection.name, projection.version, live.definitionVersion);

    let position = building.position;
    let lastEventAt = building.lastEventAt;
    let appliedInSwitch = 0;
    if (live && comparePositions(live.position, building.position) > 0) {
      const tables = tableNamesOf(projection, version);
      const filter = subscriptionFilterOf(projection);
      const from = comparePositions(building.position, START) === 0 ? 'start' : building.position;
      let pending: RecordedEvent[] = [];
      const flush = async () => {
        await applyEvents(tx, projection, tables, pending);
        pending = [];
      };
      for await (const event of store.readAll({ fromPosition: from })) {
        if (comparePositions(event.position, building.position) <= 0) continue;
        if (comparePositions(event.position, live.position) > 0) break;
        if (!matchesFilter(event, filter) || !handledTypes(projection).includes(event.type)) continue;
        pending.push(event);
        appliedInSwitch += 1;
        lastEventAt = event.created;
        if (pending.length >= 1000) await flush();
      }
      await flush();
      position = live.position;
    }
    if (live) await tx.query(`UPDATE ${CATALOG_SCHEMA}.checkpoints SET status = 'retired', updated_at = now() WHERE name = $1 AND version = $2`, [projection.name, live.version]);
    await tx.query(
      `UPDATE ${CATALOG_SCHEMA}.checkpoints
          SET status = 'live', commit = $3, prepare = $4, last_event_at = $5, updated_at = now()
        WHERE name = $1 AND version = $2`,
      [projection.name, version, position.commit.toString(), position.prepare.toString(), lastEventAt],
    );
    await pointViews(tx, projection, version);
    return { version, replaced: live?.version ?? null, position, appliedInSwitch };
  });
}
