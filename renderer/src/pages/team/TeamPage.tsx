import { Alert, Badge, Button, Group, Modal, PasswordInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import { isNotEmpty } from '@mantine/form';
import { useState } from 'react';
import { addTeammate, listTeam, removeTeammate, setRole, type Role } from '../../api/team.js';
import { useApiData } from '../../api/useApiData.js';
import { useAuth } from '../../auth/AuthContext.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { CopyField } from '../../components/CopyField.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
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
  const team = useApiData(listTeam, []);
  const [inviting, setInviting] = useState(false);
  const rows = team.data;

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
                        void attempt(async () => (await setRole(a.id, role as Role), await team.reload()), `${a.name} is now ${role}`)
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
                          attempt(async () => (await removeTeammate(a.id), await team.reload()), 'Teammate removed').then(() => undefined)
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
  return (
    <Modal opened={opened} onClose={onClose} title="Add a teammate">
      {opened && <InviteFields onCreated={onCreated} onDone={onClose} />}
    </Modal>
  );
}

/** The invitation; a teammate added without a password gets a temporary one, shown here once. */
function InviteFields({ onCreated, onDone }: { onCreated: () => void; onDone: () => void }) {
  const [temporary, setTemporary] = useState<string | null>(null);
  const apiForm = useApiForm({
    initialValues: { name: '', email: '', password: '', role: 'agent' as Role },
    validate: { name: isNotEmpty('Enter their name'), email: isNotEmpty('Enter their email address') },
    submit: ({ password, ...rest }) => addTeammate({ ...rest, ...(password ? { password } : {}) }),
    onSaved: (created) => {
      onCreated();
      if (created.temporary_password) setTemporary(created.temporary_password);
      else onDone();
    },
  });
  const { form } = apiForm;

  if (temporary)
    return (
      <Stack>
        <Alert color="yellow" title="Temporary password, shown once">
          Give it to your teammate; they sign in at this address with their email and this password.
        </Alert>
        <CopyField value={temporary} label="temporary password" />
        <Button onClick={onDone}>Done</Button>
      </Stack>
    );
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput label="Name" required {...form.getInputProps('name')} />
        <TextInput label="Email" type="email" required {...form.getInputProps('email')} />
        <Select label="Role" data={ROLES} allowDeselect={false} {...form.getInputProps('role')} />
        <PasswordInput label="Password" description="Leave empty to generate a temporary one" {...form.getInputProps('password')} />
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy}>
            Add teammate
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
