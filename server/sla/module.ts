import type { ServerModule } from '../modules.js';
import { slaRoutes } from './routes.js';
import { announceBreaches } from './service.js';

/** SLA policy and status routes, and the periodic check that announces each breach once. */
export function slaModule(): ServerModule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  return {
    name: 'sla',
    routes: slaRoutes,
    start(deps) {
      const log = deps.log.child({ module: 'sla' });
      timer = setInterval(() => {
        if (running) return; // a slow check is not stacked on
        running = announceBreaches(deps)
          .then(
            (announced) => void (announced && log.info({ announced }, 'SLA breaches announced')),
            (err: unknown) => log.error({ err }, 'SLA breach check failed'),
          )
          .finally(() => (running = undefined));
      }, deps.config.slaCheckIntervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
