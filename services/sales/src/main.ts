// The sales service process: validated config, migrations, HTTP on HOST:PORT, graceful stop on SIGTERM.
import { bootstrapService } from '@crm/platform';
import { AppModule } from './app.module';
import { SalesConfig } from './sales.config';

void bootstrapService(AppModule, {
  name: 'sales',
  config: SalesConfig,
  openApi: { title: 'sales', description: 'Leads, opportunities, pipelines and stages, sales activities' },
});
