// The sales service as the benchmark's child process: the real app (commands, read side, relay, conversion saga,
// reminders) from source, configured by the environment, on 127.0.0.1 on a free port reported to the parent over IPC.
import { createServiceApp } from '@crm/platform';
import { AppModule } from '../../services/sales/src/app.module';
import { SalesConfig } from '../../services/sales/src/sales.config';

async function main(): Promise<void> {
  const app = await createServiceApp(AppModule, { name: 'sales', config: SalesConfig, openApi: false });
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
