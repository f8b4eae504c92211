import { Anchor, Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencilPlus, IconReportAnalytics } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router-dom';
import { aiReport } from '../../api/reports.js';
import type { AiReport } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, LoadingState } from '../../components/states.js';
import { DateRangePicker, useDateRange } from './DateRangePicker.js';
import { ByDayChart, ReportFigure } from './ReportBlocks.js';

/** Conversations linked per unanswered question; the count says how many there are. */
const LINKED = 3;

const share = (n: number, of: number) => (of ? `${Math.round((100 * n) / of)} %` : '—');

/**
 * How the AI agent did: what it answered, directly or through choices, what it handed to the team, what visitors
 * thought of its answers, and the questions it could not answer, each one click from becoming a KB item.
 */
export default function AiReportPage() {
  const [range, setRange] = useDateRange();
  const report = useApiData((signal) => aiReport(range, signal), [range]);
  return (
    <>
      <PageHeader
        title="AI agent report"
        description="How the AI agent answered your visitors, and what your knowledge base is missing, per UTC day."
      />
      <DateRangePicker value={range} onChange={setRange} />
      {report.error ? <ErrorAlert error={report.error} /> : !report.data ? <LoadingState label="Counting…" /> : <Report r={report.data} />}
    </>
  );
}

function Report({ r }: { r: AiReport }) {
  const navigate = useNavigate();
  const rated = r.helpful + r.not_helpful;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
        <ReportFigure label="Questions" value={r.questions} testId="stat-questions" />
        <ReportFigure label="Answered" value={r.answered} hint={share(r.answered, r.questions)} testId="stat-answered" />
        <ReportFigure
          label="Via a choice"
          value={r.answered_via_choice}
          hint={share(r.answered_via_choice, r.questions)}
          testId="stat-via-choice"
        />
        <ReportFigure label="Handed off" value={r.handed_off} hint={share(r.handed_off, r.questions)} testId="stat-handed-off" />
        <ReportFigure label="Asked for a person" value={r.handoff_requests} testId="stat-requests" />
        <ReportFigure
          label="Helpful"
          value={r.helpful}
          hint={rated ? `${share(r.helpful, rated)} of ${rated} rated` : 'no ratings yet'}
          testId="stat-helpful"
        />
      </SimpleGrid>

      <ByDayChart
        title="Questions per day"
        days={r.by_day}
        stacked
        series={[
          { name: 'answered', label: 'Answered', color: 'teal.6' },
          { name: 'answered_via_choice', label: 'Via a choice', color: 'blue.5' },
          { name: 'handed_off', label: 'Handed off', color: 'orange.5' },
        ]}
        testId="ai-report-chart"
      />

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
