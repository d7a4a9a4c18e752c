// Express middleware: correlation id in and out, one pino-http line per request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { CORRELATION_HEADER, resolveCorrelationId, runWithCorrelationId } from './correlation';
import type { PlatformLogger } from './logger';

export type HttpRequest = IncomingMessage & { correlationId?: string; route?: { path?: unknown }; baseUrl?: string };
export type Middleware = (req: HttpRequest, res: ServerResponse, next: (error?: unknown) => void) => void;

const QUIET_PATHS = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Resolves the request's correlation id, echoes it in the response and runs the rest of the chain
 * inside its context. Registered twice: body-parser resumes on stream events, outside the context,
 * so the second registration after the parser enters it again.
 */
export function correlationMiddleware(): Middleware {
  return (req, res, next) => {
    if (!req.correlationId) {
      req.correlationId = resolveCorrelationId(req.headers[CORRELATION_HEADER]);
      res.setHeader(CORRELATION_HEADER, req.correlationId);
    }
    runWithCorrelationId(req.correlationId, () => next());
  };
}

export function correlationIdOf(req: unknown): string | undefined {
  return (req as HttpRequest | undefined)?.correlationId;
}

/** What a request line records of the request: not its headers (tokens, cookies), and cheap to write. */
const requestFields = (req: HttpRequest): object => ({ method: req.method, url: req.url });

/** One line per finished request; probes and scrapes are left out. */
export function requestLogging(loggers: PlatformLogger): Middleware {
  const withId = (req: IncomingMessage, fields: object) => ({ ...fields, correlationId: correlationIdOf(req) });
  return pinoHttp({
    logger: loggers.forContext('HttpRequest'),
    genReqId: (req) => correlationIdOf(req) ?? resolveCorrelationId(undefined),
    autoLogging: { ignore: (req) => QUIET_PATHS.test(req.url ?? '') },
    wrapSerializers: false,
    serializers: { req: (req: HttpRequest) => requestFields(req), res: (res: ServerResponse) => ({ statusCode: res.statusCode }) },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessObject: (req, _res, fields) => withId(req, fields),
    // The exception filter logs the error with its stack; this line only records the request.
    customErrorObject: (req, res, _err, fields) => withId(req, { res, responseTime: fields['responseTime'] }),
    customErrorMessage: (req, res) => `${req.method} ${req.url} failed with ${res.statusCode}`,
  });
}
