// The customers service process: validated config, migrations, HTTP on HOST:PORT, graceful stop on SIGTERM.
import { bootstrapService } from '@crm/platform';
import { AppModule } from './app.module';
import { CustomersConfig } from './customers.config';

void bootstrapService(AppModule, {
  name: 'customers',
  config: CustomersConfig,
  openApi: { title: 'customers', description: 'Customer profiles, contact data, consent, purchases, duplicates and merges, erasure' },
});
