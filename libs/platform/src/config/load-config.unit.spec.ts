import { IsBoolean, IsString } from 'class-validator';
import { BaseServiceConfig, BooleanFlag, formatConfigProblems, InvalidConfigError, loadConfig, validateConfig } from '../index';

class CustomersConfig extends BaseServiceConfig {
  @IsString()
  NLP_MODEL!: string;

  @BooleanFlag()
  @IsBoolean()
  ERASURE_ENABLED = false;
}

const minimal = { DATABASE_URL: 'postgres://u:secret@db:5432/crm', KAFKA_BROKERS: 'k1:9092, k2:9092', NLP_MODEL: 'afinn' };

describe('validateConfig', () => {
  it('given a minimal environment, then gives a typed config with the defaults', () => {
    const result = validateConfig(CustomersConfig, minimal, { SERVICE_NAME: 'customers' });
    expect(result).toEqual({ ok: true, config: expect.any(CustomersConfig) });
    if (!result.ok) return;
    expect(result.config).toMatchObject({
      SERVICE_NAME: 'customers',
      PORT: 3000,
      HOST: '0.0.0.0',
      LOG_LEVEL: 'info',
      KAFKA_BROKERS: ['k1:9092', 'k2:9092'],
      HTTP_BODY_LIMIT: '1mb',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      NLP_MODEL: 'afinn',
      ERASURE_ENABLED: false,
    });
  });

  it('given values, then converts numbers and flags, and ignores undeclared variables', () => {
    const env = { ...minimal, SERVICE_NAME: 'customers', PORT: '8080', ERASURE_ENABLED: 'true', HOME: '/root' };
    const result = validateConfig(CustomersConfig, env);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.config).toMatchObject({ PORT: 8080, ERASURE_ENABLED: true });
    expect(result.config).not.toHaveProperty('HOME');
  });

  it('given an empty value, then treats it as unset', () => {
    const result = validateConfig(CustomersConfig, { ...minimal, PORT: '', NLP_MODEL: ' ' }, { SERVICE_NAME: 'customers' });
    expect(result).toEqual({ ok: false, problems: [{ variable: 'NLP_MODEL', problems: ['is required but not set'] }] });
  });

  it('given bad values, then names each variable at fault without echoing values', () => {
    const result = validateConfig(CustomersConfig, {
      SERVICE_NAME: 'customers',
      PORT: '70000',
      LOG_LEVEL: 'chatty',
      DATABASE_URL: 'mysql://u:secret@db/crm',
      KAFKA_BROKERS: 'k1',
      ERASURE_ENABLED: 'maybe',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.variable).sort()).toEqual(
      ['DATABASE_URL', 'ERASURE_ENABLED', 'KAFKA_BROKERS', 'LOG_LEVEL', 'NLP_MODEL', 'PORT'].sort(),
    );
    expect(JSON.stringify(result.problems)).not.toContain('secret');
    expect(formatConfigProblems('customers', result.problems)).toContain('  - PORT: PORT must not be greater than 65535');
  });
});

describe('loadConfig', () => {
  it('given a bad environment, then prints every problem and exits 1', () => {
    const exit = jest.fn();
    const print = jest.fn();
    expect(() => loadConfig(CustomersConfig, { env: {}, serviceName: 'customers', exit, print })).toThrow(InvalidConfigError);
    expect(exit).toHaveBeenCalledWith(1);
    expect(print).toHaveBeenCalledTimes(1);
    const message = print.mock.calls[0][0] as string;
    for (const variable of ['SERVICE_NAME', 'DATABASE_URL', 'KAFKA_BROKERS', 'NLP_MODEL']) expect(message).toContain(`- ${variable}: is required`);
  });

  it('given a good environment, then returns the config without exiting', () => {
    const exit = jest.fn();
    expect(loadConfig(CustomersConfig, { env: minimal, defaults: { SERVICE_NAME: 'customers' }, exit }).PORT).toBe(3000);
    expect(exit).not.toHaveBeenCalled();
  });
});
