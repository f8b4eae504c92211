/** Weekly opening hours in one time zone: ISO weekdays (1 = Monday … 7 = Sunday), "HH:MM" to "HH:MM". */
export type BusinessHours = { timezone: string; days: number[]; start: string; end: string };

const MINUTE_MS = 60_000;
/** Far beyond any policy (minutes are capped): guards the day-by-day walk against a pathological schedule. */
const MAX_DAYS_WALKED = 20_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

export function isValidTimezone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

type LocalTime = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localTime(ms: number, timezone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const p of formatter(timezone).formatToParts(ms)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** How far the zone's wall clock is ahead of UTC at instant `ms`. */
function offsetMs(ms: number, timezone: string): number {
  const t = localTime(ms, timezone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) - Math.floor(ms / 1000) * 1000;
}

/** The instant a wall-clock time occurs in the zone (in a DST gap: just after it). */
function zonedInstant(year: number, month: number, day: number, minutes: number, timezone: string): number {
  const wall = Date.UTC(year, month - 1, day, 0, minutes);
  const first = wall - offsetMs(wall, timezone);
  return wall - offsetMs(first, timezone);
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** ISO weekday (1 = Monday) of a calendar date. */
const isoWeekday = (year: number, month: number, day: number) => ((new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7) + 1;

/**
 * The instant `minutes` of business time after `from`. Without business hours that is plain
 * wall-clock time; with them, time only runs inside the opening hours of the opening days.
 */
export function addBusinessMinutes(from: Date, minutes: number, hours: BusinessHours | null): Date {
  if (!hours) return new Date(from.getTime() + minutes * MINUTE_MS);
  let remaining = minutes * MINUTE_MS;
  let cursor = from.getTime();
  const open = minutesOf(hours.start);
  const close = minutesOf(hours.end);
  const days = new Set(hours.days);
  let { year, month, day } = localTime(cursor, hours.timezone);
  for (let walked = 0; walked < MAX_DAYS_WALKED; walked++) {
    if (days.has(isoWeekday(year, month, day))) {
      const opensAt = zonedInstant(year, month, day, open, hours.timezone);
      const closesAt = zonedInstant(year, month, day, close, hours.timezone);
      if (cursor < opensAt) cursor = opensAt;
      if (cursor < closesAt) {
        if (remaining <= closesAt - cursor) return new Date(cursor + remaining);
        remaining -= closesAt - cursor;
        cursor = closesAt;
      }
    }
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    year = next.getUTCFullYear();
    month = next.getUTCMonth() + 1;
    day = next.getUTCDate();
  }
  return new Date(cursor + remaining);
}
