import '@mantine/charts/styles.css';
import { BarChart, type BarChartSeries } from '@mantine/charts';
import { Paper, Text, Title } from '@mantine/core';

/** One figure of a report: a labelled group (so a screen reader, and a test, reads it by its label). */
export function ReportFigure({ label, value, hint, testId }: { label: string; value: string | number; hint?: string; testId?: string }) {
  return (
    <Paper withBorder p="md" role="group" aria-label={label} data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} data-testid="figure-value">
        {value}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

/** A report's `by_day` as bars per UTC day (labelled `MM-DD`), one bar (or, `stacked`, one segment) per series. */
export function ByDayChart({
  title,
  days,
  series,
  stacked,
  testId,
}: {
  title: string;
  days: { date: string }[];
  series: BarChartSeries[];
  stacked?: boolean;
  testId: string;
}) {
  return (
    <Paper withBorder p="md">
      <Title order={3} size="h5" mb="sm">
        {title}
      </Title>
      <BarChart
        h={260}
        data={days.map((d) => ({ ...d, day: d.date.slice(5) }))}
        dataKey="day"
        type={stacked ? 'stacked' : 'default'}
        withLegend
        // Counts of conversations: whole numbers on the axis, not 0.25 steps.
        yAxisProps={{ allowDecimals: false }}
        series={series}
        data-testid={testId}
      />
    </Paper>
  );
}
