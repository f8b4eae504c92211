import type { AnyRoute } from './http/route.js';
import type { ServerModule } from './http/server-module.js';
import { accountRoutes } from './accounts/routes.js';
import { agentRoutes } from './agents/routes.js';
import { aiAgentModule } from './ai-agent/module.js';
import { agenticRagRoutes } from './agentic-rag/routes.js';
import { attachmentRoutes } from './attachments/routes.js';
import { apiKeyRoutes } from './api-keys/routes.js';
import { backupRoutes } from './backups/routes.js';
import { cannedResponseRoutes } from './canned-responses/routes.js';
import { contactRoutes } from './contacts/routes.js';
import { conversationRoutes } from './conversations/routes.js';
import { domainRoutes } from './domains/routes.js';
import { exportRoutes } from './export/routes.js';
import { healthRoutes } from './health/routes.js';
import { instanceRoutes } from './instance/routes.js';
import { kbRoutes } from './kb/routes.js';
import { labelRoutes } from './labels/routes.js';
import { reportRoutes } from './reports/routes.js';
import { realtimeModule } from './realtime/module.js';
import { searchRoutes } from './search/routes.js';
import { slaModule } from './sla/module.js';
import { webhooksModule } from './webhooks/module.js';
import { widgetModule } from './widget/module.js';

/** Every module of the server, in the order their routes and docs sections are mounted. */
export function serverModules(): ServerModule[] {
  return [
    { name: 'health', routes: healthRoutes },
    { name: 'accounts', routes: accountRoutes },
    { name: 'instance', routes: instanceRoutes },
    { name: 'backups', routes: backupRoutes },
    { name: 'domains', routes: domainRoutes },
    { name: 'agents', routes: agentRoutes },
    { name: 'api-keys', routes: apiKeyRoutes },
    { name: 'knowledge-base', routes: kbRoutes },
    { name: 'agentic-rag', routes: agenticRagRoutes },
    { name: 'search', routes: searchRoutes },
    { name: 'export', routes: exportRoutes },
    { name: 'conversations', routes: conversationRoutes },
    { name: 'contacts', routes: contactRoutes },
    { name: 'labels', routes: labelRoutes },
    { name: 'reports', routes: reportRoutes },
    { name: 'canned-responses', routes: cannedResponseRoutes },
    { name: 'attachments', routes: attachmentRoutes },
    aiAgentModule,
    widgetModule,
    realtimeModule,
    webhooksModule,
    slaModule,
  ];
}

export const routesOf = (modules: ServerModule[]): AnyRoute[] => modules.flatMap((m) => m.routes);

/** The modules' sections of the docs introduction, in module order. */
export const docsOf = (modules: ServerModule[]): string =>
  modules
    .flatMap((m) => (m.docs ? [m.docs] : []))
    .map((section) => `\n\n${section}`)
    .join('');
