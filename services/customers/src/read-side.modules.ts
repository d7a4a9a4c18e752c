// The read side plugs in here: projections into PostgreSQL, search, duplicate candidates, analyst views and the
// Kafka relay. Its modules may inject what CustomersInfrastructureModule exports (infrastructure/index.ts).
import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';

export const ReadSideModules: Array<Type<unknown> | DynamicModule | Promise<DynamicModule> | ForwardReference> = [];
