import { z } from 'zod';
import { validationFailed } from '../errors.js';

const DAY_MS = 86_400_000;
const DEFAULT_REPORT_DAYS = 30;

/** The longest window a report covers (its chart has a point per day). */
export const MAX_REPORT_DAYS = 366;

/** A UTC day (`2026-12-01`: from its start for `since`, through its end for `until`) or an ISO-8601 instant. */
const reportTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

/** The window every report takes. */
export const reportQuery = z.object({
  since: reportTime.optional().describe('start of the window (default: 30 days before `until`)'),
  until: reportTime.optional().describe('end of the window (default: now); a day counts whole'),
});

export type ReportWindow = { since: Date; until: Date };

/** `since`/`until` as instants: a bare day starts at its UTC midnight, and `until` then runs through its end. */
export function reportWindow(query: { since?: string; until?: string }, now: Date): ReportWindow {
  const isDay = (value: string) => value.length === 10;
  const until = query.until ? new Date(Date.parse(query.until) + (isDay(query.until) ? DAY_MS : 0)) : now;
  const since = query.since ? new Date(query.since) : new Date(until.getTime() - DEFAULT_REPORT_DAYS * DAY_MS);
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
