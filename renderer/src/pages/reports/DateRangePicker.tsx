import { Group, SegmentedControl, TextInput } from '@mantine/core';
import { useState, type ReactNode } from 'react';

const DAY_MS = 86_400_000;
const PRESETS = [7, 30, 90];

/** Whole UTC days, `YYYY-MM-DD`, as both report endpoints take `since` and `until`. */
export type DateRange = { since: string; until: string };

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The last `days` UTC days, today included. */
const lastDays = (days: number): DateRange => ({ since: utcDay(Date.now() - (days - 1) * DAY_MS), until: utcDay(Date.now()) });

/** A report's date range, the last 30 days at first. */
export const useDateRange = () => useState<DateRange>(() => lastDays(30));

/**
 * The reports' filter row: From and To dates, the last 7, 30 or 90 days in one click (marked while the range is
 * one of them), and whatever other filters the page adds as `children`.
 */
export function DateRangePicker({
  value,
  onChange,
  children,
}: {
  value: DateRange;
  onChange(range: DateRange): void;
  children?: ReactNode;
}) {
  const preset = PRESETS.find((days) => {
    const range = lastDays(days);
    return range.since === value.since && range.until === value.until;
  });
  return (
    <Group mb="lg" align="flex-end" gap="sm">
      <TextInput
        type="date"
        label="From"
        value={value.since}
        max={value.until}
        onChange={(e) => e.currentTarget.value && onChange({ ...value, since: e.currentTarget.value })}
      />
      <TextInput
        type="date"
        label="To"
        value={value.until}
        min={value.since}
        onChange={(e) => e.currentTarget.value && onChange({ ...value, until: e.currentTarget.value })}
      />
      <SegmentedControl
        aria-label="Period"
        data={PRESETS.map((days) => ({ value: String(days), label: `${days} days` }))}
        value={preset ? String(preset) : ''}
        onChange={(days) => onChange(lastDays(Number(days)))}
      />
      {children}
    </Group>
  );
}
