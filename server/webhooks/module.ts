import type { ServerModule } from '../http/server-module.js';
import { WEBHOOK_SIGNATURE_DOCS } from './docs.js';
import { webhookRoutes } from './routes.js';

/** Webhook CRUD and delivery log; the outbox sink and its delivery worker are built in server/wiring.ts. */
export const webhooksModule: ServerModule = { name: 'webhooks', routes: webhookRoutes, docs: WEBHOOK_SIGNATURE_DOCS };
