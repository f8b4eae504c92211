import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { api } from '../../api/client.js';
import type { HumanAgent, List } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { useAuth } from '../../auth/AuthContext.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { ErrorAlert, fieldError } from '../../components/ErrorAlert.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';

const ROLES = [
  { value: 'agent', label: 'Agent: answers conversations' },
  { value: 'admin', label: 'Admin: also manages settings' },
];

export default function TeamPage() {
  const { me, isAdmin } = useAuth();
  const team = useApiData((s) => api.get<List<HumanAgent>>('/nc-api/v1/agents', { type: 'human' }, s), []);
  const [inviting, setInviting] = useState(false);
  const rows = team.data?.data;

  return (
    <>
      <PageHeader
        title="Team"
        description="People who answer conversations. Admins can also change settings, agents cannot."
        actions={
          isAdmin && (
            <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)}>
              Add teammate
            </Button>
          )
        }
      />
      <ListState error={team.error} rows={rows} empty={<EmptyState icon={<IconUsers size={26} />} title="No teammates yet" />}>
        {(rows) => (
          <ListTable columns={['Name', 'Role', '']} minWidth={560} testId="team-table">
            {rows.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm" fw={550}>
                    {a.name}{' '}
                    {a.id === me?.agent_id && (
                      <Badge size="xs" variant="light">
                        you
                      </Badge>
                    )}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {a.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  {a.is_owner ? (
                    <Badge color="grape" variant="light">
                      owner
                    </Badge>
                  ) : (
                    <Select
                      size="xs"
                      w={140}
                      aria-label={`Role of ${a.name}`}
                      disabled={!isAdmin}
                      value={a.role}
                      data={[
                        { value: 'agent', label: 'Agent' },
                        { value: 'admin', label: 'Admin' },
                      ]}
                      allowDeselect={false}
                      onChange={(role) =>
                        role &&
                        void attempt(
                          async () => (await api.put(`/nc-api/v1/agents/${a.id}`, { role }), await team.reload()),
                          `${a.name} is now ${role}`,
                        )
                      }
                    />
                  )}
                </Table.Td>
                <Table.Td>
                  {isAdmin && !a.is_owner && a.id !== me?.agent_id && (
                    <Group justify="flex-end">
                      <ConfirmButton
                        question={`Remove ${a.name}? They can no longer sign in.`}
                        confirmLabel="Remove"
                        onConfirm={() =>
                          attempt(async () => (await api.del(`/nc-api/v1/agents/${a.id}`), await team.reload()), 'Teammate removed').then(
                            () => undefined,
                          )
                        }
                      >
                        Remove
                      </ConfirmButton>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </ListTable>
        )}
      </ListState>
      <InviteModal opened={inviting} onClose={() => setInviting(false)} onCreated={() => void team.reload()} />
    </>
  );
}

function InviteModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: () => void }) {
  const [form, setForm] = useState({ name: '', email: '', password: '', role: 'agent' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [temporary, setTemporary] = useState<string | null>(null);

  const close = () => {
    setForm({ name: '', email: '', password: '', role: 'agent' });
    setError(null);
    setTemporary(null);
    onClose();
  };

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = {
        type: 'human',
        name: form.name,
        email: form.email,
        role: form.role,
        ...(form.password ? { password: form.password } : {}),
      };
      const created = await api.post<HumanAgent & { temporary_password?: string }>('/nc-api/v1/agents', body);
      onCreated();
      if (created.temporary_password) setTemporary(created.temporary_password);
      else close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal opened={opened} onClose={close} title="Add a teammate">
      {temporary ? (
        <Stack>
          <Alert color="yellow" title="Temporary password, shown once">
            Give it to your teammate; they sign in at this address with their email and this password.
          </Alert>
          <CopyField value={temporary} label="temporary password" />
          <Button onClick={close}>Done</Button>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {error !== null && <ErrorAlert error={error} showFields={false} />}
            <TextInput
              label="Name"
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.currentTarget.value })}
              error={fieldError(error, 'name')}
            />
            <TextInput
              label="Email"
              type="email"
              required
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
              error={fieldError(error, 'email')}
            />
            <Select
              label="Role"
              data={ROLES}
              value={form.role}
              onChange={(v) => setForm({ ...form, role: v ?? 'agent' })}
              allowDeselect={false}
            />
            <PasswordInput
              label="Password"
              description="Leave empty to generate a temporary one"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.currentTarget.value })}
              error={fieldError(error, 'password')}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={busy}>
                Add teammate
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
