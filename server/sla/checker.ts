import type { Logger } from 'pino';
import { LeaderLease } from '../db/leader-lease.js';
import type { Deps } from '../deps.js';
import { announceBreaches } from './service.js';

/**
 * The periodic check that announces each SLA breach once; a slow check is never stacked on another. With
 * several servers on one database, the one holding the `sla-scan` lease scans (a breach is recorded once
 * by its unique key anyway: the lease saves the others the work).
 */
export class BreachChecker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly lease: LeaderLease;

  constructor(
    private readonly deps: Deps,
    private readonly log: Logger,
  ) {
    // Held while renewed each interval; a crashed holder's lease is taken over after three missed checks.
    this.lease = new LeaderLease(deps.db, 'sla-scan', 3 * deps.config.slaCheckIntervalMs);
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.lease
        .runIfHeld(() => announceBreaches(this.deps))
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
    await this.lease.release().catch((err: unknown) => this.log.warn({ err }, 'releasing the SLA scan lease failed'));
  }
}
