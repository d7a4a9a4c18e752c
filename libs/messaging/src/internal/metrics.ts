// prom-client metrics on the registry the service passes in. Several relays or consumers in one
// process share a metric (told apart by labels), so an existing metric is reused, not re-registered.
import { Counter, Gauge, type Registry } from 'prom-client';

export function counter<L extends string>(registry: Registry | undefined, name: string, help: string, labelNames: L[]): Counter<L> {
  const existing = registry?.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames, registers: registry ? [registry] : [] });
}

export function gauge<L extends string>(registry: Registry | undefined, name: string, help: string, labelNames: L[]): Gauge<L> {
  const existing = registry?.getSingleMetric(name);
  if (existing) return existing as Gauge<L>;
  return new Gauge({ name, help, labelNames, registers: registry ? [registry] : [] });
}
