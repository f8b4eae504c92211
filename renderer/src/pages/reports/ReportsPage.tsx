import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Group, Paper, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { summaryReport } from '../../api/reports.js';
import type { SummaryReport } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { listWebsites } from '../../api/websites.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadingState } from '../../components/states.js';

const DAY_MS = 86_400_000;
/** A UTC day as the report counts it, `YYYY-MM-DD`. */
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "45 s", "12 min", "3 h 20 min", "2 d 4 h": a median wait as people say it. */
export function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The team's work over a date range, for one website or all: volumes, the AI agent's share, waits and CSAT. */
export default function ReportsPage() {
  const [since, setSince] = useState(() => utcDay(Date.now() - 29 * DAY_MS));
  const [until, setUntil] = useState(() => utcDay(Date.now()));
  const [domainId, setDomainId] = useState<string | null>(null);
  const websites = useApiData(listWebsites, []);
  const report = useApiData(
    (signal) => summaryReport({ since, until, ...(domainId ? { domain_id: Number(domainId) } : {}) }, signal),
    [since, until, domainId],
  );
  return (
    <>
      <PageHeader title="Reports" description="Conversations, resolutions, response times and ratings, per UTC day." />
      <Group mb="lg" align="flex-end" gap="sm">
        <TextInput
          type="date"
          label="From"
          value={since}
          max={until}
          onChange={(e) => e.currentTarget.value && setSince(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label="To"
          value={until}
          min={since}
          onChange={(e) => e.currentTarget.value && setUntil(e.currentTarget.value)}
        />
        <Select
          label="Website"
          placeholder="All websites"
          clearable
          value={domainId}
          onChange={setDomainId}
          data={(websites.data ?? []).map((d) => ({ value: String(d.id), label: d.label || d.website_url }))}
        />
      </Group>
      {report.error ? <ErrorAlert error={report.error} /> : !report.data ? <LoadingState label="Counting…" /> : <Summary r={report.data} />}
    </>
  );
}

function Figure({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <Paper withBorder p="md" role="group" aria-label={label}>
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

const share = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)} % of resolved` : undefined);

function Summary({ r }: { r: SummaryReport }) {
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }}>
        <Figure label="Conversations" value={r.conversations} />
        <Figure label="Resolved" value={r.resolved} />
        <Figure label="Resolved by AI" value={r.bot_resolved} hint={share(r.bot_resolved, r.resolved)} />
        <Figure label="Handed off" value={r.handed_off} hint="by the AI agent to the team" />
        <Figure label="First response" value={duration(r.first_response_seconds_median)} hint="median, by a person" />
        <Figure label="Resolution time" value={duration(r.resolution_seconds_median)} hint="median" />
        <Figure
          label="CSAT"
          value={r.csat.average === null ? '—' : r.csat.average.toFixed(1)}
          hint={r.csat.count ? `of 5, ${r.csat.count} rating${r.csat.count === 1 ? '' : 's'}` : 'no ratings yet'}
        />
      </SimpleGrid>
      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="sm">
          Conversations per day
        </Title>
        <BarChart
          h={260}
          data={r.by_day.map((d) => ({ ...d, day: d.date.slice(5) }))}
          dataKey="day"
          withLegend
          series={[
            { name: 'conversations', label: 'Started', color: 'blue.6' },
            { name: 'resolved', label: 'Resolved', color: 'teal.6' },
            { name: 'bot_resolved', label: 'Resolved by AI', color: 'violet.5' },
          ]}
          data-testid="summary-chart"
        />
      </Paper>
    </Stack>
  );
}
