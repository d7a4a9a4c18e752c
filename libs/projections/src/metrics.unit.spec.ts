// The projection status gauges: every runner of a service registers its source, and a scrape reports them all.
import { Registry } from 'prom-client';
import { registerProjectionStatusGauges } from './metrics';
import type { ProjectionStatus } from './status';

const status = (name: string, lagEvents: number): ProjectionStatus => ({
  name,
  readSchema: 'sales',
  head: null,
  building: null,
  live: {
    version: 1,
    definitionVersion: 1,
    status: 'live',
    position: { commit: 10n, prepare: 3n },
    updatedAt: new Date(0),
    lastEventAt: null,
    lagEvents,
    lagEventsCapped: false,
    lagSeconds: lagEvents / 10,
  },
});

describe('registerProjectionStatusGauges', () => {
  it('reports the projections of every source registered on one registry, asking each source once per scrape', async () => {
    const registry = new Registry();
    let asked = 0;
    registerProjectionStatusGauges(registry, async () => {
      asked += 1;
      return [status('opportunities', 4), status('leads', 0)];
    });
    registerProjectionStatusGauges(registry, async () => [status('reminders', 7)]);

    const text = await registry.metrics();
    expect(text).toContain('crm_projection_lag_events{projection="opportunities",status="live"} 4');
    expect(text).toContain('crm_projection_lag_events{projection="leads",status="live"} 0');
    expect(text).toContain('crm_projection_lag_events{projection="reminders",status="live"} 7');
    expect(text).toContain('crm_projection_lag_seconds{projection="reminders",status="live"} 0.7');
    expect(asked).toBe(1);
  });

  it('keeps registries apart', async () => {
    const a = new Registry();
    const b = new Registry();
    registerProjectionStatusGauges(a, async () => [status('in-a', 1)]);
    registerProjectionStatusGauges(b, async () => [status('in-b', 2)]);
    expect(await a.metrics()).not.toContain('in-b');
    expect(await b.metrics()).not.toContain('in-a');
  });
});
