// The projection library's errors, each with a code that logs and callers can match on.
export type ProjectionErrorCode = 'CHECKPOINT_CONFLICT' | 'REBUILD_IN_PROGRESS' | 'PROJECTION_SUPERSEDED' | 'PROJECTION_NOT_INSTALLED';

export class ProjectionError extends Error {
  constructor(
    readonly code: ProjectionErrorCode,
    readonly projection: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Another runner moved the checkpoint (or a rebuild switched versions) since this runner read it. */
export class CheckpointConflictError extends ProjectionError {
  constructor(projection: string, version: number) {
    super('CHECKPOINT_CONFLICT', projection, `Projection ${projection} v${version}: the checkpoint moved under this runner`);
  }
}

export class RebuildInProgressError extends ProjectionError {
  constructor(projection: string) {
    super('REBUILD_IN_PROGRESS', projection, `Projection ${projection}: another process is rebuilding it`);
  }
}

/** The live tables were built by a newer definition than this process's: it must not write to them. */
export class ProjectionSupersededError extends ProjectionError {
  constructor(projection: string, ours: number, live: number) {
    super('PROJECTION_SUPERSEDED', projection, `Projection ${projection}: live definition version ${live} is newer than ours (${ours})`);
  }
}

export class ProjectionNotInstalledError extends ProjectionError {
  constructor(projection: string, detail: string) {
    super('PROJECTION_NOT_INSTALLED', projection, `Projection ${projection}: ${detail}`);
  }
}
