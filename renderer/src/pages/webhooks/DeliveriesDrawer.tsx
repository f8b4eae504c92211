import { Badge, Button, Drawer, Group, Table, Text } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import type { Webhook } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { listDeliveries, resendDelivery } from '../../api/webhooks.js';
import { ErrorAlert } from '../../components/ErrorAlert.js';
import { dateTime, timeAgo } from '../../components/format.js';
import { attempt } from '../../components/notify.js';
import { EmptyState, LoadingState } from '../../components/states.js';

const STATUS_COLOR: Record<string, string> = {
  delivered: 'teal',
  succeeded: 'teal',
  success: 'teal',
  failed: 'red',
  pending: 'yellow',
  retrying: 'orange',
};

/** Each delivery attempt with its HTTP answer, and a resend button. */
export function DeliveriesDrawer({ webhook, onClose }: { webhook: Webhook | null; onClose: () => void }) {
  const id = webhook?.id ?? null;
  const deliveries = useApiData(async (s) => (id === null ? null : listDeliveries(id, s)), [id]);
  const rows = deliveries.data ?? undefined;
  return (
    <Drawer opened={webhook !== null} onClose={onClose} position="right" size="xl" title={webhook ? `Deliveries to ${webhook.url}` : ''}>
      <Group justify="flex-end" mb="sm">
        <Button
          size="xs"
          variant="default"
          leftSection={<IconRefresh size={14} />}
          onClick={() => void deliveries.reload()}
          loading={deliveries.loading}
        >
          Refresh
        </Button>
      </Group>
      {deliveries.error ? (
        <ErrorAlert error={deliveries.error} />
      ) : !rows ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState title="No deliveries yet" description="Events are sent here as they happen." />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" verticalSpacing="xs" data-testid="webhook-deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>HTTP</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>When</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td ff="monospace">{d.event}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={STATUS_COLOR[d.status] ?? 'gray'}>
                      {d.status}
                    </Badge>
                    {d.last_error && (
                      <Text size="xs" c="red" lineClamp={2}>
                        {d.last_error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{d.last_status_code ?? '—'}</Table.Td>
                  <Table.Td>{d.attempt_count}</Table.Td>
                  <Table.Td>
                    {dateTime(d.completed_at ?? d.created_at)}
                    {d.next_attempt_at && (
                      <Text size="xs" c="dimmed">
                        retry {timeAgo(d.next_attempt_at)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() =>
                        void attempt(async () => (await resendDelivery(id!, d.id), await deliveries.reload()), 'Queued for delivery')
                      }
                    >
                      Resend
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Drawer>
  );
}
