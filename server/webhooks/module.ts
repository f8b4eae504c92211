import type { Deps } from '../deps.js';
import type { ServerModule } from '../modules.js';
import { WEBHOOK_SIGNATURE_DOCS } from './docs.js';
import { outboxSink } from './outbox.js';
import { webhookRoutes } from './routes.js';
import { OutboxWorker, outboxSettings, registerOutboxWorker } from './worker.js';

/** Webhook CRUD, the outbox sink written with every event, and the delivery worker (drained on stop). */
export function webhooksModule(): ServerModule {
  let worker: OutboxWorker | undefined;
  let deps: Deps | undefined;
  return {
    name: 'webhooks',
    routes: webhookRoutes,
    docs: WEBHOOK_SIGNATURE_DOCS,
    async start(d) {
      deps = d;
      worker = new OutboxWorker(d, outboxSettings(d), d.log.child({ module: 'webhooks' }));
      const running = worker;
      d.eventSinks.push(outboxSink(() => running.wake()));
      registerOutboxWorker(d, worker);
      await worker.start();
    },
    async stop() {
      await worker?.stop();
      if (deps) registerOutboxWorker(deps, undefined);
    },
  };
}
