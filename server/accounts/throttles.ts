import type { Config } from '../config.js';
import { Throttle } from '../throttle.js';

/** Failed sign-ins counted per IP and per email (429 + Retry-After past the configured budget). */
export type LoginThrottles = { byIp: Throttle; byEmail: Throttle };

export function createLoginThrottles(config: Pick<Config, 'loginMaxFailures' | 'loginWindowSeconds'>): LoginThrottles {
  const { loginMaxFailures, loginWindowSeconds } = config;
  const message = 'Too many failed sign-in attempts; try again later.';
  return {
    // An office shares one IP, so the per-IP budget is wider than the per-email one.
    byIp: new Throttle(loginMaxFailures * 4, loginWindowSeconds, message),
    byEmail: new Throttle(loginMaxFailures, loginWindowSeconds, message),
  };
}
