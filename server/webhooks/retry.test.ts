import { expect, test } from 'vitest';
import { retryDelayMs } from './worker.js';

const settings = { retryBaseMs: 1000, retryMaxMs: 60_000 };
const lowest = () => 0;
const highest = () => 1;

test('the delay doubles with each attempt, with jitter between half and all of it', () => {
  expect([1, 2, 3, 4].map((attempt) => retryDelayMs(settings, attempt, highest))).toEqual([1000, 2000, 4000, 8000]);
  expect([1, 2, 3, 4].map((attempt) => retryDelayMs(settings, attempt, lowest))).toEqual([500, 1000, 2000, 4000]);
  expect(retryDelayMs(settings, 3, () => 0.5)).toBe(3000);
});

test('the delay never exceeds the configured maximum, however many attempts failed', () => {
  expect(retryDelayMs(settings, 7, highest)).toBe(60_000);
  expect(retryDelayMs(settings, 10_000, highest)).toBe(60_000);
  expect(retryDelayMs(settings, 10_000, lowest)).toBe(30_000);
});

test('two deliveries failing together are retried at different times (the default jitter is random)', () => {
  const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(settings, 5)));
  expect(delays.size).toBeGreaterThan(1);
  for (const delay of delays) {
    expect(delay).toBeGreaterThanOrEqual(8000);
    expect(delay).toBeLessThanOrEqual(16_000);
  }
});
