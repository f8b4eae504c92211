import type { Config } from '../config.js';
import { tooManyRequests } from '../errors.js';
import { Throttle, type ThrottleStore } from '../throttle.js';

export type LoginRules = Pick<
  Config,
  | 'loginMaxFailures'
  | 'loginBackoffSeconds'
  | 'loginBackoffMaxSeconds'
  | 'loginWindowSeconds'
  | 'loginAddressMaxFailures'
  | 'loginEmailMaxFailures'
>;

/**
 * How long a sign-in that worked vouches for its (address, e-mail) pair against the broad caps. Under 24.8
 * days: the memory store expires keys with a timer, and longer ones overflow setTimeout (fire at once).
 */
const REMEMBER_SECONDS = 14 * 86_400;
/** How long a pair's backoff level outlives its last used-up window. */
const LEVEL_SECONDS = 86_400;
const MESSAGE = 'Too many failed sign-in attempts; try again later.';

/**
 * Guards `POST /auth/login` (the rule the README's security section states):
 * - each (address, e-mail) pair gets `loginMaxFailures` tries per window; the first window lasts
 *   `loginBackoffSeconds`, and each window the pair uses up doubles the next (up to `loginBackoffMaxSeconds`);
 * - each address, and each e-mail, may fail `loginAddressMaxFailures` / `loginEmailMaxFailures` times per
 *   `loginWindowSeconds`; past that only pairs that signed in before (within 14 days) may still try, so a
 *   guesser behind an office's NAT does not lock its colleagues out, nor a guesser elsewhere the e-mail's owner;
 * - a try is counted before the password is checked (atomically, in the throttle store) and given back when
 *   it was right, so concurrent guesses count exactly like sequential ones; a right password clears the pair.
 */
export class LoginThrottle {
  private readonly pair: Throttle;
  private readonly level: Throttle;
  private readonly address: Throttle;
  private readonly email: Throttle;
  private readonly known: Throttle;

  constructor(
    store: ThrottleStore,
    private readonly rules: LoginRules,
  ) {
    this.pair = new Throttle(store, 'login_pair', rules.loginMaxFailures, rules.loginBackoffSeconds, MESSAGE);
    this.level = new Throttle(store, 'login_level', Number.MAX_SAFE_INTEGER, LEVEL_SECONDS);
    this.address = new Throttle(store, 'login_address', rules.loginAddressMaxFailures, rules.loginWindowSeconds, MESSAGE);
    this.email = new Throttle(store, 'login_email', rules.loginEmailMaxFailures, rules.loginWindowSeconds, MESSAGE);
    this.known = new Throttle(store, 'login_known', 1, REMEMBER_SECONDS);
  }

  /**
   * Counts one try, then runs `check` (the password check) unless the try is over a limit (429). `check`
   * answers what it verified, or undefined for a wrong e-mail or password.
   */
  async attempt<T>(address: string, email: string, check: () => Promise<T | undefined>): Promise<T | undefined> {
    const pairKey = pairOf(address, email);
    const [byAddress, byEmail, known] = await Promise.all([this.address.take(address), this.email.take(email), this.known.used(pairKey)]);
    const broadCapsOk = (byAddress.ok && byEmail.ok) || known > 0;
    const giveBackBroad = () =>
      Promise.all([byAddress.ok && this.address.refund(address), byEmail.ok && this.email.refund(email)]).then(() => undefined);
    if (!broadCapsOk) {
      await giveBackBroad();
      const waits = [byAddress, byEmail].flatMap((taken) => (taken.ok ? [] : [taken.retryAfter]));
      throw tooManyRequests(Math.max(...waits), MESSAGE);
    }

    const level = await this.level.used(pairKey);
    const window = Math.min(this.rules.loginBackoffMaxSeconds, this.rules.loginBackoffSeconds * 2 ** level);
    const byPair = await this.pair.take(pairKey, window);
    if (!byPair.ok) {
      // Refused before any check: not a guess the broad caps should count.
      await giveBackBroad();
      throw this.pair.rejection(byPair.retryAfter);
    }
    // This try used up the window: the next one is twice as long, whatever this try turns out to be.
    if (byPair.consumed === this.pair.points) await this.level.take(pairKey);

    const verified = await check();
    if (verified !== undefined) await this.succeeded(address, email);
    return verified;
  }

  /** A right password: its try is given back, the pair's backoff cleared and the pair remembered. */
  private async succeeded(address: string, email: string): Promise<void> {
    const pairKey = pairOf(address, email);
    await Promise.all([
      this.pair.reset(pairKey),
      this.level.reset(pairKey),
      this.address.refund(address),
      this.email.refund(email),
      this.remember(address, email),
    ]);
  }

  /** Vouches for a pair against the broad caps for 14 days (a sign-in that worked, or a new account's owner). */
  async remember(address: string, email: string): Promise<void> {
    await this.known.mark(pairOf(address, email), REMEMBER_SECONDS);
  }
}

const pairOf = (address: string, email: string) => `${address}|${email}`;
