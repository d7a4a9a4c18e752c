// The event store's tables and functions, as ordered migrations. `{{schema}}` is replaced by the quoted schema name.
// Design notes: docs/decisions/0005-postgres-event-store.md.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Expected-revision codes passed to the SQL functions (EventStoreDB's own numbers). */
export const EXPECTED = { any: -2n, noStream: -1n, streamExists: -4n } as const;

/** EventStoreDB's `EventNumber.DeletedStream`: the tombstone's revision, and the $tb of a soft-deleted stream. */
export const DELETED_STREAM = 9223372036854775807n;
export const TOMBSTONE_REVISION = DELETED_STREAM;

const tables = `
CREATE TABLE {{schema}}.streams (
  stream_id       text PRIMARY KEY,
  -- Revision of the last event; -1 while the stream has none (a stream known only by its metadata).
  revision        bigint  NOT NULL DEFAULT -1,
  tombstoned      boolean NOT NULL DEFAULT false,
  -- Copied from the latest $metadata event of the $$<stream> metastream, for reads.
  truncate_before bigint,
  max_count       bigint,
  max_age         bigint,
  -- As in EventStoreDB, a soft delete is $tb = long.MaxValue; the next append recreates the stream.
  soft_deleted    boolean GENERATED ALWAYS AS (coalesce(truncate_before = ${DELETED_STREAM}, false)) STORED
) WITH (fillfactor = 80);

CREATE TABLE {{schema}}.events (
  sequence       bigint GENERATED ALWAYS AS IDENTITY,
  -- The writing transaction: $all is ordered by (transaction_id, sequence) and readers see only
  -- transactions older than every running one, so a late commit can never be overtaken.
  transaction_id xid8        NOT NULL DEFAULT pg_current_xact_id(),
  stream_id      text        NOT NULL,
  revision       bigint      NOT NULL,
  event_id       uuid        NOT NULL,
  event_type     text        NOT NULL,
  data           jsonb       NOT NULL,
  metadata       jsonb       NOT NULL,
  created        timestamptz NOT NULL DEFAULT statement_timestamp(),
  PRIMARY KEY (stream_id, revision)
);
CREATE UNIQUE INDEX events_global_order ON {{schema}}.events (transaction_id, sequence);
CREATE INDEX events_event_id ON {{schema}}.events (stream_id, event_id);
`;

const helpers = `
CREATE FUNCTION {{schema}}.insert_events(p_stream text, p_first bigint, p_events jsonb)
RETURNS TABLE (commit_position xid8, prepare_position bigint)
LANGUAGE plpgsql AS $body$
BEGIN
  -- plpgsql rather than sql: its statements' plans are cached across calls.
  IF jsonb_array_length(p_events) = 1 THEN
    RETURN QUERY
    INSERT INTO {{schema}}.events AS ev (stream_id, revision, event_id, event_type, data, metadata)
    VALUES (p_stream, p_first, (p_events->0->>'id')::uuid, p_events->0->>'type', p_events->0->'data', coalesce(p_events->0->'metadata', '{}'::jsonb))
    RETURNING ev.transaction_id, ev.sequence;
    RETURN;
  END IF;
  RETURN QUERY
  WITH inserted AS (
    INSERT INTO {{schema}}.events (stream_id, revision, event_id, event_type, data, metadata)
    SELECT p_stream, p_first + (x.ord - 1), (x.e->>'id')::uuid, x.e->>'type', x.e->'data', coalesce(x.e->'metadata', '{}'::jsonb)
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord)
     ORDER BY x.ord
    RETURNING sequence
  )
  SELECT pg_current_xact_id(), max(sequence) FROM inserted;
END;
$body$;

-- The stream's reads follow its latest metadata: keep $tb, $maxCount and $maxAge on its row.
CREATE FUNCTION {{schema}}.cache_metadata(p_stream text, p_data jsonb)
RETURNS void
LANGUAGE sql AS $body$
  UPDATE {{schema}}.streams SET
    truncate_before = CASE WHEN jsonb_typeof(p_data->'$tb') = 'number' THEN least((p_data->>'$tb')::numeric, ${DELETED_STREAM})::bigint END,
    max_count       = CASE WHEN jsonb_typeof(p_data->'$maxCount') = 'number' THEN least((p_data->>'$maxCount')::numeric, ${DELETED_STREAM})::bigint END,
    max_age         = CASE WHEN jsonb_typeof(p_data->'$maxAge') = 'number' THEN least((p_data->>'$maxAge')::numeric, ${DELETED_STREAM})::bigint END
  WHERE stream_id = p_stream
$body$;

CREATE FUNCTION {{schema}}.current_metadata(p_stream text)
RETURNS jsonb
LANGUAGE sql STABLE AS $body$
  SELECT e.data FROM {{schema}}.streams m
    JOIN {{schema}}.events e ON e.stream_id = m.stream_id AND e.revision = m.revision
   WHERE m.stream_id = '$$' || p_stream
$body$;

-- The store's own metadata writes (soft delete, recreation): one $metadata event at the metastream's head.
-- The caller holds the stream's row lock.
CREATE FUNCTION {{schema}}.write_metadata(p_stream text, p_data jsonb)
RETURNS TABLE (commit_position xid8, prepare_position bigint)
LANGUAGE plpgsql AS $body$
DECLARE
  v_revision bigint;
BEGIN
  INSERT INTO {{schema}}.streams AS s (stream_id, revision) VALUES ('$$' || p_stream, 0)
  ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + 1
  RETURNING s.revision INTO v_revision;
  PERFORM {{schema}}.cache_metadata(p_stream, p_data);
  RETURN QUERY SELECT * FROM {{schema}}.insert_events('$$' || p_stream, v_revision,
    jsonb_build_array(jsonb_build_object('id', gen_random_uuid(), 'type', '$metadata', 'data', p_data)));
END;
$body$;
`;

// Appends under the stream row's lock. Returns a status instead of raising, so that a conflict inside
// a caller's transaction does not abort it. Status: ok | wrong_expected_version | deleted.
// Expected: -2 any, -1 no_stream, -4 stream_exists, >= 0 the revision of the last event.
const appendFunction = `
CREATE FUNCTION {{schema}}.append_to_stream(p_stream text, p_expected bigint, p_events jsonb)
RETURNS TABLE (status text, revision bigint, commit_position xid8, prepare_position bigint)
LANGUAGE plpgsql AS $body$
DECLARE
  n          int := jsonb_array_length(p_events);
  v_last     bigint;
  v_row      {{schema}}.streams%ROWTYPE;
  v_original {{schema}}.streams%ROWTYPE;
  v_created  boolean := false;
  v_first    bigint;
  v_position record;
  v_data     jsonb;
BEGIN
  IF n = 0 THEN
    RAISE EXCEPTION 'append_to_stream: no events' USING ERRCODE = '22023';
  END IF;

  -- A metastream write locks the original stream first (the order deleteStream uses too).
  IF left(p_stream, 2) = '$$' THEN
    INSERT INTO {{schema}}.streams (stream_id) VALUES (substr(p_stream, 3)) ON CONFLICT (stream_id) DO NOTHING;
    v_created := FOUND;
    SELECT * INTO v_original FROM {{schema}}.streams WHERE stream_id = substr(p_stream, 3) FOR UPDATE;
    IF v_original.tombstoned THEN
      RETURN QUERY SELECT 'deleted'::text, NULL::bigint, NULL::xid8, NULL::bigint;
      RETURN;
    END IF;
  END IF;

  -- Fast path for an exact revision or no_stream: one conditional write of the stream's head.
  IF p_expected >= -1 THEN
    UPDATE {{schema}}.streams AS s SET revision = s.revision + n
     WHERE s.stream_id = p_stream AND s.revision = p_expected AND NOT s.soft_deleted AND NOT s.tombstoned
    RETURNING s.revision INTO v_last;
    IF v_last IS NULL AND p_expected = -1 THEN
      INSERT INTO {{schema}}.streams AS s (stream_id, revision) VALUES (p_stream, n - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_last;
    END IF;
  END IF;

  IF v_last IS NULL THEN
    -- Everything else under the row lock: any, stream_exists, deleted streams, conflicts, retries.
    LOOP
      SELECT * INTO v_row FROM {{schema}}.streams WHERE stream_id = p_stream FOR UPDATE;
      EXIT WHEN FOUND;
      IF p_expected NOT IN (-2, -1) THEN
        IF v_created THEN DELETE FROM {{schema}}.streams WHERE stream_id = v_original.stream_id; END IF;
        RETURN QUERY SELECT 'wrong_expected_version'::text, -1::bigint, NULL::xid8, NULL::bigint;
        RETURN;
      END IF;
      INSERT INTO {{schema}}.streams AS s (stream_id, revision) VALUES (p_stream, n - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_last;
      EXIT WHEN v_last IS NOT NULL;
    END LOOP;
  END IF;

  IF v_last IS NULL THEN
    IF v_row.tombstoned THEN
      RETURN QUERY SELECT 'deleted'::text, NULL::bigint, NULL::xid8, NULL::bigint;
      RETURN;
    END IF;

    -- Idempotency: do these event ids already stand, in this order, where the expected revision puts them?
    IF p_expected >= -1 THEN
      v_first := p_expected + 1;
    ELSE
      SELECT min(e.revision) INTO v_first FROM {{schema}}.events e
       WHERE e.stream_id = p_stream
         AND e.event_id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) x);
    END IF;
    IF v_first IS NOT NULL AND v_first <= v_row.revision THEN
      IF (SELECT array_agg(e.event_id ORDER BY e.revision) FROM {{schema}}.events e
           WHERE e.stream_id = p_stream AND e.revision >= v_first AND e.revision < v_first + n)
         = (SELECT array_agg((x.e->>'id')::uuid ORDER BY x.ord) FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(e, ord))
      THEN
        RETURN QUERY SELECT 'ok'::text, e.revision, e.transaction_id, e.sequence
          FROM {{schema}}.events e WHERE e.stream_id = p_stream AND e.revision = v_first + n - 1;
        RETURN;
      END IF;
      IF p_expected < -1 THEN
        -- Some of the ids are there, but not as this batch: a partial overlap.
        IF v_created THEN DELETE FROM {{schema}}.streams WHERE stream_id = v_original.stream_id; END IF;
        RETURN QUERY SELECT 'wrong_expected_version'::text, v_row.revision, NULL::xid8, NULL::bigint;
        RETURN;
      END IF;
    END IF;

    IF v_row.soft_deleted AND p_expected = -4 THEN
      RETURN QUERY SELECT 'deleted'::text, NULL::bigint, NULL::xid8, NULL::bigint;
      RETURN;
    END IF;
    IF NOT (p_expected = -2
            OR p_expected = -4
            OR (p_expected = -1 AND (v_row.revision = -1 OR v_row.soft_deleted))
            OR p_expected = v_row.revision) THEN
      IF v_created THEN DELETE FROM {{schema}}.streams WHERE stream_id = v_original.stream_id; END IF;
      RETURN QUERY SELECT 'wrong_expected_version'::text, v_row.revision, NULL::xid8, NULL::bigint;
      RETURN;
    END IF;
    UPDATE {{schema}}.streams AS s SET revision = s.revision + n WHERE s.stream_id = p_stream
    RETURNING s.revision INTO v_last;
  END IF;

  SELECT * INTO v_position FROM {{schema}}.insert_events(p_stream, v_last - n + 1, p_events);

  -- Writing to a soft-deleted stream recreates it: $tb moves to the first new revision.
  IF v_row.soft_deleted THEN
    PERFORM {{schema}}.write_metadata(p_stream,
      coalesce({{schema}}.current_metadata(p_stream), '{}'::jsonb) || jsonb_build_object('$tb', v_row.revision + 1));
  END IF;
  -- A metadata write takes effect on the original stream, and undeletes it if it was soft-deleted.
  IF v_original.stream_id IS NOT NULL AND p_events->(n - 1)->>'type' = '$metadata' THEN
    v_data := p_events->(n - 1)->'data';
    PERFORM {{schema}}.cache_metadata(v_original.stream_id, v_data);
    IF v_original.soft_deleted THEN
      PERFORM {{schema}}.write_metadata(v_original.stream_id, v_data || jsonb_build_object('$tb', v_original.revision + 1));
    END IF;
  END IF;

  RETURN QUERY SELECT 'ok'::text, v_last, v_position.commit_position, v_position.prepare_position;
END;
$body$;
`;

// Soft delete writes $tb = long.MaxValue into the metastream, as EventStoreDB does; a tombstone writes a
// $streamDeleted record at the maximum revision of the stream itself.
const deleteFunction = `
CREATE FUNCTION {{schema}}.delete_stream(p_stream text, p_expected bigint, p_hard boolean)
RETURNS TABLE (status text, revision bigint, commit_position xid8, prepare_position bigint)
LANGUAGE plpgsql AS $body$
DECLARE
  v_row     {{schema}}.streams%ROWTYPE;
  v_created boolean := false;
BEGIN
  INSERT INTO {{schema}}.streams (stream_id) VALUES (p_stream) ON CONFLICT (stream_id) DO NOTHING;
  v_created := FOUND;
  SELECT * INTO v_row FROM {{schema}}.streams WHERE stream_id = p_stream FOR UPDATE;

  IF v_row.tombstoned THEN
    RETURN QUERY SELECT 'deleted'::text, NULL::bigint, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;
  IF NOT (p_expected = -2
          OR (p_expected = -1 AND (v_row.revision = -1 OR v_row.soft_deleted))
          OR (p_expected = -4 AND NOT v_created)
          OR p_expected = v_row.revision)
     -- A soft delete of a stream with neither events nor metadata conflicts (EventStoreDB >= 22.10).
     OR (NOT p_hard AND v_row.revision = -1
         AND NOT EXISTS (SELECT 1 FROM {{schema}}.streams m WHERE m.stream_id = '$$' || p_stream AND m.revision >= 0)) THEN
    IF v_created THEN DELETE FROM {{schema}}.streams WHERE stream_id = p_stream; END IF;
    RETURN QUERY SELECT 'wrong_expected_version'::text, v_row.revision, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;

  IF p_hard THEN
    UPDATE {{schema}}.streams SET tombstoned = true WHERE stream_id = p_stream;
    RETURN QUERY SELECT 'ok'::text, v_row.revision, i.commit_position, i.prepare_position
      FROM {{schema}}.insert_events(p_stream, ${DELETED_STREAM},
             jsonb_build_array(jsonb_build_object('id', gen_random_uuid(), 'type', '$streamDeleted', 'data', '{}'::jsonb))) i;
    RETURN;
  END IF;

  RETURN QUERY SELECT 'ok'::text, v_row.revision, w.commit_position, w.prepare_position
    FROM {{schema}}.write_metadata(p_stream, jsonb_build_object('$tb', ${DELETED_STREAM})) w;
END;
$body$;
`;

// The line readers of $all never pass (decision 0005): the oldest transaction that was running at the reading
// statement's snapshot and may have written events here, or the snapshot's xmax if none. Unlike
// pg_snapshot_xmin it ignores the transactions of other databases of the cluster (another service's projection
// batch, a migration next door): a transaction writes in one database only, and one seen in pg_stat_activity
// with its xid in another database is proven not ours. Anything else running at the snapshot counts, including a
// transaction that has ended since (its rows may not be in the snapshot) or one whose database cannot be seen.
// STABLE and a single SELECT: it runs on the calling statement's snapshot.
const visibleHorizon = `
CREATE OR REPLACE FUNCTION {{schema}}.visible_horizon() RETURNS xid8
LANGUAGE sql STABLE AS $body$
  SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
   WHERE NOT EXISTS (
     SELECT 1 FROM pg_stat_activity a
      WHERE a.backend_xid::text::bigint = x::text::bigint % 4294967296
        AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))
$body$;
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'streams and events', sql: tables },
  { version: 2, name: 'metadata and insert helpers', sql: helpers },
  { version: 3, name: 'append function', sql: appendFunction },
  { version: 4, name: 'delete function', sql: deleteFunction },
  { version: 5, name: 'visible horizon ignores other databases', sql: visibleHorizon },
];

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function renderSql(sql: string, schema: string): string {
  return sql.replace(/\{\{schema\}\}/g, quoteIdent(schema));
}
