import { Anchor, Badge, Button, Grid, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { IconClockHour4 } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client.js';
import type { SlaPolicy, SlaState, SlaStatus } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { timeAgo } from '../../components/format.js';
import { notifySuccess } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, LoadingState } from '../../components/states.js';
import { useRealtimeEvents } from '../../realtime/RealtimeContext.js';
import { BusinessHours } from './BusinessHours.js';

const STATE: Record<SlaState, { color: string; label: string }> = {
  ok: { color: 'teal', label: 'On track' },
  at_risk: { color: 'orange', label: 'At risk' },
  breached: { color: 'red', label: 'Breached' },
};

export default function SlaPage() {
  const status = useApiData((s) => api.get<SlaStatus>('/api/v1/sla/status', undefined, s), []);
  const refresh = useInterval(() => void status.reload(), 30_000);
  useEffect(() => {
    refresh.start();
    return refresh.stop;
  }, []);
  useRealtimeEvents((e) => {
    if (e.type !== 'typing') void status.reload();
  });

  const data = status.data;
  return (
    <>
      <PageHeader title="Service levels" description="How fast your team answers and resolves. Updated live." />
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <PolicyForm />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          {status.error ? (
            <ErrorAlert error={status.error} />
          ) : !data ? (
            <LoadingState />
          ) : (
            <Stack>
              <SimpleGrid cols={3}>
                {(Object.keys(STATE) as SlaState[]).map((s) => (
                  <Paper key={s} withBorder p="md" data-testid={`sla-count-${s}`}>
                    <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                      {STATE[s].label}
                    </Text>
                    <Text fz={28} fw={700} c={STATE[s].color}>
                      {data.counts[s] ?? 0}
                    </Text>
                  </Paper>
                ))}
              </SimpleGrid>
              {data.conversations.length === 0 ? (
                <EmptyState
                  icon={<IconClockHour4 size={26} />}
                  title="No open conversations"
                  description="Nothing is waiting on your team."
                />
              ) : (
                <Paper withBorder>
                  <Table.ScrollContainer minWidth={520}>
                    <Table fz="sm" verticalSpacing="xs">
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Conversation</Table.Th>
                          <Table.Th>First reply due</Table.Th>
                          <Table.Th>Resolution due</Table.Th>
                          <Table.Th>State</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {data.conversations.map((c) => (
                          <Table.Tr key={c.id}>
                            <Table.Td>
                              <Anchor component={Link} to={`/inbox/${c.id}`}>
                                #{c.id}
                              </Anchor>
                            </Table.Td>
                            <Table.Td>{c.first_response_due_at ? timeAgo(c.first_response_due_at) : 'answered'}</Table.Td>
                            <Table.Td>{timeAgo(c.resolution_due_at)}</Table.Td>
                            <Table.Td>
                              <Badge color={STATE[c.state]?.color ?? 'gray'} variant="light">
                                {STATE[c.state]?.label ?? c.state}
                              </Badge>
                            </Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Table.ScrollContainer>
                </Paper>
              )}
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </>
  );
}

function PolicyForm() {
  const policy = useApiData((s) => api.get<SlaPolicy>('/nc-api/v1/sla/policy', undefined, s), []);
  const [draft, setDraft] = useState<SlaPolicy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const value = draft ?? policy.data;

  async function save() {
    if (!value) return;
    setBusy(true);
    setError(null);
    try {
      const { first_response_minutes, resolution_minutes, business_hours } = value;
      policy.setData(
        await api.put<SlaPolicy>('/nc-api/v1/sla/policy', {
          first_response_minutes,
          resolution_minutes,
          business_hours: business_hours ?? null,
        }),
      );
      setDraft(null);
      notifySuccess('SLA policy saved');
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Paper withBorder p="md">
      <Title order={5} mb="sm">
        Policy
      </Title>
      {policy.error ? (
        <ErrorAlert error={policy.error} />
      ) : !value ? (
        <LoadingState />
      ) : (
        <Stack gap="sm">
          {error !== null && <ErrorAlert error={error} showFields={false} />}
          <NumberInput
            label="First response within (minutes)"
            min={1}
            value={value.first_response_minutes}
            onChange={(v) => setDraft({ ...value, first_response_minutes: Number(v) })}
            error={fieldError(error, 'first_response_minutes')}
          />
          <NumberInput
            label="Resolution within (minutes)"
            min={1}
            value={value.resolution_minutes}
            onChange={(v) => setDraft({ ...value, resolution_minutes: Number(v) })}
            error={fieldError(error, 'resolution_minutes')}
          />
          <BusinessHours
            value={value.business_hours ?? null}
            onChange={(business_hours) => setDraft({ ...value, business_hours })}
            errorOf={(f) => fieldError(error, f)}
          />
          <Group justify="flex-end">
            <Button onClick={save} loading={busy} disabled={!draft}>
              Save policy
            </Button>
          </Group>
        </Stack>
      )}
    </Paper>
  );
}
