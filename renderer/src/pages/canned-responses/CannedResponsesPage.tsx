import { Button, Group, Modal, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { isNotEmpty, matches } from '@mantine/form';
import { IconMessageBolt, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import {
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  updateCannedResponse,
  type CannedResponseFields,
} from '../../api/canned-responses.js';
import type { CannedResponse } from '../../api/types.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { FormErrorAlert, useApiForm } from '../../components/forms.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { PageHeader } from '../../components/PageHeader.js';
import { EmptyState, ListState } from '../../components/states.js';

/** Saved replies: an agent types `/short_code` in the composer and picks one to insert its text. */
export default function CannedResponsesPage() {
  const [q, setQ] = useState('');
  const responses = useApiData((signal) => listCannedResponses(q.trim(), signal), [q]);
  // null: no modal; 'new': adding one; otherwise the response being edited.
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);

  return (
    <>
      <PageHeader
        title="Canned responses"
        description="Saved replies: type / and the short code in a reply to insert one."
        actions={
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            New canned response
          </Button>
        }
      />
      <TextInput
        mb="md"
        maw={360}
        aria-label="Search canned responses"
        placeholder="Search short codes and texts"
        leftSection={<IconSearch size={16} />}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
      />
      <ListState
        error={responses.error}
        rows={responses.data}
        empty={
          <EmptyState
            icon={<IconMessageBolt size={26} />}
            title={q ? 'Nothing matches' : 'No canned responses yet'}
            description={q ? undefined : 'Save the answers your team types again and again (opening hours, refunds, shipping).'}
          />
        }
      >
        {(rows) => (
          <ListTable columns={['Short code', 'Text', '']} minWidth={560} testId="canned-responses-table">
            {rows.map((r) => (
              <Table.Tr key={r.id} data-testid="canned-response-row">
                <Table.Td ff="monospace" fz="sm" style={{ whiteSpace: 'nowrap' }}>
                  /{r.short_code}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={2} style={{ whiteSpace: 'pre-wrap' }}>
                    {r.content}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Group justify="flex-end" gap="xs" wrap="nowrap">
                    <Button size="xs" variant="subtle" aria-label={`Edit /${r.short_code}`} onClick={() => setEditing(r)}>
                      Edit
                    </Button>
                    <ConfirmButton
                      question={`Delete /${r.short_code}?`}
                      aria-label={`Delete /${r.short_code}`}
                      onConfirm={() =>
                        attempt(async () => (await deleteCannedResponse(r.id), await responses.reload()), 'Canned response deleted').then(
                          () => undefined,
                        )
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
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? 'New canned response' : 'Edit canned response'}
        size="lg"
      >
        {editing !== null && (
          <CannedResponseForm
            response={editing === 'new' ? null : editing}
            onSaved={async () => {
              setEditing(null);
              await responses.reload();
            }}
          />
        )}
      </Modal>
    </>
  );
}

function CannedResponseForm({ response, onSaved }: { response: CannedResponse | null; onSaved: () => Promise<void> }) {
  const apiForm = useApiForm<CannedResponseFields, CannedResponse>({
    initialValues: { short_code: response?.short_code ?? '', content: response?.content ?? '' },
    validate: {
      short_code: matches(/^[\p{L}\p{N}_-]+$/u, 'One word: letters, digits, "-" and "_"'),
      content: isNotEmpty('Write the text it inserts'),
    },
    submit: (values) => (response ? updateCannedResponse(response.id, values) : createCannedResponse(values)),
    onSaved,
  });
  const { form } = apiForm;
  return (
    <form onSubmit={apiForm.onSubmit} noValidate>
      <Stack>
        <FormErrorAlert form={apiForm} />
        <TextInput
          label="Short code"
          description="Typed after / in a reply"
          placeholder="refund"
          required
          leftSection={<Text size="sm">/</Text>}
          {...form.getInputProps('short_code')}
        />
        <Textarea label="Text" required autosize minRows={4} maxRows={14} {...form.getInputProps('content')} />
        <Group justify="flex-end">
          <Button type="submit" loading={apiForm.busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
