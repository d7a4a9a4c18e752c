// The logger the messaging core writes to: pino's call shape (fields first, then the message), so a
// service passes its pino logger (or a child with its own context) and the core stays framework-free.
export interface MessagingLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

const noop = () => undefined;
export const silentLogger: MessagingLogger = { debug: noop, info: noop, warn: noop, error: noop };

export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { err: { type: error.name, message: error.message, stack: error.stack } };
  return { err: { message: String(error) } };
}
