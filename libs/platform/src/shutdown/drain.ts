// Graceful drain of an HTTP server: stop accepting, let in-flight requests finish within a bound.
import type { Server } from 'node:http';
import type { Middleware } from '../logging/http-logging';

export class InFlightRequests {
  private count = 0;
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  /** Counts requests; while draining, asks keep-alive clients to reconnect elsewhere. */
  middleware(isDraining: () => boolean): Middleware {
    return (_req, res, next) => {
      this.count += 1;
      if (isDraining()) res.setHeader('Connection', 'close');
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        this.count -= 1;
        if (this.count === 0) this.waiters.splice(0).forEach((wake) => wake());
      };
      res.once('finish', finish);
      res.once('close', finish);
      next();
    };
  }

  idle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export interface DrainResult {
  timedOut: boolean;
  /** Requests still running at the deadline; their connections were closed. */
  abandoned: number;
}

export async function drainHttpServer(server: Server, inFlight: InFlightRequests, timeoutMs: number): Promise<DrainResult> {
  // close() stops the listener (and, since Node 19, drops idle keep-alive connections).
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<true>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  const timedOut = await Promise.race([inFlight.idle().then(() => false as const), deadline]);
  clearTimeout(timer);
  const abandoned = inFlight.size;
  server.closeAllConnections(); // keep-alive sockets that went idle meanwhile, or requests past the deadline
  await closed;
  return { timedOut, abandoned };
}
