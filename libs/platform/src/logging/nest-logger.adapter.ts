// Nest's LoggerService on top of pino, so that Nest's own lines and `new Logger(Foo.name)` are JSON too.
import type { LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import type { PlatformLogger } from './logger';

export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly loggers: PlatformLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  // Nest calls (message, ...params, context) and, for errors, (message, stack?, context).
  private write(level: Level, message: unknown, params: unknown[]): void {
    const last = params[params.length - 1];
    const context = typeof last === 'string' && !looksLikeStack(last) ? last : undefined;
    const rest = context === undefined ? params : params.slice(0, -1);
    const stack = rest.find((p): p is string => typeof p === 'string' && looksLikeStack(p));
    const fields: Record<string, unknown> = stack ? { stack } : {};
    const log = this.loggers.forContext(context ?? 'Nest');
    if (message instanceof Error) {
      log[level]({ ...fields, err: message }, message.message);
    } else if (message !== null && typeof message === 'object') {
      const { msg, message: text, ...more } = message as Record<string, unknown>;
      log[level]({ ...fields, ...more }, String(msg ?? text ?? ''));
    } else {
      log[level](fields, String(message));
    }
  }
}

function looksLikeStack(value: string): boolean {
  return /\n\s+at /.test(value);
}
