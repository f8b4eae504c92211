import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconPlus, IconWebhook } from '@tabler/icons-react';
import { isNotEmpty } from '@mantine/form';
import { useState } from 'react';
import type { Webhook } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';
import { createWebhook, deleteWebhook, listWebhooks, setWebhookActive, WEBHOOK_EVENTS } from '../../api/webhooks.js';
import { DeliveriesDrawer } from './DeliveriesDrawer.js';

export default function WebhooksPage() {
  const hooks = useApiData(listWebhooks, []);
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<Webhook | null>(null);
  const rows = hooks.data;

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
                    checked={h.active}
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
  const [secret, setSecret] = useState<string | null>(null);
  const close = () => {
    setSecret(null);
    onClose();
  };
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
        opened && (
          <CreateWebhookFields
            onCreated={(created) => {
              setSecret(created);
              onCreated();
            }}
          />
        )
      )}
    </Modal>
  );
}

function CreateWebhookFields({ onCreated }: { onCreated: (secret: string) => void }) {
  const apiForm = useApiForm({
    initialValues: { url: '', events: WEBHOOK_EVENTS.filter((e) => e !== 'sla_breached') },
    validate: { url: isNotEmpty('Enter the address of your receiver'), events: isNotEmpty('Pick at least one event') },
    submit: ({ url, events }) => createWebhook(url.trim(), events),
    onSaved: (created) => onCreated(created.secret),
  });
  const { form } = apiForm;
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput
          data-testid="webhook-url"
          label="Endpoint URL"
          placeholder="https://example.com/nova-webhook"
          required
          {...form.getInputProps('url')}
        />
        <Checkbox.Group label="Events" {...form.getInputProps('events')}>
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
          <Button type="submit" loading={apiForm.busy}>
            Create webhook
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
