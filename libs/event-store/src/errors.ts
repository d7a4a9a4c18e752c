// The errors of the port, named and shaped as @eventstore/db-client's so callers catch one type.
export class WrongExpectedVersionError extends Error {
  override readonly name = 'WrongExpectedVersionError';
  constructor(
    readonly streamName: string,
    readonly expectedVersion: 'any' | 'no_stream' | 'stream_exists' | bigint,
    readonly actualVersion: bigint | 'no_stream',
  ) {
    super(`Wrong expected revision for stream ${streamName}: expected ${String(expectedVersion)}, actual ${String(actualVersion)}`);
  }
}

export class StreamNotFoundError extends Error {
  override readonly name = 'StreamNotFoundError';
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} not found`);
  }
}

export class StreamDeletedError extends Error {
  override readonly name = 'StreamDeletedError';
  constructor(readonly streamName: string) {
    super(`Stream ${streamName} is deleted`);
  }
}

export function isWrongExpectedVersion(error: unknown): error is WrongExpectedVersionError {
  return error instanceof WrongExpectedVersionError;
}
