import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconPlus, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import type { Webhook } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';
import { createWebhook, deleteWebhook, listWebhooks, setWebhookActive, WEBHOOK_EVENTS } from './api.js';
import { DeliveriesDrawer } from './DeliveriesDrawer.js';

export default function WebhooksPage() {
  const hooks = useApiData((s) => listWebhooks(s), []);
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<Webhook | null>(null);
  const rows = hooks.data?.data;

  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Your server gets a signed POST for each event. Verify X-Nova-Signature: sha256 HMAC of “timestamp.body” with the secret."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-webhook">
            New webhook
          </Button>
        }
      />
      <ListState
        error={hooks.error}
        rows={rows}
        empty={
          <EmptyState
            icon={<IconWebhook size={26} />}
            title="No webhooks"
            description="Add one to hear about new conversations and messages in your own systems."
          />
        }
      >
        {(rows) => (
          <ListTable columns={['URL', 'Events', 'Active', '']} minWidth={600}>
            {rows.map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td ff="monospace" fz="sm">
                  {h.url}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {h.events.map((e) => (
                      <Badge key={e} size="sm" variant="light">
                        {e}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Switch
                    aria-label={`Deliver to ${h.url}`}
                    checked={h.active !== false}
                    onChange={(e) => {
                      const active = e.currentTarget.checked;
                      void attempt(
                        async () => (await setWebhookActive(h.id, active), await hooks.reload()),
                        active ? 'Deliveries resumed' : 'Deliveries paused',
                      );
                    }}
                  />
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => setViewing(h)} data-testid="webhook-deliveries-button">
                      Deliveries
                    </Button>
                    <ConfirmButton
                      question="Delete this webhook? Pending deliveries are dropped."
                      onConfirm={() =>
                        attempt(async () => (await deleteWebhook(h.id), await hooks.reload()), 'Webhook deleted').then(() => undefined)
                      }
                    >
                      Delete
                    </ConfirmButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
      <CreateWebhookModal opened={creating} onClose={() => setCreating(false)} onCreated={() => void hooks.reload()} />
      <DeliveriesDrawer webhook={viewing} onClose={() => setViewing(null)} />
    </>
  );
}

function CreateWebhookModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => void }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>(WEBHOOK_EVENTS.slice(0, 4));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  const close = () => {
    setUrl('');
    setError(null);
    setSecret(null);
    onClose();
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const created = await createWebhook({ url: url.trim(), events });
      onCreated();
      if (created.secret) setSecret(created.secret);
      else close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title={secret ? 'Signing secret' : 'New webhook'} size="lg" closeOnClickOutside={!secret}>
      {secret ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Shown only once">
            Your receiver uses it to check X-Nova-Signature. Store it with your server's other secrets.
          </Alert>
          <CopyField value={secret} label="webhook secret" testId="webhook-secret" />
          <Button onClick={close} data-testid="webhook-secret-done">
            I have saved it
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {error !== null && <ErrorAlert error={error} showFields={false} />}
            <TextInput
              data-testid="webhook-url"
              label="Endpoint URL"
              placeholder="https://example.com/nova-webhook"
              required
              value={url}
              onChange={(e) => setUrl(e.currentTarget.value)}
              error={fieldError(error, 'url')}
            />
            <Checkbox.Group label="Events" value={events} onChange={setEvents} error={fieldError(error, 'events')}>
              <Stack gap={6} mt={6}>
                {WEBHOOK_EVENTS.map((e) => (
                  <Checkbox key={e} value={e} label={e} />
                ))}
              </Stack>
            </Checkbox.Group>
            <Text size="xs" c="dimmed">
              Failed deliveries are retried with backoff, even across restarts.
            </Text>
            <Group justify="flex-end">
              <Button type="submit" loading={busy} disabled={events.length === 0}>
                Create webhook
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
