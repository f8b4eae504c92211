import { Badge, Button, Group, Pagination, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconBook2, IconPlus, IconSearch } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { deleteItem, listItems, PER_PAGE } from '../../api/kb.js';
import { useApiData } from '../../api/useApiData.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ListTable } from '../../components/ListTable.js';
import { attempt } from '../../components/notify.js';
import { EmptyState, ListState } from '../../components/states.js';
import { ItemForm } from './ItemForm.js';

type Props = {
  /** Opens the new-item dialog titled with this (a question from the AI report). */
  draftTitle?: string;
  onDraftClosed?: () => void;
};

/** The items, filtered and paged; each opens its own page (answer and alternate questions). */
export function ItemsPanel({ draftTitle, onDraftClosed }: Props) {
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [category, setCategory] = useState('');
  const [tag, setTag] = useState('');
  const [page, setPage] = useState(1);
  const [debounced] = useDebouncedValue({ q, category, tag }, 250);
  // undefined: no dialog; null: the new-item dialog.
  const [creating, setCreating] = useState<null | undefined>(draftTitle === undefined ? undefined : null);
  const saved = useRef(false);
  const items = useApiData(
    (s) => listItems({ q: debounced.q, category: debounced.category || null, tag: debounced.tag, page }, s),
    [debounced.q, debounced.category, debounced.tag, page],
  );
  const rows = items.data?.rows;
  const total = items.data?.total ?? 0;
  const filtered = Boolean(q || category || tag);

  return (
    <>
      <Group mb="md" gap="xs" wrap="wrap">
        <TextInput
          placeholder="Filter by text"
          aria-label="Filter items by text"
          leftSection={<IconSearch size={16} />}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          style={{ flex: 2, minWidth: 180 }}
        />
        <TextInput
          placeholder="Category"
          aria-label="Filter by category"
          value={category}
          onChange={(e) => (setCategory(e.currentTarget.value), setPage(1))}
          style={{ flex: 1, minWidth: 120 }}
        />
        <TextInput
          placeholder="Tag"
          aria-label="Filter by tag"
          value={tag}
          onChange={(e) => (setTag(e.currentTarget.value), setPage(1))}
          style={{ flex: 1, minWidth: 100 }}
        />
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(null)}>
          New item
        </Button>
      </Group>
      <ListState
        error={items.error}
        rows={rows}
        empty={
          <EmptyState
            icon={<IconBook2 size={26} />}
            title={filtered ? 'No items match these filters' : 'Your knowledge base is empty'}
            description={
              filtered ? 'Try fewer words or clear the filters.' : 'Add questions and answers one by one, or import a CSV or JSON file.'
            }
            action={!filtered && <Button onClick={() => setCreating(null)}>Add the first item</Button>}
          />
        }
      >
        {(rows) => (
          <ListTable columns={['Question', 'Category', 'Tags', '']} minWidth={640} highlightOnHover testId="kb-items">
            {rows.map((item) => (
              <Table.Tr key={item.id} data-testid="kb-item-row">
                <Table.Td maw={420}>
                  <Text size="sm" fw={550} component={Link} to={`/kb/items/${item.id}`} style={{ color: 'inherit' }}>
                    {item.title}
                  </Text>
                  {item.questions.length > 0 && (
                    <Text size="xs" c="dimmed">
                      {item.questions.length === 1 ? '1 alternate question' : `${item.questions.length} alternate questions`}
                    </Text>
                  )}
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {item.content}
                  </Text>
                </Table.Td>
                <Table.Td>{item.category ? <Badge variant="light">{item.category}</Badge> : <Text c="dimmed">—</Text>}</Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {item.tags.map((t) => (
                      <Badge key={t} size="sm" variant="outline" color="gray">
                        {t}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="subtle" onClick={() => navigate(`/kb/items/${item.id}`)} aria-label={`Edit ${item.title}`}>
                      Edit
                    </Button>
                    <ConfirmButton
                      question="Delete this item? The AI agent stops using it at once."
                      aria-label={`Delete ${item.title}`}
                      onConfirm={() =>
                        attempt(async () => (await deleteItem(item.id), await items.reload()), 'Item deleted').then(() => undefined)
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
      {total > PER_PAGE && (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {total} items
          </Text>
          <Pagination total={Math.ceil(total / PER_PAGE)} value={page} onChange={setPage} size="sm" />
        </Group>
      )}
      <ItemForm
        opened={creating !== undefined}
        item={null}
        draftTitle={draftTitle}
        onClose={() => {
          setCreating(undefined);
          // Closed without saving: the draft is dropped from the address too (saving leaves for the new item's page).
          if (!saved.current) onDraftClosed?.();
        }}
        onSaved={(item) => {
          saved.current = true;
          navigate(`/kb/items/${item.id}`);
        }}
      />
    </>
  );
}
