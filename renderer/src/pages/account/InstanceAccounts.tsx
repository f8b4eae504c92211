import { Paper, Select, Table, Text, Title } from '@mantine/core';
import { listAccounts, setAccountPlan } from '../../api/accounts.js';
import { useApiData } from '../../api/useApiData.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { dateTime } from '../../components/format.js';
import { attempt } from '../../components/notify.js';
import { LoadingState } from '../../components/states.js';

const PLANS = ['starter', 'pro', 'business'];

/** Shown to the instance owner only: every account on this machine and its plan. */
export function InstanceAccounts({ onChanged }: { onChanged: () => void }) {
  const accounts = useApiData(listAccounts, []);
  const rows = accounts.data;
  return (
    <Paper withBorder p="md">
      <Title order={5}>Accounts on this instance</Title>
      <Text size="sm" c="dimmed" mb="sm">
        As the instance owner you can move any account to another plan.
      </Text>
      {accounts.error ? (
        <ErrorAlert error={accounts.error} />
      ) : !rows ? (
        <LoadingState />
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table fz="sm" data-testid="instance-accounts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Account</Table.Th>
                <Table.Th>Trial ends</Table.Th>
                <Table.Th>Plan</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>{a.name}</Table.Td>
                  <Table.Td>{dateTime(a.trial_ends_at)}</Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={130}
                      aria-label={`Plan of ${a.name}`}
                      data={PLANS.includes(a.plan) ? PLANS : [...PLANS, a.plan]}
                      value={a.plan}
                      allowDeselect={false}
                      onChange={(plan) =>
                        plan &&
                        void attempt(async () => {
                          await setAccountPlan(a.id, plan);
                          await accounts.reload();
                          onChanged();
                        }, `${a.name} is now on ${plan}`)
                      }
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Paper>
  );
}
