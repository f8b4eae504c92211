import { Select, SimpleGrid, Stack } from '@mantine/core';
import { useState } from 'react';
import { summaryReport } from '../../api/reports.js';
import type { SummaryReport } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { listWebsites } from '../../api/websites.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadingState } from '../../components/states.js';
import { DateRangePicker, useDateRange } from './DateRangePicker.js';
import { ByDayChart, ReportFigure } from './ReportBlocks.js';

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
  const [range, setRange] = useDateRange();
  const [domainId, setDomainId] = useState<string | null>(null);
  const websites = useApiData(listWebsites, []);
  const report = useApiData(
    (signal) => summaryReport({ ...range, ...(domainId ? { domain_id: Number(domainId) } : {}) }, signal),
    [range, domainId],
  );
  return (
    <>
      <PageHeader title="Reports" description="Conversations, resolutions, response times and ratings, per UTC day." />
      <DateRangePicker value={range} onChange={setRange}>
        <Select
          label="Website"
          placeholder="All websites"
          clearable
          value={domainId}
          onChange={setDomainId}
          data={(websites.data ?? []).map((d) => ({ value: String(d.id), label: d.label || d.website_url }))}
        />
      </DateRangePicker>
      {report.error ? <ErrorAlert error={report.error} /> : !report.data ? <LoadingState label="Counting…" /> : <Summary r={report.data} />}
    </>
  );
}

const share = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)} % of resolved` : undefined);

function Summary({ r }: { r: SummaryReport }) {
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 4, lg: 7 }}>
        <ReportFigure label="Conversations" value={r.conversations} />
        <ReportFigure label="Resolved" value={r.resolved} />
        <ReportFigure label="Resolved by AI" value={r.bot_resolved} hint={share(r.bot_resolved, r.resolved)} />
        <ReportFigure label="Handed off" value={r.handed_off} hint="by the AI agent to the team" />
        <ReportFigure label="First response" value={duration(r.first_response_seconds_median)} hint="median, by a person" />
        <ReportFigure label="Resolution time" value={duration(r.resolution_seconds_median)} hint="median" />
        <ReportFigure
          label="CSAT"
          value={r.csat.average === null ? '—' : r.csat.average.toFixed(1)}
          hint={r.csat.count ? `of 5, ${r.csat.count} rating${r.csat.count === 1 ? '' : 's'}` : 'no ratings yet'}
        />
      </SimpleGrid>
      <ByDayChart
        title="Conversations per day"
        days={r.by_day}
        series={[
          { name: 'conversations', label: 'Started', color: 'blue.6' },
          { name: 'resolved', label: 'Resolved', color: 'teal.6' },
          { name: 'bot_resolved', label: 'Resolved by AI', color: 'violet.5' },
        ]}
        testId="summary-chart"
      />
    </Stack>
  );
}
