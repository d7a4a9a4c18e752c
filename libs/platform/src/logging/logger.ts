// Structured JSON logs with pino: one root logger per service, one child per class (`context`),
// the current correlation id added to every line.
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/service-config';
import { currentCorrelationId } from './correlation';

export type { Logger } from 'pino';

export interface RootLoggerOptions {
  service: string;
  level: LogLevel;
  /** Where lines go; stdout when absent. Tests pass a stream that captures them. */
  destination?: DestinationStream;
}

export function createRootLogger({ service, level, destination }: RootLoggerOptions): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // A mixin, not a child binding: a field given in the call wins instead of being written twice.
      mixin: () => {
        const correlationId = currentCorrelationId();
        return correlationId ? { correlationId } : {};
      },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'], censor: '[redacted]' },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Hands out one child logger per context (usually a class name). */
export class PlatformLogger {
  private readonly children = new Map<string, Logger>();

  constructor(readonly root: Logger) {}

  forContext(context: string): Logger {
    let child = this.children.get(context);
    if (!child) {
      child = this.root.child({ context });
      this.children.set(context, child);
    }
    return child;
  }
}
