// One prom-client Registry per service, with process metrics and HTTP request metrics.
import type { ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { HttpRequest, Middleware } from '../logging/http-logging';

export { Registry } from 'prom-client';

export function createMetricsRegistry(service: string, options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}

const LABELS = ['method', 'route', 'status'] as const;
type Labels = (typeof LABELS)[number];

export class HttpMetrics {
  readonly requests: Counter<Labels>;
  readonly duration: Histogram<Labels>;

  constructor(registry: Registry) {
    this.requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests answered', labelNames: LABELS, registers: [registry] });
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request',
      labelNames: LABELS,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  middleware(): Middleware {
    return (req, res, next) => {
      const started = process.hrtime.bigint();
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        const labels = { method: req.method ?? 'UNKNOWN', route: routeOf(req), status: String(statusOf(res)) };
        this.requests.inc(labels);
        this.duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
      };
      res.once('finish', record);
      res.once('close', record);
      next();
    };
  }
}

/** The matched route pattern (`/customers/:id`), never the raw URL: one series per route, not per id. */
export function routeOf(req: HttpRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}

function statusOf(res: ServerResponse): number {
  // A client that went away before the answer: nginx's convention.
  return res.writableFinished || res.headersSent ? res.statusCode : 499;
}
