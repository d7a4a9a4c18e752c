// Validates the environment into a typed config object at boot; a bad variable stops the start, named.
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';

export type ConfigClass<T extends object> = new () => T;
export type Environment = Readonly<Record<string, string | undefined>>;

export interface ConfigProblem {
  variable: string;
  problems: string[];
}

export type ConfigResult<T> = { ok: true; config: T } | { ok: false; problems: ConfigProblem[] };

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(`Invalid configuration: ${problems.map((p) => p.variable).join(', ')}`);
  }
}

/** The variables a config class declares: every property that carries a class-validator decorator. */
export function declaredVariables(cls: ConfigClass<object>): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

/** Pure: reads only the declared variables; an empty value counts as unset so that defaults apply. */
export function validateConfig<T extends object>(
  cls: ConfigClass<T>,
  env: Environment,
  defaults: Environment = {},
): ConfigResult<T> {
  const plain: Record<string, string> = {};
  for (const name of declaredVariables(cls)) {
    const value = isSet(env[name]) ? env[name] : defaults[name];
    if (isSet(value)) plain[name] = value;
  }
  const config = plainToInstance(cls, plain);
  const errors = validateSync(config, { forbidUnknownValues: false, stopAtFirstError: true });
  if (errors.length === 0) return { ok: true, config };
  return { ok: false, problems: errors.map((error) => toProblem(error, plain)) };
}

export function formatConfigProblems(service: string, problems: ConfigProblem[]): string {
  const lines = problems.map((p) => `  - ${p.variable}: ${p.problems.join('; ')}`);
  return [`${service}: invalid configuration, fix these environment variables:`, ...lines].join('\n');
}

export interface LoadConfigOptions {
  env?: Environment;
  /** Used where a variable is unset, e.g. SERVICE_NAME from the service's name. */
  defaults?: Environment;
  serviceName?: string;
  /** Injectable for tests; the real path is process.exit(1). */
  exit?: (code: number) => void;
  print?: (message: string) => void;
}

/** Returns the typed config, or prints every problem and exits 1. */
export function loadConfig<T extends object>(cls: ConfigClass<T>, options: LoadConfigOptions = {}): T {
  const result = validateConfig(cls, options.env ?? process.env, options.defaults);
  if (result.ok) return result.config;
  const print = options.print ?? ((message: string) => process.stderr.write(`${message}\n`));
  print(formatConfigProblems(options.serviceName ?? 'service', result.problems));
  (options.exit ?? process.exit)(1);
  throw new InvalidConfigError(result.problems); // reached only when exit is stubbed
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function toProblem(error: ValidationError, plain: Record<string, string>): ConfigProblem {
  // Values are not echoed: they may be secrets (DATABASE_URL carries a password).
  if (!(error.property in plain)) return { variable: error.property, problems: ['is required but not set'] };
  return { variable: error.property, problems: Object.values(error.constraints ?? { invalid: 'is invalid' }) };
}
