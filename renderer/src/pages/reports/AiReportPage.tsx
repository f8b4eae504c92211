import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Button, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencilPlus, IconReportAnalytics } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { aiReport } from '../../api/reports.js';
import type { AiReport } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, LoadingState } from '../../components/states.js';

const WINDOWS = [
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
];
const DAY_MS = 86_400_000;
/** Conversations linked per unanswered question; the count says how many there are. */
const LINKED = 3;

const share = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)} %` : '—');

/**
 * How the AI agent did: what it answered, directly or through choices, what it handed to the team, what visitors
 * thought of its answers, and the questions it could not answer, each one click from becoming a KB item.
 */
export default function AiReportPage() {
  const [days, setDays] = useState('30');
  const report = useApiData((signal) => aiReport({ since: new Date(Date.now() - Number(days) * DAY_MS).toISOString() }, signal), [days]);
  return (
    <>
      <PageHeader
        title="AI agent report"
        description="How the AI agent answered your visitors, and what your knowledge base is missing."
        actions={<SegmentedControl aria-label="Period" data={WINDOWS} value={days} onChange={setDays} />}
      />
      {report.error ? <ErrorAlert error={report.error} /> : !report.data ? <LoadingState label="Counting…" /> : <Report r={report.data} />}
    </>
  );
}

function Stat({ label, value, hint, testId }: { label: string; value: number; hint?: string; testId: string }) {
  return (
    <Paper withBorder p="md" data-testid={testId}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2}>
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

function Report({ r }: { r: AiReport }) {
  const navigate = useNavigate();
  const rated = r.helpful + r.not_helpful;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <Stat label="Questions" value={r.questions} testId="stat-questions" />
        <Stat label="Answered" value={r.answered} hint={share(r.answered, r.questions)} testId="stat-answered" />
        <Stat
          label="Via a choice"
          value={r.answered_via_choice}
          hint={share(r.answered_via_choice, r.questions)}
          testId="stat-via-choice"
        />
        <Stat label="Handed off" value={r.handed_off} hint={share(r.handed_off, r.questions)} testId="stat-handed-off" />
        <Stat label="Asked for a person" value={r.handoff_requests} testId="stat-requests" />
        <Stat
          label="Helpful"
          value={r.helpful}
          hint={rated ? `${share(r.helpful, rated)} of ${rated} rated` : 'no ratings yet'}
          testId="stat-helpful"
        />
      </SimpleGrid>

      <Paper withBorder p="md">
        <Title order={3} size="h5" mb="sm">
          Questions per day
        </Title>
        <BarChart
          h={240}
          data={r.by_day.map((d) => ({ ...d, day: d.date.slice(5) }))}
          dataKey="day"
          type="stacked"
          withLegend
          series={[
            { name: 'answered', label: 'Answered', color: 'teal.6' },
            { name: 'answered_via_choice', label: 'Via a choice', color: 'blue.5' },
            { name: 'handed_off', label: 'Handed off', color: 'orange.5' },
          ]}
          data-testid="ai-report-chart"
        />
      </Paper>

      <Paper withBorder p="md" data-testid="top-unanswered">
        <Title order={3} size="h5" mb={4}>
          Questions it could not answer
        </Title>
        <Text size="sm" c="dimmed" mb="sm">
          Handed to your team or marked unhelpful, similar wordings together. Each one is a knowledge base article to write.
        </Text>
        {r.top_unanswered.length === 0 ? (
          <EmptyState icon={<IconReportAnalytics size={26} />} title="No gaps in this period" description="Every question got an answer." />
        ) : (
          <Table.ScrollContainer minWidth={620}>
            <Table verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Question</Table.Th>
                  <Table.Th>Asked</Table.Th>
                  <Table.Th>Conversations</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.top_unanswered.map((gap) => (
                  <Table.Tr key={gap.question} data-testid="unanswered-question">
                    <Table.Td maw={340}>
                      <Text size="sm">{gap.question}</Text>
                    </Table.Td>
                    <Table.Td>{gap.count}×</Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        {gap.conversation_ids.slice(0, LINKED).map((id) => (
                          <Anchor key={id} component={Link} to={`/inbox/${id}`} size="sm">
                            #{id}
                          </Anchor>
                        ))}
                        {gap.conversation_ids.length > LINKED && (
                          <Text size="xs" c="dimmed">
                            +{gap.conversation_ids.length - LINKED}
                          </Text>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="light"
                        leftSection={<IconPencilPlus size={14} />}
                        onClick={() => navigate(`/kb?new=${encodeURIComponent(gap.question)}`)}
                      >
                        Write an article
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </Stack>
  );
}
