// The customers service as the benchmark's child process: the real app (command side, projections, relay) from
// source, configured by the environment, listening on 127.0.0.1 on a free port reported to the parent over IPC.
import { createServiceApp } from '@crm/platform';
import { AppModule } from '../../services/customers/src/app.module';
import { CustomersConfig } from '../../services/customers/src/customers.config';

async function main(): Promise<void> {
  const app = await createServiceApp(AppModule, { name: 'customers', config: CustomersConfig, openApi: false });
  await app.listen(0, '127.0.0.1');
  process.send?.({ url: await app.getUrl() });
  process.on('message', (message) => {
    if (message === 'stop') void app.close().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
