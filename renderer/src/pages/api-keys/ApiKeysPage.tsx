import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconKey, IconPlus } from '@tabler/icons-react';
import { isNotEmpty } from '@mantine/form';
import { useState } from 'react';
import { createApiKey, listApiKeys, revokeApiKey, type Permission } from '../../api/api-keys.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { ListTable } from '../../components/ListTable.js';
import { dateTime, timeAgo } from '../../components/format.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';

export default function ApiKeysPage() {
  const keys = useApiData(listApiKeys, []);
  const [creating, setCreating] = useState(false);
  const rows = keys.data;

  return (
    <>
      <PageHeader
        title="API keys"
        description="For server-to-server calls: send Authorization: Bearer nc_live_… . Read keys may only read."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="new-api-key">
            New API key
          </Button>
        }
      />
      <ListState
        error={keys.error}
        rows={rows}
        empty={
          <EmptyState
            icon={<IconKey size={26} />}
            title="No API keys"
            description="Create one to sync your knowledge base from CI or read conversations from your own tools."
          />
        }
      >
        {(rows) => (
          <ListTable columns={['Name', 'Key', 'Permissions', 'Last used', '']} minWidth={600} testId="api-keys-table">
            {rows.map((k) => (
              <Table.Tr key={k.id} data-testid="api-key-row">
                <Table.Td>
                  <Text size="sm" fw={550}>
                    {k.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    created {dateTime(k.created_at)}
                  </Text>
                </Table.Td>
                <Table.Td ff="monospace" fz="sm">
                  {k.prefix}…
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {k.permissions.map((p) => (
                      <Badge key={p} variant="light" color={p === 'write' ? 'orange' : 'blue'}>
                        {p}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td fz="sm">{k.last_used_at ? timeAgo(k.last_used_at) : 'never'}</Table.Td>
                <Table.Td>
                  <Group justify="flex-end">
                    <ConfirmButton
                      question={`Revoke "${k.name}"? Calls with it fail from the next request.`}
                      confirmLabel="Revoke"
                      aria-label={`Revoke ${k.name}`}
                      onConfirm={() =>
                        attempt(async () => (await revokeApiKey(k.id), await keys.reload()), 'Key revoked').then(() => undefined)
                      }
                    >
                      Revoke
                    </ConfirmButton>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
      <CreateKeyModal opened={creating} onClose={() => setCreating(false)} onCreated={() => void keys.reload()} />
    </>
  );
}

function CreateKeyModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => void }) {
  const [fullKey, setFullKey] = useState<string | null>(null);
  const close = () => {
    setFullKey(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={fullKey ? 'Your new API key' : 'New API key'} closeOnClickOutside={!fullKey} size="lg">
      {fullKey ? (
        <Stack>
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy it now: it is shown only once">
            Only a hash is stored. If you lose it, revoke it and create a new one.
          </Alert>
          <CopyField value={fullKey} label="API key" testId="full-api-key" />
          <Button onClick={close} data-testid="api-key-done">
            I have saved it
          </Button>
        </Stack>
      ) : (
        opened && (
          <CreateKeyFields
            onCreated={(key) => {
              setFullKey(key);
              onCreated();
            }}
          />
        )
      )}
    </Modal>
  );
}

function CreateKeyFields({ onCreated }: { onCreated: (fullKey: string) => void }) {
  const apiForm = useApiForm({
    initialValues: { name: '', permissions: ['read'] as Permission[] },
    validate: { name: isNotEmpty('Name the key after what uses it'), permissions: isNotEmpty('Pick at least one permission') },
    submit: ({ name, permissions }) => createApiKey(name, permissions),
    onSaved: (created) => onCreated(created.full_key),
  });
  const { form } = apiForm;
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput label="Name" placeholder="My Integration" required {...form.getInputProps('name')} data-testid="api-key-name" />
        <Checkbox.Group label="Permissions" {...form.getInputProps('permissions')}>
          <Stack gap={6} mt={6}>
            <Checkbox value="read" label="Read: list and fetch" />
            <Checkbox value="write" label="Write: create, change and delete" />
          </Stack>
        </Checkbox.Group>
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy} data-testid="create-api-key">
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
