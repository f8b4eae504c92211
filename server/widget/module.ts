import type { ServerModule } from '../http/server-module.js';
import { widgetCors } from './cors.js';
import { widgetRoutes } from './routes.js';

/** The public widget API and its CORS (only the bound website's origin). */
export const widgetModule: ServerModule = { name: 'widget', routes: widgetRoutes, middleware: widgetCors() };
