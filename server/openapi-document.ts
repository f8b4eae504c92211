import { buildOpenApi } from './http/openapi.js';
import type { ServerModule } from './http/server-module.js';
import { docsOf, routesOf, serverModules } from './modules.js';

/**
 * The OpenAPI document of the whole API, from the modules' route definitions alone: no server, database
 * or configuration needed, so the build writes it to dist/openapi.json and the running server serves
 * the same document at /openapi.json.
 */
export function openApiDocument(modules: ServerModule[] = serverModules()): Record<string, unknown> {
  return buildOpenApi(routesOf(modules), docsOf(modules));
}
