import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { tooManyRequests } from './errors.js';

/**
 * A fixed-window counter per key (IP, email, conversation…): `hit` counts one event and answers 429
 * with `Retry-After` once the key has used up its points in the window.
 */
export class Throttle {
  private readonly limiter: RateLimiterMemory;

  constructor(
    readonly points: number,
    readonly windowSeconds: number,
    private readonly message = 'Too many requests; try again later.',
  ) {
    this.limiter = new RateLimiterMemory({ points, duration: windowSeconds });
  }

  /** Counts one event for `key`; throws 429 when the key is over its limit. */
  async hit(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw tooManyRequests(retryAfter(res), this.message);
      throw res;
    }
  }

  /** Throws 429 when `key` has already used up its points, without counting an event. */
  async check(key: string): Promise<void> {
    const res = await this.limiter.get(key);
    if (res && res.consumedPoints >= this.points) throw tooManyRequests(retryAfter(res), this.message);
  }

  /** Counts one event without throwing (a failure to remember, e.g. a wrong password). */
  async penalize(key: string): Promise<void> {
    await this.limiter.penalty(key, 1);
  }

  async reset(key: string): Promise<void> {
    await this.limiter.delete(key);
  }
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
