import { Alert, Badge, Group, Paper, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { getAccountStatus } from '../../api/accounts.js';
import type { Limits } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { useMe } from '../../auth/AuthContext.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { dateTime } from '../../components/format.js';
import { PageHeader } from '../../components/PageHeader.js';
import { LoadingState } from '../../components/states.js';
import { DesktopSettings } from './DesktopSettings.js';
import { InstanceAccounts } from './InstanceAccounts.js';
import { InstancePublicUrl } from './InstancePublicUrl.js';
import { InstanceSignUp } from './InstanceSignUp.js';

const LIMIT_LABELS: Record<keyof Limits, string> = { domains: 'Websites', agents: 'Agents', kb_items: 'Knowledge base items' };

export default function AccountPage() {
  const me = useMe();
  const status = useApiData(getAccountStatus, []);

  if (status.error) return <ErrorAlert error={status.error} />;
  if (!status.data) return <LoadingState />;
  const s = status.data;
  const full = (Object.keys(LIMIT_LABELS) as (keyof Limits)[]).filter((k) => (s.usage[k] ?? 0) >= (s.limits[k] ?? Infinity));
  const daysLeft = s.trial_ends_at ? Math.ceil((new Date(s.trial_ends_at).getTime() - Date.now()) / 86_400_000) : null;

  return (
    <>
      <PageHeader title="Account & plan" description={me.account.name} />
      <Stack>
        <Paper withBorder p="md">
          <Group justify="space-between">
            <div>
              <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                Plan
              </Text>
              <Group gap="xs">
                <Title order={3} tt="capitalize" data-testid="account-plan">
                  {s.plan}
                </Title>
                {s.agentic_rag_enabled && (
                  <Badge leftSection={<IconSparkles size={12} />} variant="light" color="grape">
                    Agentic RAG
                  </Badge>
                )}
              </Group>
            </div>
            {daysLeft !== null && (
              <Badge size="lg" color={daysLeft <= 3 ? 'red' : 'blue'} variant="light">
                {daysLeft > 0 ? `Trial: ${daysLeft} day${daysLeft === 1 ? '' : 's'} left` : 'Trial ended'}
              </Badge>
            )}
          </Group>
          {s.trial_ends_at && (
            <Text size="sm" c="dimmed" mt="xs">
              Trial ends {dateTime(s.trial_ends_at)}
            </Text>
          )}
        </Paper>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {(Object.keys(LIMIT_LABELS) as (keyof Limits)[]).map((key) => {
            const used = s.usage[key] ?? 0;
            const max = s.limits[key] ?? 0;
            const pct = max > 0 ? Math.min(100, (used / max) * 100) : 0;
            return (
              <Paper key={key} withBorder p="md" data-testid={`usage-${key}`}>
                <Text size="sm" fw={600}>
                  {LIMIT_LABELS[key]}
                </Text>
                <Text size="xl" fw={700}>
                  {used.toLocaleString()}{' '}
                  <Text span c="dimmed" size="sm">
                    / {max.toLocaleString()}
                  </Text>
                </Text>
                <Progress
                  value={pct}
                  color={pct >= 100 ? 'red' : pct >= 80 ? 'orange' : 'indigo'}
                  mt="xs"
                  aria-label={`${LIMIT_LABELS[key]} used`}
                />
              </Paper>
            );
          })}
        </SimpleGrid>
        {full.length > 0 && (
          <Alert color="orange" title={`Limit reached: ${full.map((k) => LIMIT_LABELS[k].toLowerCase()).join(', ')}`}>
            New ones are refused until you remove some, or the instance owner moves this account to a larger plan.
          </Alert>
        )}
        <DesktopSettings />
        {me.user.is_instance_admin && <InstanceSignUp />}
        {me.user.is_instance_admin && <InstancePublicUrl />}
        {me.user.is_instance_admin && <InstanceAccounts onChanged={() => void status.reload()} />}
      </Stack>
    </>
  );
}
