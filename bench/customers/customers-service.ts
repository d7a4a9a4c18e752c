// The customers service as the benchmark's child process: the real app (command side, projections, relay, lead
// conversions) from source, configured by the environment.
import { createServiceApp } from '@crm/platform';
import { AppModule } from '../../services/customers/src/app.module';
import { CustomersConfig } from '../../services/customers/src/customers.config';
import { serveForBenchmark } from './bench-kit';

serveForBenchmark(() => createServiceApp(AppModule, { name: 'customers', config: CustomersConfig, openApi: false }));
