import type { ServerModule } from '../http/server-module.js';
import { slaRoutes } from './routes.js';

/** SLA policy and status routes; the periodic breach check (sla/checker.ts) is built in server/wiring.ts. */
export const slaModule: ServerModule = { name: 'sla', routes: slaRoutes };
