import { z } from 'zod';
import { validationFailed } from '../errors.js';

const DAY_MS = 86_400_000;
const DEFAULT_REPORT_DAYS = 30;

/** The longest window a report covers (its chart has a point per day). */
export const MAX_REPORT_DAYS = 366;

/** A UTC day (`2026-12-01`: from its start for `since`, through its end for `until`) or an ISO-8601 instant. */
export const windowTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The instant a `windowTime` names: a bare day starts at its UTC midnight, or (as an end) runs through the day. */
export function instantOf(value: string, as: 'start' | 'end'): Date {
  const isDay = value.length === 10;
  return new Date(Date.parse(value) + (isDay && as === 'end' ? DAY_MS : 0));
}

/** The window every report takes. */
export const reportQuery = z.object({
  since: windowTime.optional().describe('start of the window (default: 30 days before `until`)'),
  until: windowTime.optional().describe('end of the window (default: now); a day counts whole'),
});

export type ReportWindow = { since: Date; until: Date };

/** `since`/`until` as instants: a bare day starts at its UTC midnight, and `until` then runs through its end. */
export function reportWindow(query: { since?: string; until?: string }, now: Date): ReportWindow {
  const until = query.until ? instantOf(query.until, 'end') : now;
  const since = query.since ? instantOf(query.since, 'start') : new Date(until.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
  if (since >= until) throw validationFailed([{ field: 'since', message: 'must be before until' }]);
  if (until.getTime() - since.getTime() > MAX_REPORT_DAYS * DAY_MS)
    throw validationFailed([{ field: 'since', message: `the window is at most ${MAX_REPORT_DAYS} days` }]);
  return { since, until };
}

const dayOf = (date: Date) => date.toISOString().slice(0, 10);

/** Every UTC day the window touches, oldest first: the points of a report's chart. */
export function daysOf({ since, until }: ReportWindow): string[] {
  const days: string[] = [];
  for (let t = Date.parse(dayOf(since)); t < until.getTime(); t += DAY_MS) days.push(dayOf(new Date(t)));
  return days;
}
