// @crm/platform: the bootstrap every NestJS service uses.
import 'reflect-metadata';

export * from './config/service-config';
export * from './config/load-config';
export * from './errors/domain-error';
export * from './errors/error-mapping';
export * from './errors/validation';
export { PlatformExceptionFilter } from './errors/exception.filter';
export * from './commands/command-envelope';
export * from './commands/command-answer';
export { MapErrorsInterceptor, withCause, type HttpErrorMapper } from './commands/map-errors.interceptor';
export * from './dto/dto-decorators';
export { IdParams } from './dto/id-params';
export * from './logging/correlation';
export * from './logging/logger';
export { NestLoggerAdapter } from './logging/nest-logger.adapter';
export { correlationIdOf } from './logging/http-logging';
export * from './health/health-registry';
export { createPostgresCheck, type PostgresCheck } from './health/postgres.health';
export * from './metrics/metrics';
export * from './shutdown/drain';
export * from './shutdown/shutdown';
export * from './http/platform.module';
export * from './http/service-app';
export * from './tokens';
