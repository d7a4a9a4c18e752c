import { Writable } from 'node:stream';
import {
  createRootLogger,
  currentCorrelationId,
  isValidCorrelationId,
  NestLoggerAdapter,
  PlatformLogger,
  resolveCorrelationId,
  runWithCorrelationId,
} from '../index';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, loggers: new PlatformLogger(createRootLogger({ service: 'customers', level: 'debug', destination: stream })) };
}

describe('correlation id', () => {
  it.each([
    ['abc-123', true],
    ['svc:cmd.42_x', true],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
    ['has space', false],
    ['quote"', false],
    ['', false],
  ])('accepts %p: %p', (value, valid) => {
    expect(isValidCorrelationId(value)).toBe(valid);
    expect(resolveCorrelationId(value) === value).toBe(valid);
  });

  it('generates a uuid when there is none', () => {
    expect(resolveCorrelationId(undefined)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('is current throughout an async call chain, and only there', async () => {
    expect(currentCorrelationId()).toBeUndefined();
    await runWithCorrelationId('cmd-1', async () => {
      await new Promise((resolve) => setImmediate(resolve));
      expect(currentCorrelationId()).toBe('cmd-1');
    });
    expect(currentCorrelationId()).toBeUndefined();
  });
});

describe('logger', () => {
  it('writes JSON with the service, the class context and the current correlation id, once', () => {
    const { lines, loggers } = capture();
    const log = loggers.forContext('RegisterCustomerHandler');
    runWithCorrelationId('cmd-7', () => log.info({ customerId: 'c-1' }, 'customer registered'));
    runWithCorrelationId('cmd-7', () => log.info({ correlationId: 'explicit' }, 'given explicitly'));
    log.info('outside');
    expect(lines[0]).toMatchObject({ level: 'info', service: 'customers', context: 'RegisterCustomerHandler', correlationId: 'cmd-7', customerId: 'c-1', msg: 'customer registered' });
    expect(lines[1]).toMatchObject({ correlationId: 'explicit' });
    expect(lines[2]).not.toHaveProperty('correlationId');
    expect(loggers.forContext('RegisterCustomerHandler')).toBe(log);
  });

  it("adapts Nest's logger calls: context last, stack for errors, objects as fields", () => {
    const { lines, loggers } = capture();
    const nest = new NestLoggerAdapter(loggers);
    nest.log('Mapped {/health, GET} route', 'RouterExplorer');
    nest.error('boom', 'Error: boom\n    at x (y.ts:1:1)', 'ExceptionsHandler');
    nest.warn({ msg: 'slow', ms: 1200 }, 'Projector');
    nest.verbose('detail');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'RouterExplorer', msg: 'Mapped {/health, GET} route' }),
      expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', msg: 'boom', stack: expect.stringContaining('at x') }),
      expect.objectContaining({ level: 'warn', context: 'Projector', msg: 'slow', ms: 1200 }),
    ]); // verbose maps to trace, below the debug level
  });
});
