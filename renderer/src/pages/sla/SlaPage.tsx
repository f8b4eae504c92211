import { Anchor, Badge, Button, Grid, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useInterval } from '@mantine/hooks';
import { IconClockHour4 } from '@tabler/icons-react';
import { useEffect } from 'react';
import { Link } from 'react-router-dom';
import { getSlaPolicy, getSlaStatus, saveSlaPolicy } from '../../api/sla.js';
import type { SlaPolicy, SlaState } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
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
  const status = useApiData(getSlaStatus, []);
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
  const policy = useApiData(getSlaPolicy, []);
  return (
    <Paper withBorder p="md">
      <Title order={5} mb="sm">
        Policy
      </Title>
      {policy.error ? <ErrorAlert error={policy.error} /> : !policy.data ? <LoadingState /> : <PolicyFields policy={policy.data} />}
    </Paper>
  );
}

function PolicyFields({ policy }: { policy: SlaPolicy }) {
  const apiForm = useApiForm({
    initialValues: { ...policy, business_hours: policy.business_hours ?? null },
    submit: saveSlaPolicy,
    onSaved: (saved) => {
      form.setValues(saved);
      form.resetDirty(saved);
      notifySuccess('SLA policy saved');
    },
  });
  const { form } = apiForm;
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack gap="sm">
        <FormErrorAlert form={apiForm} />
        <NumberInput label="First response within (minutes)" min={1} {...form.getInputProps('first_response_minutes')} />
        <NumberInput label="Resolution within (minutes)" min={1} {...form.getInputProps('resolution_minutes')} />
        <BusinessHours
          value={form.values.business_hours}
          onChange={(hours) => form.setFieldValue('business_hours', hours)}
          errorOf={(field) => form.errors[field]}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy} disabled={!form.isDirty()}>
            Save policy
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
