import { Button, ColorInput, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { matches } from '@mantine/form';
import { IconPencil, IconPlus, IconTag } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { createLabel, deleteLabel, listLabels, updateLabel } from '../../api/labels.js';
import type { Label } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { LabelChip } from '../../components/LabelChip.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';

/** The account's labels: agents put them on conversations, and the inbox filters by them. */
export default function LabelsPage() {
  const labels = useApiData(listLabels, []);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Label | null>(null);
  const saved = async () => {
    setCreating(false);
    setEditing(null);
    await labels.reload();
  };

  return (
    <>
      <PageHeader
        title="Labels"
        description="File conversations by topic (billing, bug, vip…): add them in a conversation, filter the inbox by them."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
            New label
          </Button>
        }
      />
      <ListState
        error={labels.error}
        rows={labels.data}
        empty={<EmptyState icon={<IconTag size={26} />} title="No labels yet" description="Create one, then add it to conversations." />}
      >
        {(rows) => (
          <ListTable columns={['Label', 'Conversations', '']} minWidth={480} testId="labels-table">
            {rows.map((l) => (
              <Table.Tr key={l.id} data-testid="label-row">
                <Table.Td>
                  <LabelChip title={l.title} labels={rows} />
                </Table.Td>
                <Table.Td fz="sm">
                  <Text size="sm" component={Link} to={`/inbox?label=${encodeURIComponent(l.title)}`} c="inherit">
                    {l.conversations_count}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end" gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="subtle"
                      leftSection={<IconPencil size={14} />}
                      onClick={() => setEditing(l)}
                      aria-label={`Edit label ${l.title}`}
                    >
                      Edit
                    </Button>
                    <ConfirmButton
                      question={`Delete the label "${l.title}"? It comes off every conversation that carries it.`}
                      aria-label={`Delete label ${l.title}`}
                      onConfirm={() =>
                        attempt(async () => (await deleteLabel(l.id), await labels.reload()), 'Label deleted').then(() => undefined)
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
      <Modal opened={creating} onClose={() => setCreating(false)} title="New label">
        {creating && <LabelForm onSaved={saved} />}
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Edit label">
        {editing && <LabelForm label={editing} onSaved={saved} />}
      </Modal>
    </>
  );
}

/** Creates a label, or edits `label`: a new title follows on the conversations that carry it. */
function LabelForm({ label, onSaved }: { label?: Label; onSaved: () => Promise<void> }) {
  const apiForm = useApiForm({
    initialValues: { title: label?.title ?? '', color: label?.color ?? '' },
    validate: { title: matches(/^[\p{L}\p{N}_-]+$/u, 'One word: letters, digits, "-" and "_"') },
    // Editing, an emptied colour keeps the one the label has.
    submit: ({ title, color }) =>
      label ? updateLabel(label.id, { title, ...(color ? { color } : {}) }) : createLabel(title, color || undefined),
    onSaved,
  });
  const { form } = apiForm;
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput
          label="Title"
          placeholder="billing"
          description={
            label?.conversations_count
              ? `A new title shows on the ${label.conversations_count} conversation${label.conversations_count === 1 ? '' : 's'} that carry it`
              : undefined
          }
          required
          {...form.getInputProps('title')}
        />
        <ColorInput
          label="Colour"
          description={label ? undefined : 'Left empty, one is picked from the title'}
          format="hex"
          {...form.getInputProps('color')}
        />
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy}>
            {label ? 'Save' : 'Create label'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
