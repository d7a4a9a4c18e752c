// Errors that decide what the consumer does with a message: retry it, or send it to the dead letters.

/** Thrown by a handler when retrying cannot help (the message is wrong, not the moment): dead-letter at once. */
export class NonRetriableError extends Error {
  override name = 'NonRetriableError';
}

/** A message that cannot be decoded: not JSON, no CloudEvents envelope, or a payload that breaks its schema. */
export class PoisonMessageError extends Error {
  constructor(
    override readonly name: 'InvalidEnvelopeError' | 'InvalidJsonError' | 'SchemaViolationError',
    message: string,
  ) {
    super(message);
  }
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * The database itself is unreachable (not this message's fault): retried without counting attempts, so
 * a PostgreSQL outage pauses the consumer instead of dead-lettering every message that arrives meanwhile.
 */
export function isInfrastructureError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // 08: connection exception; 57P0x: server shutting down; 53300: too many connections.
    if (code.startsWith('08') || code.startsWith('57P0') || code === '53300' || CONNECTION_CODES.has(code)) return true;
  }
  return /Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(
    error.message,
  );
}
