import { Chip, Group, Stack, Switch, TextInput } from '@mantine/core';
import type { SlaPolicy } from '../../api/types.js';

type Hours = NonNullable<SlaPolicy['business_hours']>;
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const defaultHours = (): Hours => ({
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  days: [1, 2, 3, 4, 5],
  start: '09:00',
  end: '17:00',
});

/** Business hours: when set, the SLA clocks only run inside them. */
export function BusinessHours({
  value,
  onChange,
  errorOf,
}: {
  value: Hours | null;
  onChange: (h: Hours | null) => void;
  errorOf: (field: string) => React.ReactNode;
}) {
  return (
    <Stack gap="xs">
      <Switch
        label="Only count business hours"
        checked={value !== null}
        onChange={(e) => onChange(e.currentTarget.checked ? defaultHours() : null)}
      />
      {value && (
        <>
          <Chip.Group
            multiple
            value={value.days.map(String)}
            onChange={(days) => onChange({ ...value, days: days.map(Number).sort((a, b) => a - b) })}
          >
            <Group gap={4}>
              {DAYS.map((d, i) => (
                <Chip key={d} value={String(i + 1)} size="xs">
                  {d}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
          <Group grow gap="xs">
            <TextInput
              type="time"
              label="From"
              value={value.start}
              onChange={(e) => onChange({ ...value, start: e.currentTarget.value })}
              error={errorOf('business_hours.start')}
            />
            <TextInput
              type="time"
              label="To"
              value={value.end}
              onChange={(e) => onChange({ ...value, end: e.currentTarget.value })}
              error={errorOf('business_hours.end')}
            />
          </Group>
          <TextInput
            label="Time zone"
            value={value.timezone}
            onChange={(e) => onChange({ ...value, timezone: e.currentTarget.value })}
            error={errorOf('business_hours.timezone') ?? errorOf('business_hours.days')}
          />
        </>
      )}
    </Stack>
  );
}
