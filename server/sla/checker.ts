import type { Logger } from 'pino';
import type { Deps } from '../deps.js';
import { announceBreaches } from './service.js';

/** The periodic check that announces each SLA breach once; a slow check is never stacked on another. */
export class BreachChecker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = announceBreaches(this.deps)
        .then(
          (announced) => void (announced && this.log.info({ announced }, 'SLA breaches announced')),
          (err: unknown) => this.log.error({ err }, 'SLA breach check failed'),
        )
        .finally(() => (this.running = undefined));
    }, this.deps.config.slaCheckIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for a check in progress (the database closes after this). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
