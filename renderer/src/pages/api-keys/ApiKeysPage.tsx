import { Alert, Badge, Button, Checkbox, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconAlertTriangle, IconKey, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { ApiKey, List } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { ListTable } from '../../components/ListTable.js';
import { dateTime, timeAgo } from '../../components/format.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';

export default function ApiKeysPage() {
  const keys = useApiData((s) => api.get<List<ApiKey>>('/nc-api/v1/api-keys', undefined, s), []);
  const [creating, setCreating] = useState(false);
  const rows = keys.data?.data;

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
                        attempt(async () => (await api.del(`/nc-api/v1/api-keys/${k.id}`), await keys.reload()), 'Key revoked').then(
                          () => undefined,
                        )
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
  const [name, setName] = useState('');
  const [permissions, setPermissions] = useState<string[]>(['read']);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [fullKey, setFullKey] = useState<string | null>(null);

  const close = () => {
    setName('');
    setPermissions(['read']);
    setError(null);
    setFullKey(null);
    onClose();
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await api.post<{ full_key: string }>('/nc-api/v1/api-keys', { name, permissions });
      setFullKey(res.full_key);
      onCreated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

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
        <form onSubmit={submit} noValidate>
          <Stack>
            {error !== null && <ErrorAlert error={error} showFields={false} />}
            <TextInput
              label="Name"
              placeholder="My Integration"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={fieldError(error, 'name')}
              data-testid="api-key-name"
            />
            <Checkbox.Group label="Permissions" value={permissions} onChange={setPermissions} error={fieldError(error, 'permissions')}>
              <Stack gap={6} mt={6}>
                <Checkbox value="read" label="Read: list and fetch" />
                <Checkbox value="write" label="Write: create, change and delete" />
              </Stack>
            </Checkbox.Group>
            <Group justify="flex-end">
              <Button type="submit" loading={busy} data-testid="create-api-key">
                Create key
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
