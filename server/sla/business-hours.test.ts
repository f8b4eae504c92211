import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, isValidTimezone, type BusinessHours } from './business-hours.js';

const berlinOffice: BusinessHours = { timezone: 'Europe/Berlin', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' };
const add = (iso: string, minutes: number, hours: BusinessHours | null = berlinOffice) =>
  addBusinessMinutes(new Date(iso), minutes, hours).toISOString();

describe('business minutes', () => {
  it('runs around the clock without business hours', () => {
    expect(add('2026-03-06T23:30:00.000Z', 90, null)).toBe('2026-03-07T01:00:00.000Z');
  });

  it('counts only opening hours of opening days, in the policy time zone', () => {
    // Friday 16:30 in Berlin (UTC+1): 30 minutes left that day, the rest on Monday morning.
    expect(add('2026-03-06T15:30:00.000Z', 60)).toBe('2026-03-09T08:30:00.000Z');
    // Before opening: the clock starts at 09:00 local.
    expect(add('2026-03-03T05:00:00.000Z', 15)).toBe('2026-03-03T08:15:00.000Z');
    // Saturday: nothing runs until Monday 09:00.
    expect(add('2026-03-07T10:00:00.000Z', 480)).toBe('2026-03-09T16:00:00.000Z');
    // Two full business days and a bit.
    expect(add('2026-03-02T08:00:00.000Z', 2 * 480 + 60)).toBe('2026-03-04T09:00:00.000Z');
  });

  it('follows daylight saving time changes', () => {
    // Friday 27 March 16:30 CET; Monday 30 March is CEST (UTC+2): 09:30 local is 07:30Z.
    expect(add('2026-03-27T15:30:00.000Z', 60)).toBe('2026-03-30T07:30:00.000Z');
    // New York, 8-to-8 daily: Saturday 19:00 EST + 2 h = an hour that night, an hour from 08:00 EDT on Sunday 8 March.
    const ny: BusinessHours = { timezone: 'America/New_York', days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end: '20:00' };
    expect(add('2026-03-08T00:00:00.000Z', 120, ny)).toBe('2026-03-08T13:00:00.000Z');
  });

  it('knows real time zones from invented ones', () => {
    expect(isValidTimezone('Asia/Kolkata')).toBe(true);
    expect(isValidTimezone('Mars/Olympus_Mons')).toBe(false);
  });
});
