// The sales service as the benchmark's child process: the real app (commands, read side, relay, conversion saga,
// reminders) from source, configured by the environment.
import { createServiceApp } from '@crm/platform';
import { AppModule } from '../../services/sales/src/app.module';
import { SalesConfig } from '../../services/sales/src/sales.config';
import { serveForBenchmark } from '../customers/bench-kit';

serveForBenchmark(() => createServiceApp(AppModule, { name: 'sales', config: SalesConfig, openApi: false }));
