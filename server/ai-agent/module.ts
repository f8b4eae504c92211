import type { ServerModule } from '../http/server-module.js';
import { aiAgentRoutes } from './routes.js';

/** Agent assist and the AI report; the AI agent itself (ai-agent/agent.ts) is built and started in server/wiring.ts. */
export const aiAgentModule: ServerModule = { name: 'ai-agent', routes: aiAgentRoutes };
