// Creating a service's Nest app (tests stop here) apart from listening on HOST:PORT (main.ts).
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DestinationStream } from 'pino';
import { InvalidConfigError, loadConfig, type ConfigClass, type Environment } from '../config/load-config';
import type { BaseServiceConfig } from '../config/service-config';
import { bigintReplacer, RequestBodyError, type ErrorMapping } from '../errors/error-mapping';
import { ReadinessState } from '../health/health-registry';
import { correlationMiddleware, requestLogging } from '../logging/http-logging';
import { createRootLogger, PlatformLogger } from '../logging/logger';
import { NestLoggerAdapter } from '../logging/nest-logger.adapter';
import { HttpMetrics } from '../metrics/metrics';
import { InFlightRequests } from '../shutdown/drain';
import { installShutdownHandlers } from '../shutdown/shutdown';
import { SERVICE_CONFIG } from '../tokens';
import { PlatformModule } from './platform.module';

export interface ServiceAppOptions<C extends BaseServiceConfig> {
  /** The service's name: default SERVICE_NAME, the `service` field of logs, the metrics label. */
  name: string;
  config: ConfigClass<C>;
  /** Default process.env. */
  env?: Environment;
  /** Where log lines go; default stdout. */
  logDestination?: DestinationStream;
  /** Injectable for tests: called with 1 on bad config, 0 after a graceful stop. Default process.exit. */
  exit?: (code: number) => void;
  errorMappings?: readonly ErrorMapping[];
  postgresHealth?: boolean;
  openApi?: { title?: string; description?: string; version?: string } | false;
}

class ServiceRootModule {}

export async function createServiceApp<C extends BaseServiceConfig>(
  appModule: Type<unknown> | DynamicModule,
  options: ServiceAppOptions<C>,
): Promise<NestExpressApplication> {
  const config = loadConfig(options.config, {
    env: options.env ?? process.env,
    defaults: { SERVICE_NAME: options.name },
    serviceName: options.name,
    exit: options.exit,
  });
  const loggers = new PlatformLogger(
    createRootLogger({ service: config.SERVICE_NAME, level: config.LOG_LEVEL, destination: options.logDestination }),
  );
  const platform = PlatformModule.forRoot({
    config,
    configClass: options.config as Type<C>,
    logger: loggers,
    errorMappings: options.errorMappings,
    postgresHealth: options.postgresHealth,
  });
  const app = await NestFactory.create<NestExpressApplication>(
    { module: ServiceRootModule, imports: [platform, appModule] },
    { bodyParser: false, logger: new NestLoggerAdapter(loggers), abortOnError: false },
  );
  app.disable('x-powered-by');
  app.set('json replacer', bigintReplacer);
  // Order matters: count and correlate first, so that even a rejected body is logged and measured.
  app.use(app.get(InFlightRequests).middleware(() => app.get(ReadinessState).draining));
  app.use(correlationMiddleware());
  app.use(requestLogging(loggers));
  app.use(app.get(HttpMetrics).middleware());
  app.useBodyParser('json', { limit: config.HTTP_BODY_LIMIT });
  app.use((error: unknown, _req: unknown, _res: unknown, next: (error?: unknown) => void) => next(RequestBodyError.from(error) ?? error));
  app.use(correlationMiddleware());
  if (options.openApi !== false) setUpOpenApi(app, config.SERVICE_NAME, options.openApi ?? {});
  await app.init();
  return app;
}

/** Listens on HOST:PORT, logs the address, and drains on SIGTERM/SIGINT. Returns the URL. */
export async function startService(app: NestExpressApplication, options: { exit?: (code: number) => void } = {}): Promise<string> {
  const config = app.get<BaseServiceConfig>(SERVICE_CONFIG);
  await app.listen(config.PORT, config.HOST);
  installShutdownHandlers(app, { exit: options.exit });
  const url = await app.getUrl();
  app.get(PlatformLogger).forContext('Bootstrap').info({ url, docs: `${url}/docs` }, `${config.SERVICE_NAME} listening on ${url}`);
  return url;
}

/** main.ts in one call: create, listen, and exit 1 if the start fails. */
export async function bootstrapService<C extends BaseServiceConfig>(
  appModule: Type<unknown> | DynamicModule,
  options: ServiceAppOptions<C>,
): Promise<NestExpressApplication> {
  const exit = options.exit ?? process.exit;
  try {
    const app = await createServiceApp(appModule, options);
    await startService(app, { exit });
    return app;
  } catch (error) {
    // A bad config has already been reported and exited; anything else (DI, port in use) is reported here.
    if (!(error instanceof InvalidConfigError)) {
      const err = error instanceof Error ? error.stack : String(error);
      process.stderr.write(`${JSON.stringify({ level: 'fatal', service: options.name, msg: 'start failed', err })}\n`);
      exit(1);
    }
    throw error;
  }
}

function setUpOpenApi(app: NestExpressApplication, service: string, info: { title?: string; description?: string; version?: string }): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(info.title ?? service)
      .setDescription(info.description ?? `HTTP API of the ${service} service`)
      .setVersion(info.version ?? '1')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
