import { HealthRegistry, ReadinessState } from '../index';

describe('HealthRegistry', () => {
  it('reports a check as up, down when it throws, and down when it outlives its timeout', async () => {
    const registry = new HealthRegistry();
    registry.register('eventstore', () => ({ position: 42 }));
    registry.register('kafka', async () => {
      throw new Error('not connected');
    });
    registry.register('slow', () => new Promise((resolve) => setTimeout(resolve, 200)), { timeoutMs: 20 });
    expect(await Promise.all(registry.names().map((name) => registry.run(name)))).toEqual([
      { name: 'eventstore', up: true, details: { position: 42 } },
      { name: 'kafka', up: false, details: { message: 'not connected' } },
      { name: 'slow', up: false, details: { message: 'timed out after 20 ms' } },
    ]);
  });
});

describe('ReadinessState', () => {
  it('stays draining once marked', () => {
    const state = new ReadinessState();
    expect(state.draining).toBe(false);
    state.markDraining();
    state.markDraining();
    expect(state.draining).toBe(true);
  });
});
